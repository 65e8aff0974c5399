import type { Digest, Paper } from "../digest/model.js";

/** A channel's choice of papers. */
export interface PaperFilter {
  minVotes: number | null;
  topN: number | null;
  includeKeywords: readonly string[];
  excludeKeywords: readonly string[];
}

export const NO_FILTER: PaperFilter = {
  minVotes: null,
  topN: null,
  includeKeywords: [],
  excludeKeywords: [],
};

/** A paper with its rank in the whole digest (1 = most votes). */
export interface RankedPaper {
  paper: Paper;
  rank: number;
}

/** The lower-cased text keyword filters look in: the title and the summary. */
export function haystack(paper: Paper): string {
  return `${paper.title}\n${paper.summary.map((s) => `${s.label ?? ""} ${s.text}`).join("\n")}`.toLowerCase();
}

/** Ranks a digest's papers by votes (unknown last, ties in digest order). */
export function rankPapers(digest: Digest): RankedPaper[] {
  return digest.papers
    .map((paper, index) => ({ paper, index }))
    .sort((a, b) => (b.paper.votes ?? -1) - (a.paper.votes ?? -1) || a.index - b.index)
    .map(({ paper }, index) => ({ paper, rank: index + 1 }));
}

/** The papers a channel gets, best first: minimum votes, keywords, then the top N. */
export function selectPapers(digest: Digest, filter: PaperFilter): RankedPaper[] {
  const include = filter.includeKeywords.map((k) => k.toLowerCase()).filter((k) => k !== "");
  const exclude = filter.excludeKeywords.map((k) => k.toLowerCase()).filter((k) => k !== "");
  const chosen = rankPapers(digest).filter(({ paper }) => {
    if (filter.minVotes !== null && (paper.votes ?? 0) < filter.minVotes) return false;
    const text = haystack(paper);
    if (include.length > 0 && !include.some((k) => text.includes(k))) return false;
    return !exclude.some((k) => text.includes(k));
  });
  return filter.topN === null ? chosen : chosen.slice(0, filter.topN);
}
