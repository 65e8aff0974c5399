import type { Digest } from "../digest/model.js";
import type { ParseResult } from "../digest/parse.js";
import type { SummaryShelf } from "./summary-shelf.js";

export interface LoadedFile {
  hash: string;
  result: ParseResult;
  /** True once the parse cache holds this result: its summaries can then be shelved. */
  cached: boolean;
}

/** The digests of this many newest dates keep their summaries in memory (see `SummaryShelf`). */
export const DATES_WITH_SUMMARIES = 7;
/**
 * A digest with more summary text than this keeps it in memory whatever its date: reading one
 * paper's summary back means reading its whole file's result (a real digest holds ~30,000
 * characters; a 5,000-paper one ten times this limit would take tens of milliseconds each time).
 */
export const MAX_SHELVED_SUMMARY_CHARS = 128 * 1024;

function summaryChars(digest: Digest): number {
  let chars = 0;
  for (const paper of digest.papers)
    for (const item of paper.summary) chars += item.text.length + (item.label?.length ?? 0);
  return chars;
}

/**
 * Shelves the summaries of every cached digest older than the newest `DATES_WITH_SUMMARIES`
 * dates (they are read back from the parse cache when shown, see `SummaryShelf`). True when a
 * digest's papers were replaced by shelved ones.
 */
export function shelveOlder(files: Map<string, LoadedFile>, shelf: SummaryShelf): boolean {
  const dates = new Set<string>();
  for (const { result } of files.values()) if (result.ok) dates.add(result.digest.date);
  const kept = new Set([...dates].sort().reverse().slice(0, DATES_WITH_SUMMARIES));
  let shelved = false;
  for (const [path, { hash, result, cached }] of files) {
    if (!cached || !result.ok || kept.has(result.digest.date)) continue;
    // Already shelved: its summaries are not read back to be measured.
    if (result.digest.papers.every((paper) => shelf.isShelved(paper))) continue;
    if (summaryChars(result.digest) > MAX_SHELVED_SUMMARY_CHARS) continue;
    result.digest.papers = shelf.shelve(result.digest.papers, { path, hash });
    shelved = true;
  }
  return shelved;
}
