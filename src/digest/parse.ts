import { basename } from "node:path";
import type { Heading, Link, RootContent } from "mdast";
import { MAX_SECTION_CHARS, topLevelBlocks } from "./blocks.js";
import { plainText } from "./inline.js";
import type { Digest, DigestError, Paper, Warning } from "./model.js";
import { PaperBuilder } from "./paper-builder.js";
import {
  capNesting,
  cleanText,
  defuseFloods,
  MAX_CONTAINER_PREFIX,
  MAX_MARKERS_PER_BLOCK,
  normalizeSource,
} from "./text.js";

/** What parsing one file gives: a digest, or the reason it is not one. */
export type ParseResult = { ok: true; digest: Digest } | { ok: false; error: DigestError };

/** Bumped whenever the parser's output changes, so cached results are parsed again. */
export const PARSER_VERSION = 3;
/** Larger files are refused: no real digest comes near it, and parsing would stall the bot. */
export const MAX_DIGEST_BYTES = 4 * 1024 * 1024;
const DAILY_HEADING = /^Daily Papers\s*\((\d{4}-\d{2}-\d{2})\)\s*$/i;

function isRealDate(date: string): boolean {
  const parsed = new Date(`${date}T00:00:00Z`);
  return !Number.isNaN(parsed.getTime()) && parsed.toISOString().startsWith(date);
}

/** The date a file's name gives: `2024-02-20.md`, or the source repository's `2024/02/20.md`. */
export function dateFromFileName(file: string): string | null {
  const name = basename(file);
  const flat = /^(\d{4}-\d{2}-\d{2})\.md$/i.exec(name)?.[1];
  if (flat && isRealDate(flat)) return flat;
  const nested = /(\d{4})[/\\](\d{2})[/\\](\d{2})\.md$/i.exec(file);
  if (nested) {
    const date = `${nested[1]}-${nested[2]}-${nested[3]}`;
    if (isRealDate(date)) return date;
  }
  return null;
}

function findLink(heading: Heading): Link | null {
  for (const child of heading.children) {
    if (child.type === "link") return child;
  }
  return null;
}

function lineOf(node: RootContent): number {
  return node.position?.start.line ?? 1;
}

/** Parses one digest file's markdown into a `Digest`; never throws. */
export function parseDigest(markdown: string, file: string): ParseResult {
  try {
    return parseUnsafe(markdown, file);
  } catch (error) {
    return {
      ok: false,
      error: { file, message: `could not be read: ${(error as Error).message}` },
    };
  }
}

function parseUnsafe(markdown: string, file: string): ParseResult {
  if (markdown.length > MAX_DIGEST_BYTES) {
    const size = (markdown.length / 1024 / 1024).toFixed(1);
    return {
      ok: false,
      error: { file, message: `too large to be a digest (${size} MB; the limit is 4 MB)` },
    };
  }
  const capped = capNesting(normalizeSource(markdown));
  const { text: source, firstDefusedLine } = defuseFloods(capped.text);
  const firstCappedLine = capped.firstCappedLine;
  const sourceLines = source.split("\n");
  const warnings: Warning[] = [];
  const warn = (line: number, message: string) => {
    const clamped = Math.min(Math.max(1, line), sourceLines.length);
    warnings.push({ file, line: clamped, message });
  };
  if (firstCappedLine !== null) {
    warn(firstCappedLine, `nesting deeper than ${MAX_CONTAINER_PREFIX} columns was flattened`);
  }
  if (firstDefusedLine !== null) {
    warn(
      firstDefusedLine,
      `more than ${MAX_MARKERS_PER_BLOCK} emphasis or link markers in one block; read as plain text`,
    );
  }
  const blocks = topLevelBlocks(source);

  let headingDate: string | null = null;
  let headingLine = 1;
  // Papers before any `## Daily Papers` heading count (a file may be just the list); any other
  // `##` heading (License, Citation) ends the section until the next `## Daily Papers`.
  let inSection = true;
  let current: PaperBuilder | null = null;
  let skipping = false;
  const papers: Paper[] = [];
  const seen = new Map<string, number>();

  const finish = () => {
    if (current === null) return;
    const paper = current.build();
    if (paper.id !== null && seen.has(paper.id)) {
      warn(
        current.line,
        `paper ${paper.id} already appears at line ${seen.get(paper.id)}; kept the first`,
      );
    } else {
      if (paper.id !== null) seen.set(paper.id, current.line);
      papers.push(paper);
    }
    current = null;
  };

  for (const node of blocks.nodes) {
    if (node.type === "heading" && node.depth <= 2) {
      finish();
      skipping = false;
      const match = DAILY_HEADING.exec(cleanText(plainText(node)));
      if (match?.[1] && isRealDate(match[1])) {
        if (headingDate === null) {
          headingDate = match[1];
          headingLine = lineOf(node);
        }
        inSection = true;
      } else if (match?.[1]) {
        warn(lineOf(node), `"${match[1]}" is not a real date`);
      } else if (node.depth === 2) {
        inSection = false;
      }
      continue;
    }
    // Text no paper takes is not parsed further: on to the next heading.
    if (!inSection) {
      blocks.skipToHeading();
      continue;
    }
    if (node.type === "heading" && node.depth === 3) {
      finish();
      const link = findLink(node);
      const title = link ? cleanText(plainText(link)) : "";
      const url = link?.url.trim() ?? "";
      skipping = link === null || title === "" || url === "";
      if (link === null) warn(lineOf(node), "paper heading has no link; skipped");
      else if (title === "") warn(lineOf(node), "paper heading link has no title; skipped");
      else if (url === "") warn(lineOf(node), "paper heading link has no URL; skipped");
      else current = new PaperBuilder(title, url, lineOf(node), sourceLines, warn);
      continue;
    }
    if (current === null || skipping) {
      blocks.skipToHeading();
      continue;
    }
    if (node.type === "paragraph") current.addParagraph(node);
    else if (node.type === "html") current.addHtml(node);
    else if (node.type === "list") current.addList(node);
    else if (node.type === "blockquote" || node.type === "code" || node.type === "heading")
      current.addOther(plainText(node), lineOf(node));
    if (current.full) blocks.skipToHeading();
  }
  finish();
  for (const line of blocks.skipped) {
    const size = Math.round(MAX_SECTION_CHARS / 1024);
    warn(line, `a block longer than ${size} KB starts here; not read`);
  }

  const nameDate = dateFromFileName(file);
  if (headingDate !== null && nameDate !== null && headingDate !== nameDate) {
    warn(
      headingLine,
      `the heading's date ${headingDate} disagrees with the file name's ${nameDate}; the heading's is used`,
    );
  }
  const date = headingDate ?? nameDate;
  if (date === null) {
    return {
      ok: false,
      error: {
        file,
        message:
          'not a digest: no "## Daily Papers (YYYY-MM-DD)" heading and the file name is not YYYY-MM-DD.md',
      },
    };
  }
  if (papers.length === 0) warn(headingLine, "digest has no papers");
  return { ok: true, digest: { date, source: file, papers, warnings } };
}
