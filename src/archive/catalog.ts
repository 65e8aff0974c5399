import type { Digest, Paper } from "../digest/model.js";
import { foldName } from "./search-key.js";

/** A paper together with the digest date it appeared in and its place there (1 = first). */
export interface PaperRef {
  paper: Paper;
  date: string;
  position: number;
}

/** Orders papers by votes (unknown last), then newest date, then position in the digest. */
export function compareByVotes(a: PaperRef, b: PaperRef): number {
  const votes = (b.paper.votes ?? -1) - (a.paper.votes ?? -1);
  if (votes !== 0) return votes;
  if (a.date !== b.date) return a.date < b.date ? 1 : -1;
  return a.position - b.position;
}

/** Read-only indexes over a set of digests: by date, by paper id, by author. */
export class Catalog {
  private readonly byDate = new Map<string, Digest>();
  private readonly sortedDates: string[];
  private readonly byId = new Map<string, PaperRef>();
  /** Built on the first author lookup: a catalog is rebuilt after every change, often unread. */
  private authorKeys: Map<string, PaperRef[]> | null = null;
  readonly paperCount: number;

  constructor(digests: Iterable<Digest>) {
    let count = 0;
    for (const digest of digests) this.byDate.set(digest.date, digest);
    this.sortedDates = [...this.byDate.keys()].sort().reverse();
    for (const date of this.sortedDates) {
      const digest = this.byDate.get(date) as Digest;
      digest.papers.forEach((paper, index) => {
        count++;
        if (paper.id !== null && !this.byId.has(paper.id))
          this.byId.set(paper.id, { paper, date, position: index + 1 });
      });
    }
    this.paperCount = count;
  }

  private get byAuthorKey(): Map<string, PaperRef[]> {
    if (this.authorKeys) return this.authorKeys;
    const keys = new Map<string, PaperRef[]>();
    for (const date of this.sortedDates) {
      (this.byDate.get(date) as Digest).papers.forEach((paper, index) => {
        const ref: PaperRef = { paper, date, position: index + 1 };
        for (const author of new Set(paper.authors.map(foldName))) {
          if (author === "") continue;
          const list = keys.get(author);
          if (list) list.push(ref);
          else keys.set(author, [ref]);
        }
      });
    }
    this.authorKeys = keys;
    return keys;
  }

  /** Every digest date, newest first. */
  dates(): readonly string[] {
    return this.sortedDates;
  }

  /** The digest with the latest date. */
  newest(): Digest | null {
    const date = this.sortedDates[0];
    return date === undefined ? null : (this.byDate.get(date) ?? null);
  }

  /** The digest of one date (YYYY-MM-DD). */
  digest(date: string): Digest | null {
    return this.byDate.get(date) ?? null;
  }

  /** A paper by arXiv id (its newest appearance). */
  paper(id: string): PaperRef | null {
    return this.byId.get(id.trim().replace(/v\d+$/, "")) ?? null;
  }

  /** A paper by its heading link (for papers that are not on arXiv). */
  paperByUrl(url: string): PaperRef | null {
    for (const date of this.sortedDates) {
      const digest = this.byDate.get(date) as Digest;
      const index = digest.papers.findIndex((paper) => paper.url === url);
      if (index >= 0) return { paper: digest.papers[index] as Paper, date, position: index + 1 };
    }
    return null;
  }

  /** Papers of digests dated `from`..`to` (inclusive), best-voted first. */
  ranked(from: string, to: string, limit = Number.POSITIVE_INFINITY): PaperRef[] {
    const refs: PaperRef[] = [];
    for (const date of this.sortedDates) {
      if (date < from || date > to) continue;
      const digest = this.byDate.get(date) as Digest;
      digest.papers.forEach((paper, index) => {
        refs.push({ paper, date, position: index + 1 });
      });
    }
    return refs.sort(compareByVotes).slice(0, limit);
  }

  /** Papers by an author, newest first; matches a full name or a surname, ignoring case and accents. */
  byAuthor(name: string): PaperRef[] {
    const key = foldName(name);
    if (key === "") return [];
    const exact = this.byAuthorKey.get(key);
    if (exact) return exact;
    const found: PaperRef[] = [];
    for (const [author, refs] of this.byAuthorKey) {
      if (author.endsWith(` ${key}`)) found.push(...refs);
    }
    const unique = [...new Set(found)];
    return unique.sort((a, b) =>
      a.date === b.date ? a.position - b.position : a.date < b.date ? 1 : -1,
    );
  }
}
