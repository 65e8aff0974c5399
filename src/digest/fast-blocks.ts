import type { Heading, List, ListItem, Paragraph, PhrasingContent, RootContent, Text } from "mdast";

/**
 * A fast reading of the plainest digest markdown: `#` headings (plain text or one link), plain
 * paragraphs and image lines, and tight `-` lists of one-line items, with plain text and simple
 * `*`/`**`/`***` emphasis inside. It gives exactly the blocks remark-parse gives for such text,
 * positions included, or `null` as soon as any line falls outside it; the caller then parses
 * with remark-parse. Almost every line of a real digest is this plain, and reading it directly
 * is more than ten times faster than the general markdown parser.
 */
export function fastBlocks(text: string): RootContent[] | null {
  const lines = text.split("\n");
  const starts: number[] = [];
  let offset = 0;
  for (const line of lines) {
    starts.push(offset);
    offset += line.length + 1;
  }
  const at = (index: number, column: number): Point => ({
    line: index + 1,
    column: column + 1,
    offset: (starts[index] as number) + column,
  });
  const nodes: RootContent[] = [];
  let paragraph: Run | null = null;
  let list: Run | null = null;
  let blankAfterList = false;

  /** Turns an open run of lines into its block; false when it cannot be read this way. */
  const closeRun = (
    run: Run | null,
    build: (first: number, last: number) => RootContent | null,
  ) => {
    if (run === null) return true;
    const node = build(run.first, run.last);
    if (node !== null) nodes.push(node);
    return node !== null;
  };
  const closeParagraph = (): boolean => {
    const closed = closeRun(paragraph, (first, last) => paragraphNode(lines, first, last, at));
    paragraph = null;
    return closed;
  };
  const closeList = (): boolean => {
    const closed = closeRun(list, (first, last) => listNode(lines, first, last, at));
    list = null;
    return closed;
  };

  for (let index = 0; index < lines.length; index++) {
    const line = lines[index] as string;
    if (BLANK.test(line)) {
      if (!closeParagraph()) return null;
      if (list !== null) blankAfterList = true;
      continue;
    }
    if (line.startsWith("#")) {
      if (!closeParagraph() || !closeList()) return null;
      const heading = headingNode(line, index, at);
      if (heading === null) return null;
      nodes.push(heading);
      continue;
    }
    if (line.startsWith("- ")) {
      // A blank line between items would make the list loose: left to remark-parse.
      if (blankAfterList) return null;
      if (!closeParagraph()) return null;
      if (list === null) list = { first: index, last: index };
      else list.last = index;
      continue;
    }
    // Anything else right under a list item would continue it.
    if (list !== null && !blankAfterList) return null;
    if (!closeList()) return null;
    blankAfterList = false;
    if (DIV_START.test(line)) {
      if (!closeParagraph()) return null;
      let last = index;
      while (last + 1 < lines.length && !BLANK.test(lines[last + 1] as string)) last++;
      const value = lines.slice(index, last + 1).join("\n");
      const end = at(last, (lines[last] as string).length);
      nodes.push({ type: "html", value, position: position(at(index, 0), end) });
      index = last;
      continue;
    }
    if (!IMAGE_ONLY.test(line) && !LINK_ONLY.test(line) && !startsLikeText(line)) return null;
    if (paragraph === null) paragraph = { first: index, last: index };
    else paragraph.last = index;
  }
  if (!closeParagraph() || !closeList()) return null;
  return nodes;
}

/** Lines `first` to `last` (0-based) of one block being read. */
interface Run {
  first: number;
  last: number;
}

interface Point {
  line: number;
  column: number;
  offset: number;
}
type At = (index: number, column: number) => Point;

const BLANK = /^[ \t]*$/;
/** Characters that may mean markup anywhere in a line; a line holding one is left to remark-parse. */
// biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are left to remark-parse
const SPECIAL = /[\\`_[\]<\t\u0000-\u001f\u007f]|&(?:#|[A-Za-z0-9]+;)/;
/** A `<div>` HTML block (how digests wrap a video): it runs until a blank line. */
const DIV_START = /^<div(?:[ \t>]|\/>|$)/i;
const HEADING = /^(#{1,6}) (\S(?:.*\S)?)$/;
const LINK_ONLY = /^\[([^\]]+)\]\(([A-Za-z0-9\-._~:/?#@!$'*+,;=%]+)\)$/;
const IMAGE_ONLY = /^!\[([^\]]*)\]\(([A-Za-z0-9\-._~:/?#@!$'*+,;=%]+)\)$/;
/** A character that is neither whitespace nor punctuation, as CommonMark classifies them. */
const WORD = /^[^\s\p{P}\p{S}]$/u;

/**
 * True when a line (or a list item's content) can only begin a paragraph: it is no list marker,
 * heading, quote, fence, HTML, thematic break or setext underline, and is not indented.
 */
function startsLikeText(line: string): boolean {
  if (/^\d/.test(line)) return /^\d+(?![\d.)])/.test(line);
  if (line.startsWith("*")) return /^\*+[^\s*]/.test(line);
  return /^[^\s#>\-+=_~`<|\\[!]/.test(line);
}

