import type { Nodes, PhrasingContent } from "mdast";
import { deceptiveHost } from "./links.js";
import { isHttpUrl } from "./text.js";

const BARE_URL = /https?:\/\/[^\s<>]+/g;
const FORMATTING = /([\\*_~`|])/g;

/** Escapes Discord formatting characters in plain text, leaving bare URLs intact so they still link. */
function escapeText(text: string): string {
  let out = "";
  let last = 0;
  for (const match of text.matchAll(BARE_URL)) {
    out += text.slice(last, match.index).replace(FORMATTING, "\\$1");
    out += match[0];
    last = match.index + match[0].length;
  }
  return out + text.slice(last).replace(FORMATTING, "\\$1");
}

function inlineCode(value: string): string {
  const fence = value.includes("`") ? "``" : "`";
  const pad = value.startsWith("`") || value.endsWith("`") ? " " : "";
  return `${fence}${pad}${value}${pad}${fence}`;
}

/** The plain text of a node, with no markup. */
export function plainText(node: Nodes): string {
  if ("value" in node && typeof node.value === "string")
    return node.type === "html" ? "" : node.value;
  if (node.type === "image") return node.alt ?? "";
  if (node.type === "break") return "\n";
  if ("children" in node) return (node.children as Nodes[]).map(plainText).join("");
  return "";
}

/** Renders inline markdown nodes as Discord markdown (emphasis, code and http(s) links kept). */
export function toDiscordMarkdown(nodes: readonly PhrasingContent[]): string {
  return nodes.map(renderInline).join("");
}

function renderInline(node: PhrasingContent): string {
  switch (node.type) {
    case "text":
      return escapeText(node.value);
    case "emphasis":
      return wrap("*", toDiscordMarkdown(node.children));
    case "strong":
      return wrap("**", toDiscordMarkdown(node.children));
    case "delete":
      return wrap("~~", toDiscordMarkdown(node.children));
    case "inlineCode":
      return inlineCode(node.value);
    case "break":
      return "\n";
    case "link": {
      const label = toDiscordMarkdown(node.children);
      if (!isHttpUrl(node.url)) return label;
      if (label.trim() === "" || label === node.url) return node.url;
      return maskedLink(label, plainText(node), node.url);
    }
    case "image":
      return isHttpUrl(node.url)
        ? maskedLink(escapeText(node.alt || "image"), node.alt || "image", node.url)
        : "";
    case "linkReference":
      return toDiscordMarkdown(node.children);
    case "imageReference":
      return escapeText(node.alt ?? "");
    case "html":
      return escapeText(node.value);
    default:
      return escapeText(plainText(node));
  }
}

/**
 * `[label](url)`, unless the label reads as an address of another host: then the label stays as
 * text and the link shows the real host, so no link can pose as another.
 */
function maskedLink(label: string, plainLabel: string, url: string): string {
  const realHost = deceptiveHost(plainLabel, url);
  return realHost === null ? `[${label}](${url})` : `${defuse(label)} ([${realHost}](${url}))`;
}

/** Keeps a bare URL in a label from becoming a link of its own. */
function defuse(label: string): string {
  return label.replace(/(https?):\/\//gi, "$1\\://");
}

function wrap(marker: string, inner: string): string {
  const trimmed = inner.trim();
  if (trimmed === "") return inner;
  const lead = inner.slice(0, inner.indexOf(trimmed));
  const tail = inner.slice(lead.length + trimmed.length);
  return `${lead}${marker}${trimmed}${marker}${tail}`;
}
