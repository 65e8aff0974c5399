import type { Nodes, Root, RootContent } from "mdast";
import remarkParse from "remark-parse";
import { unified } from "unified";
import { mayHoldDefinitions, sharedDefinitions } from "./definitions.js";
import { fastBlocks } from "./fast-blocks.js";
import { type Cuts, SECTION_TARGET_CHARS, sectionStarts } from "./sections.js";

const processor = unified().use(remarkParse);

/** One top-level block longer than this is not read: no paper comes near it. */
export const MAX_SECTION_CHARS = 128 * 1024;

/** The top-level blocks of a source, and the blocks too long to read. */
export interface Blocks {
  nodes: Iterable<RootContent>;
  /** 1-based first lines of the text skipped by `MAX_SECTION_CHARS`, filled while iterating. */
  skipped: number[];
  /**
   * Drops the blocks after the one just taken, up to the next heading: text nobody reads is
   * not parsed (markdown parsing is the costly part of reading a hostile file).
   */
  skipToHeading(): void;
}

/** What the consumer of `generate` asks of it between blocks. */
interface Steering {
  skip: boolean;
}

/**
 * Parses `source` piece by piece and yields its top-level blocks in order, with positions in
 * the whole source, exactly as parsing the whole source at once would. Each piece is parsed
 * with the first line of the next: when that line begins a new top-level block, nothing in the
 * piece carries on past it. When it does not, the blocks before the one that carries on are
 * kept and parsing resumes where that one starts (or the piece doubles, if it is that block).
 */
export function topLevelBlocks(source: string): Blocks {
  const lines = source.split("\n");
  const skipped: number[] = [];
  const cuts = sectionStarts(lines);
  const prefix = mayHoldDefinitions(source)
    ? sharedDefinitions(generate(lines, cuts, "", [], { skip: false }))
    : "";
  const steering: Steering = { skip: false };
  return {
    nodes: generate(lines, cuts, prefix, skipped, steering),
    skipped,
    skipToHeading: () => {
      steering.skip = true;
    },
  };
}

function* generate(
  lines: string[],
  { starts, headings }: Cuts,
  prefix: string,
  skipped: number[],
  steering: Steering,
) {
  const prefixLines = prefix === "" ? 0 : prefix.split("\n").length - 1;
  const offsets = [0];
  for (const line of lines) offsets.push((offsets.at(-1) as number) + line.length + 1);
  const charsBetween = (from: number, to: number) =>
    (offsets[to] as number) - (offsets[from] as number);
  let from = 0;
  let next = 1; // the first cut after `from`
  let minChars = 0;
  while (from < lines.length) {
    while (next < starts.length && (starts[next] as number) <= from) next++;
    let cut = next;
    while (cut < starts.length && charsBetween(from, starts[cut] as number) < minChars) cut++;
    let end = cut < starts.length ? (starts[cut] as number) : lines.length;
    // No likely cut close enough: try any line, the check below tells whether it holds.
    if (charsBetween(from, end) > MAX_SECTION_CHARS)
      end = lineAfter(offsets, from, clamp(minChars, SECTION_TARGET_CHARS, MAX_SECTION_CHARS + 1));
    const text = lines.slice(from, end).join("\n");
    if (text.length > MAX_SECTION_CHARS) {
      skipped.push(from + 1);
      from = end;
      minChars = 0;
      continue;
    }
    const withPrefix = prefixLines > 0 && text.includes("[");
    const head = withPrefix ? prefix + text : text;
    const input = end < lines.length ? `${head}\n${lines[end]}` : head;
    const parsed =
      (withPrefix ? null : fastBlocks(input)) ?? (processor.parse(input) as Root).children;
    const shift = from - (withPrefix ? prefixLines : 0);
    // The 0-based source line where the parsed text's last block starts.
    const lastStart = (parsed.at(-1)?.position?.start.line ?? 1) - 1 + shift;
    let kept = parsed;
    let resume = end;
    if (end < lines.length) {
      kept = parsed.slice(0, -1);
      if (lastStart < end) resume = lastStart;
    }
    if (resume <= from) {
      minChars = Math.max(2 * text.length, 1);
      continue;
    }
    let skipFrom: number | null = null;
    for (const node of kept) {
      if (withPrefix && (node.position?.start.line ?? 1) <= prefixLines) continue;
      shiftPositions(node, shift, (offsets[from] as number) - (withPrefix ? prefix.length : 0));
      yield node;
      if (steering.skip) {
        steering.skip = false;
        // 0-based line of the block just taken: the skip starts after it.
        skipFrom = (node.position?.end.line ?? from + 1) - 1;
        break;
      }
    }
    from = skipFrom === null ? resume : nextHeading(headings, skipFrom, lines.length);
    minChars = 0;
  }
}

/** The first heading line after `line`, or the end of the source. */
function nextHeading(headings: readonly number[], line: number, end: number): number {
  let low = 0;
  let high = headings.length;
  while (low < high) {
    const mid = (low + high) >> 1;
    if ((headings[mid] as number) > line) high = mid;
    else low = mid + 1;
  }
  return headings[low] ?? end;
}

function clamp(value: number, low: number, high: number): number {
  return Math.min(Math.max(value, low), high);
}

/** The first line after `from` that starts at least `chars` characters later, or the end. */
function lineAfter(offsets: readonly number[], from: number, chars: number): number {
  const want = (offsets[from] as number) + chars;
  let low = from + 1;
  let high = offsets.length - 1; // the number of lines
  while (low < high) {
    const mid = (low + high) >> 1;
    if ((offsets[mid] as number) >= want) high = mid;
    else low = mid + 1;
  }
  return low;
}

/** Moves every position in a tree by whole lines and characters. */
function shiftPositions(root: Nodes, lines: number, chars: number): void {
  const stack: Nodes[] = [root];
  for (let node = stack.pop(); node !== undefined; node = stack.pop()) {
    const position = node.position;
    if (position) {
      position.start.line += lines;
      position.end.line += lines;
      if (position.start.offset !== undefined) position.start.offset += chars;
      if (position.end.offset !== undefined) position.end.offset += chars;
    }
    if ("children" in node) stack.push(...(node.children as Nodes[]));
  }
}
