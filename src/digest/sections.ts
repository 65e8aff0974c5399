/**
 * Cuts a digest's source into pieces that markdown parses independently with the same result
 * as the whole file: markdown parsing grows faster than linearly with a document's length, so
 * parsing piece by piece keeps a digest of any size linear, and a hostile piece costs only
 * itself. A piece starts at a heading line or after a blank line, where no block is likely to
 * carry on across the cut; `topLevelBlocks` checks each cut and joins pieces where one does.
 */

/**
 * A piece is cut once it is at least this long: long enough that the parser's fixed cost per
 * call does not matter, short enough that its faster-than-linear growth does not either.
 */
export const SECTION_TARGET_CHARS = 4 * 1024;
/**
 * A block that seems to run on longer than this (an unclosed fence, say) no longer holds cuts
 * back: the check in `topLevelBlocks` tells whether it really does.
 */
const MAX_OPEN_CHARS = 4 * SECTION_TARGET_CHARS;

/** An ATX heading at the very start of a line: never inside a container, list or paragraph. */
const HEADING = /^#{1,6}(?:[ \t]|$)/;
const FENCE = /^ {0,3}(`{3,}|~{3,})/;
const BLANK = /^[ \t]*$/;
/** HTML blocks that run until a closing text rather than a blank line, with that text. */
const HTML_UNTIL: readonly (readonly [RegExp, RegExp])[] = [
  [/^ {0,3}<(?:script|pre|style|textarea)(?=[\s>]|$)/i, /<\/(?:script|pre|style|textarea)>/i],
  [/^ {0,3}<!--/, /-->/],
  [/^ {0,3}<\?/, /\?>/],
  [/^ {0,3}<!\[CDATA\[/, /\]\]>/],
  [/^ {0,3}<![A-Za-z]/, />/],
];
/** Any other HTML block (and some text that is not one) runs until a blank line at most. */
const HTML_OTHER = /^ {0,3}</;

/**
 * A line that, after a blank line, can only begin a new top-level block: not indented (which
 * could continue a list item or indented code), not a list marker (which could continue a list)
 * and not a quote or HTML (kept whole for simplicity).
 */
function startsFreshBlock(line: string): boolean {
  return /^[^\s>\-+*<\d]/.test(line);
}

/** What the lines read so far leave open, which no cut may split. */
type Open =
  | { kind: "none" }
  | { kind: "fence"; char: string; length: number }
  | { kind: "html"; end: RegExp }
  | { kind: "htmlUntilBlank" };

function afterLine(open: Open, line: string): Open {
  if (open.kind === "fence") {
    const close = /^ {0,3}(`{3,}|~{3,})[ \t]*$/.exec(line)?.[1];
    const closes = close?.[0] === open.char && close.length >= open.length;
    return closes ? { kind: "none" } : open;
  }
  if (open.kind === "html") return open.end.test(line) ? { kind: "none" } : open;
  if (open.kind === "htmlUntilBlank") return BLANK.test(line) ? { kind: "none" } : open;
  const fence = FENCE.exec(line)?.[1];
  if (fence) return { kind: "fence", char: fence[0] as string, length: fence.length };
  for (const [start, end] of HTML_UNTIL) {
    const match = start.exec(line);
    if (match)
      return end.test(line.slice(match[0].length)) ? { kind: "none" } : { kind: "html", end };
  }
  if (HTML_OTHER.test(line)) return { kind: "htmlUntilBlank" };
  return { kind: "none" };
}

/** Where a source may be cut into pieces, and where its headings are. */
export interface Cuts {
  /** 0-based lines where a piece may start, the first line included. */
  starts: number[];
  /** 0-based lines of the headings outside fences and HTML blocks, ascending. */
  headings: number[];
}

/**
 * The 0-based lines where the source (already normalised to `\n` line ends) may be cut into
 * pieces, the first line included, and its heading lines.
 */
export function sectionStarts(lines: readonly string[]): Cuts {
  const starts = [0];
  const headings = HEADING.test(lines[0] ?? "") ? [0] : [];
  let chars = 0;
  let open: Open = { kind: "none" };
  let openChars = 0;
  for (let index = 1; index < lines.length; index++) {
    const previous = lines[index - 1] as string;
    chars += previous.length + 1;
    open = afterLine(open, previous);
    openChars = open.kind === "none" ? 0 : openChars + previous.length + 1;
    const line = lines[index] as string;
    const free = open.kind === "none" || openChars > MAX_OPEN_CHARS;
    const heading = HEADING.test(line);
    // After a line that may begin an HTML block running to a blank line, a heading is taken as
    // one: skipping past a real heading would lose a paper; fences and HTML with an end are exact.
    if (heading && (open.kind === "none" || open.kind === "htmlUntilBlank")) headings.push(index);
    const fresh = heading || (startsFreshBlock(line) && BLANK.test(previous));
    if (free && fresh && chars >= SECTION_TARGET_CHARS) {
      starts.push(index);
      chars = 0;
    }
  }
  return { starts, headings };
}
