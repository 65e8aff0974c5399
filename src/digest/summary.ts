import type {
  BlockContent,
  DefinitionContent,
  List,
  ListItem,
  Paragraph,
  PhrasingContent,
} from "mdast";
import { plainText, toDiscordMarkdown } from "./inline.js";
import type { SummaryItem } from "./model.js";
import { cleanText } from "./text.js";

const INDENT = "  ";

/** Splits a leading bold label (`**What's New**:` or `***What's New***:`) off a bullet's first paragraph. */
function splitLabel(children: readonly PhrasingContent[]): {
  label: string | null;
  rest: PhrasingContent[];
} {
  const [first, second, ...others] = children;
  const isBold =
    first?.type === "strong" ||
    (first?.type === "emphasis" &&
      first.children.length === 1 &&
      first.children[0]?.type === "strong");
  if (!first || !isBold) return { label: null, rest: [...children] };
  const raw = cleanText(plainText(first));
  if (raw.endsWith(":")) {
    return { label: cleanText(raw.slice(0, -1)) || null, rest: second ? [second, ...others] : [] };
  }
  if (second?.type === "text" && /^\s*:/.test(second.value)) {
    const after = second.value.replace(/^\s*:\s*/, "");
    const rest: PhrasingContent[] =
      after === "" ? others : [{ ...second, value: after }, ...others];
    return { label: raw || null, rest };
  }
  return { label: null, rest: [...children] };
}

/** Renders a list as indented Discord markdown lines (used for nested lists inside a bullet). */
export function renderList(list: List, depth: number): string {
  const pad = INDENT.repeat(depth);
  return list.children
    .map((item, index) => {
      const marker = list.ordered ? `${(list.start ?? 1) + index}.` : "-";
      const body = renderBlocks(item.children, depth + 1);
      const [head = "", ...tail] = body.split("\n");
      return [`${pad}${marker} ${head}`, ...tail].join("\n");
    })
    .join("\n");
}

function renderBlocks(
  blocks: readonly (BlockContent | DefinitionContent)[],
  depth: number,
): string {
  const parts: string[] = [];
  for (const block of blocks) {
    if (block.type === "paragraph") parts.push(toDiscordMarkdown(block.children));
    else if (block.type === "list") parts.push(renderList(block, depth));
    else if (block.type === "code") parts.push(block.value);
    else if (block.type === "blockquote" || block.type === "heading") parts.push(plainText(block));
  }
  return parts.filter((part) => part.trim() !== "").join("\n");
}

/** Turns one top-level bullet into a summary item. */
export function summaryItemFromListItem(item: ListItem): SummaryItem {
  const [first, ...rest] = item.children;
  if (first?.type !== "paragraph") {
    return { label: null, text: cleanText(renderBlocks(item.children, 1)) };
  }
  const { label, rest: phrasing } = splitLabel(first.children);
  const head: Paragraph = { ...first, children: phrasing };
  return { label, text: cleanText(renderBlocks([head, ...rest], 1)) };
}
