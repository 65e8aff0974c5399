import type { Digest } from "../digest/model.js";

/** Merges the digests of several files that share one date; a paper id seen twice keeps the first. */
export function mergeDigests(parts: readonly Digest[]): Digest | null {
  const [first, ...rest] = parts;
  if (!first) return null;
  if (rest.length === 0) return first;
  const seen = new Set(first.papers.flatMap((paper) => (paper.id === null ? [] : [paper.id])));
  const merged: Digest = { ...first, papers: [...first.papers], warnings: [...first.warnings] };
  for (const part of rest) {
    for (const paper of part.papers) {
      if (paper.id !== null && seen.has(paper.id)) continue;
      if (paper.id !== null) seen.add(paper.id);
      merged.papers.push(paper);
    }
    merged.warnings.push(...part.warnings);
  }
  return merged;
}
