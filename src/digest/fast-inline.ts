import type { PhrasingContent, Text } from "mdast";

// The inline part of `fastBlocks` (see `fast-blocks.ts`): plain text, simple emphasis, a lone link.

/** A place in the text being read, as mdast gives it. */
export interface Point {
  line: number;
  column: number;
  offset: number;
}
export type At = (index: number, column: number) => Point;

/** Characters that may mean markup anywhere in a line; a line holding one is left to remark-parse. */
// biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are left to remark-parse
export const SPECIAL = /[\\`_[\]<\t\u0000-\u001f\u007f]|&(?:#|[A-Za-z0-9]+;)/;
export const LINK_ONLY = /^\[([^\]]+)\]\(([A-Za-z0-9\-._~:/?#@!$'*+,;=%]+)\)$/;

/** A character that is neither whitespace nor punctuation, as CommonMark classifies them. */
const WORD = /^[^\s\p{P}\p{S}]$/u;

/** A node's position, with points of its own: positions are shifted in place later. */
export function position(start: Point, end: Point) {
  return { start: { ...start }, end: { ...end } };
}

export function textNode(value: string, start: Point, end: Point): Text {
  return { type: "text", value, position: position(start, end) };
}

/** A text that is one link and nothing else, starting at column `from` of line `index`. */
export function linkNode(
  value: string,
  index: number,
  from: number,
  at: At,
): PhrasingContent[] | null {
  const match = LINK_ONLY.exec(value) as RegExpExecArray;
  const inner = plainRun(match[1] as string, index, from + 1, at);
  if (inner === null) return null;
  const url = match[2] as string;
  const start = at(index, from);
  const end = at(index, from + value.length);
  return [{ type: "link", title: null, url, children: [inner], position: position(start, end) }];
}

/** Text with no emphasis at all (a link's title, an image's alt). */
export function plainRun(value: string, index: number, from: number, at: At): Text | null {
  if (SPECIAL.test(value) || value.includes("*") || value.trim() !== value || value === "") {
    return null;
  }
  return textNode(value, at(index, from), at(index, from + value.length));
}

/**
 * One line's inline content: plain text and `*x*`, `**x**`, `***x***` runs whose inner text
 * starts and ends with a letter or digit and holds no `*`, so that markdown's delimiter rules
 * can only pair them as written. Anything else is `null`.
 */
export function inline(
  value: string,
  index: number,
  from: number,
  at: At,
): PhrasingContent[] | null {
  if (SPECIAL.test(value)) return null;
  const nodes: PhrasingContent[] = [];
  let textStart = 0;
  let cursor = 0;
  while (cursor < value.length) {
    const open = value.indexOf("*", cursor);
    if (open === -1) break;
    let size = 0;
    while (value[open + size] === "*") size++;
    if (size > 3) return null;
    const close = value.indexOf("*", open + size);
    if (close === -1) return null;
    let closeSize = 0;
    while (value[close + closeSize] === "*") closeSize++;
    const inner = value.slice(open + size, close);
    if (closeSize !== size || !WORD.test(inner[0] ?? "") || !WORD.test(inner.at(-1) ?? "")) {
      return null;
    }
    if (open > textStart) {
      nodes.push(
        textNode(value.slice(textStart, open), at(index, from + textStart), at(index, from + open)),
      );
    }
    const innerText = textNode(inner, at(index, from + open + size), at(index, from + close));
    const end = at(index, from + close + size);
    const outer = at(index, from + open);
    if (size === 1) {
      nodes.push({ type: "emphasis", children: [innerText], position: position(outer, end) });
    } else if (size === 2) {
      nodes.push({ type: "strong", children: [innerText], position: position(outer, end) });
    } else {
      const strong: PhrasingContent = {
        type: "strong",
        children: [innerText],
        position: position(at(index, from + open + 1), at(index, from + close + 2)),
      };
      nodes.push({ type: "emphasis", children: [strong], position: position(outer, end) });
    }
    cursor = close + size;
    textStart = cursor;
  }
  if (textStart < value.length) {
    nodes.push(
      textNode(value.slice(textStart), at(index, from + textStart), at(index, from + value.length)),
    );
  }
  return nodes;
}