/** A node's position, with points of its own: positions are shifted in place later. */
function position(start: Point, end: Point) {
  return { start: { ...start }, end: { ...end } };
}

function textNode(value: string, start: Point, end: Point): Text {
  return { type: "text", value, position: position(start, end) };
}

function headingNode(line: string, index: number, at: At): Heading | null {
  const match = HEADING.exec(line);
  if (!match || line.endsWith("#")) return null;
  const depth = (match[1] as string).length as Heading["depth"];
  const content = match[2] as string;
  const from = depth + 1;
  let children: PhrasingContent[] | null;
  if (LINK_ONLY.test(content)) {
    children = linkNode(content, index, from, at);
  } else {
    if (content.includes("](")) return null;
    children = inline(content, index, from, at);
  }
  if (children === null) return null;
  return {
    type: "heading",
    depth,
    children,
    position: position(at(index, 0), at(index, line.length)),
  };
}

/** A text that is one link and nothing else, starting at column `from` of line `index`. */
function linkNode(value: string, index: number, from: number, at: At): PhrasingContent[] | null {
  const match = LINK_ONLY.exec(value) as RegExpExecArray;
  const inner = plainRun(match[1] as string, index, from + 1, at);
  if (inner === null) return null;
  const url = match[2] as string;
  const start = at(index, from);
  const end = at(index, from + value.length);
  return [{ type: "link", title: null, url, children: [inner], position: position(start, end) }];
}

/** Text with no emphasis at all (a link's title, an image's alt). */
function plainRun(value: string, index: number, from: number, at: At): Text | null {
  if (SPECIAL.test(value) || value.includes("*") || value.trim() !== value || value === "") {
    return null;
  }
  return textNode(value, at(index, from), at(index, from + value.length));
}

function paragraphNode(lines: string[], first: number, last: number, at: At): Paragraph | null {
  const children: PhrasingContent[] = [];
  for (let index = first; index <= last; index++) {
    const line = lines[index] as string;
    if (line !== line.trim()) return null;
    let nodes: PhrasingContent[] | null;
    const image = IMAGE_ONLY.exec(line);
    if (image) {
      const alt = image[1] as string;
      if (SPECIAL.test(alt) || alt.includes("*") || alt.trim() !== alt) return null;
      nodes = [
        {
          type: "image",
          title: null,
          url: image[2] as string,
          alt,
          position: position(at(index, 0), at(index, line.length)),
        },
      ];
    } else if (LINK_ONLY.test(line)) {
      nodes = linkNode(line, index, 0, at);
    } else {
      if (line.includes("](") || line.includes("![")) return null;
      nodes = inline(line, index, 0, at);
    }
    if (nodes === null) return null;
    if (index > first) {
      const previousEnd = children.at(-1)?.position?.end as Point;
      appendText(children, "\n", previousEnd, at(index, 0));
    }
    for (const node of nodes) {
      if (node.type === "text") appendText(children, node.value, ...ends(node));
      else children.push(node);
    }
  }
  const start = at(first, 0);
  const end = at(last, (lines[last] as string).length);
  return { type: "paragraph", children, position: position(start, end) };
}

function ends(node: Text): [Point, Point] {
  const { start, end } = node.position as { start: Point; end: Point };
  return [start, end];
}

/** Appends text, joining it to the text node before it as markdown does. */
function appendText(children: PhrasingContent[], value: string, start: Point, end: Point): void {
  const last = children.at(-1);
  if (last?.type === "text" && last.position) {
    last.value += value;
    last.position.end = { ...end };
  } else {
    children.push(textNode(value, start, end));
  }
}

function listNode(lines: string[], first: number, last: number, at: At): List | null {
  const items: ListItem[] = [];
  for (let index = first; index <= last; index++) {
    const line = lines[index] as string;
    const content = line.slice(2);
    if (content !== content.trim() || content === "") return null;
    if (!startsLikeText(content)) return null;
    const children = inline(content, index, 2, at);
    if (children === null) return null;
    const end = at(index, line.length);
    items.push({
      type: "listItem",
      spread: false,
      checked: null,
      children: [{ type: "paragraph", children, position: position(at(index, 2), end) }],
      position: position(at(index, 0), end),
    });
  }
  return {
    type: "list",
    ordered: false,
    start: null,
    spread: false,
    children: items,
    position: position(at(first, 0), at(last, (lines[last] as string).length)),
  };
}

/**
 * One line's inline content: plain text and `*x*`, `**x**`, `***x***` runs whose inner text
 * starts and ends with a letter or digit and holds no `*`, so that markdown's delimiter rules
 * can only pair them as written. Anything else is `null`.
 */
function inline(value: string, index: number, from: number, at: At): PhrasingContent[] | null {
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
