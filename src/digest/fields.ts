import type { Html, Paragraph, PhrasingContent } from "mdast";
import { plainText } from "./inline.js";

/** One source line of a paragraph, with the inline nodes on it. */
export interface ParagraphLine {
  line: number;
  nodes: PhrasingContent[];
  text: string;
}

/** What one line under a paper heading says. */
export type Field =
  | { kind: "media"; type: "image" | "video"; url: string }
  | { kind: "votes"; value: string }
  | { kind: "authors" }
  | { kind: "text" };

const VIDEO_SRC = /<(?:video|source)\b[^>]*?\bsrc\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>]+))/i;

/** The `src` of the first `<video>` (or `<source>`) tag in an HTML fragment. */
export function videoSource(html: string): string | null {
  const match = VIDEO_SRC.exec(html);
  return match ? (match[1] ?? match[2] ?? match[3] ?? null) : null;
}

/** Splits a paragraph into its source lines, so that fields written without blank lines are read one by one. */
export function paragraphLines(paragraph: Paragraph): ParagraphLine[] {
  const startLine = paragraph.position?.start.line ?? 1;
  const lines: ParagraphLine[] = [];
  let current: ParagraphLine = { line: startLine, nodes: [], text: "" };
  const push = (node: PhrasingContent) => {
    current.nodes.push(node);
    current.text += plainText(node);
  };
  const newLine = (line: number) => {
    lines.push(current);
    current = { line, nodes: [], text: "" };
  };
  for (const node of paragraph.children) {
    const nodeLine = node.position?.start.line ?? current.line;
    if (current.nodes.length === 0) current.line = nodeLine;
    if (node.type === "text") {
      const parts = node.value.split("\n");
      parts.forEach((part, index) => {
        if (index > 0) newLine(nodeLine + index);
        if (part !== "") push({ type: "text", value: part });
      });
    } else if (node.type === "break") {
      newLine(node.position?.end.line ?? current.line);
    } else {
      push(node);
    }
  }
  lines.push(current);
  return lines.filter(
    (line) => (line.nodes.length > 0 && line.text.trim() !== "") || hasMedia(line),
  );
}

function hasMedia(line: ParagraphLine): boolean {
  return line.nodes.some((node) => node.type === "image" || node.type === "html");
}

/** Classifies one paragraph line: a media line, `Vote:`, `Authors:` or ordinary text. */
export function classifyLine(line: ParagraphLine): Field {
  const first = line.nodes.find((node) => !(node.type === "text" && node.value.trim() === ""));
  const text = line.text.trim();
  if (
    first?.type === "image" &&
    line.nodes.every((n) => n === first || plainText(n).trim() === "")
  ) {
    return { kind: "media", type: "image", url: first.url };
  }
  if (first?.type === "link" && /^watch video$/i.test(plainText(first).trim())) {
    return { kind: "media", type: "video", url: first.url };
  }
  const malformed = /^\[Watch Video\]\s*(\S+)/i.exec(text);
  if (malformed?.[1]) return { kind: "media", type: "video", url: malformed[1] };
  if (first?.type === "html") {
    const src = videoSource((first as Html).value);
    if (src !== null) return { kind: "media", type: "video", url: src };
  }
  const vote = /^Votes?\s*:\s*(.*)$/i.exec(text);
  if (vote) return { kind: "votes", value: vote[1] ?? "" };
  if (/^Authors?\s*:/i.test(text)) return { kind: "authors" };
  return { kind: "text" };
}
