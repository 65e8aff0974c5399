import type { Heading, List, ListItem, Paragraph, PhrasingContent, RootContent, Text } from "mdast";
import {
  type At,
  inline,
  LINK_ONLY,
  linkNode,
  type Point,
  position,
  SPECIAL,
  textNode,
} from "./fast-inline.js";

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

const BLANK = /^[ \t]*$/;
/** A `<div>` HTML block (how digests wrap a video): it runs until a blank line. */
const DIV_START = /^<div(?:[ \t>]|\/>|$)/i;
const HEADING = /^(#{1,6}) (\S(?:.*\S)?)$/;
const IMAGE_ONLY = /^!\[([^\]]*)\]\(([A-Za-z0-9\-._~:/?#@!$'*+,;=%]+)\)$/;
/**
 * True when a line (or a list item's content) can only begin a paragraph: it is no list marker,
 * heading, quote, fence, HTML, thematic break or setext underline, and is not indented.
 */
function startsLikeText(line: string): boolean {
  if (/^\d/.test(line)) return /^\d+(?![\d.)])/.test(line);
  if (line.startsWith("*")) return /^\*+[^\s*]/.test(line);
  return /^[^\s#>\-+=_~`<|\\[!]/.test(line);
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
