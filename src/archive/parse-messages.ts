import type { Paper } from "../digest/model.js";
import type { ParseResult } from "../digest/parse.js";

/** What `ParsePool` and its parse workers say to each other. */

/** A file to parse, sent by `ParsePool`. */
export interface ParseRequest {
  id: number;
  path: string;
  bytes: Uint8Array;
}

/** Asks for the next papers of the file being answered. */
export interface MoreRequest {
  id: number;
  more: true;
}

/**
 * The answer to a `ParseRequest`: the result with its first papers, and how many papers follow
 * (each asked for with a `MoreRequest`).
 */
export interface ParseReply {
  id: number;
  result: ParseResult;
  json?: string;
  pending?: number;
}

/** The next papers of a digest, and how many are still to come. */
export interface MoreReply {
  id: number;
  papers: Paper[];
  pending: number;
}

/**
 * Papers per message. Taking in a message is one uninterrupted task on the bot's thread: the
 * papers of a 5,000-paper digest at once take it 10–30 ms, a few hundred well under 2 ms.
 */
export const PAPERS_PER_MESSAGE = 250;
/** Characters of text per message at most (a batch of unusually long papers ends sooner). */
export const CHARS_PER_MESSAGE = 256 * 1024;

/** About how many characters a paper brings into a message. */
function paperChars(paper: Paper): number {
  let chars = paper.title.length + paper.url.length + (paper.media?.url.length ?? 0);
  for (const author of paper.authors) chars += author.length;
  for (const item of paper.summary) chars += (item.label?.length ?? 0) + item.text.length;
  return chars;
}

/** How many of `papers`, from `start`, go in one message (at least one). */
export function batchLength(papers: readonly Paper[], start: number): number {
  let chars = 0;
  let end = start;
  while (end < papers.length && end - start < PAPERS_PER_MESSAGE) {
    chars += paperChars(papers[end] as Paper);
    if (chars > CHARS_PER_MESSAGE && end > start) break;
    end++;
  }
  return end - start;
}
