import type { Catalog, PaperRef } from "../archive/catalog.js";
import { AuthorIndex, type AuthorSuggestion } from "./author-index.js";
import { fold, forEachGram, paddedGrams } from "./grams.js";
import { plainText } from "./plain.js";
import { type DocList, intersect, type Postings, PostingsBuilder } from "./postings.js";
import { TitleMatcher } from "./title-matcher.js";

/** Orders papers once for every lookup: most votes (unknown last), newest date, place in digest. */
function byRank(a: PaperRef, b: PaperRef): number {
  const votes = (b.paper.votes ?? -1) - (a.paper.votes ?? -1);
  if (votes !== 0) return votes;
  if (a.date !== b.date) return a.date < b.date ? 1 : -1;
  return a.position - b.position;
}

/**
 * Lookups over the whole archive: titles and ids (typo-tolerant), authors, and full text. Each
 * paper's number is its rank (votes, then newest), so ascending posting lists are already in
 * the order results are shown and no lookup sorts its matches.
 */
export class PaperIndex {
  private readonly refs: PaperRef[];
  /** Papers of the newest digests first, as suggested before anything is typed. */
  private readonly newest: PaperRef[];
  private readonly titles: string[];
  private readonly summaries: string[];
  /** Paper numbers sorted by arXiv id, and those ids, for id prefixes. */
  private readonly idOrder: number[];
  /** Characters and character pairs of titles and summaries (inside words only). */
  private readonly text: Postings;
  private readonly matcher: TitleMatcher;
  private readonly authors: AuthorIndex;

  constructor(catalog: Catalog) {
    const seen = new Set<string>();
    this.newest = [];
    for (const date of catalog.dates()) {
      catalog.digest(date)?.papers.forEach((paper, index) => {
        const key = paper.id ?? paper.url;
        if (seen.has(key)) return;
        seen.add(key);
        this.newest.push({ paper, date, position: index + 1 });
      });
    }
    this.refs = [...this.newest].sort(byRank);
    this.titles = this.refs.map((r) => fold(r.paper.title));
    this.summaries = this.refs.map((r) =>
      fold(r.paper.summary.map((s) => `${s.label ?? ""} ${plainText(s.text)}`).join(" ")),
    );
    const text = new PostingsBuilder();
    const titles = new PostingsBuilder();
    this.refs.forEach((_, id) => {
      for (const body of [this.titles[id] as string, this.summaries[id] as string]) {
        forEachGram(body, 1, (gram) => text.add(id, gram));
        forEachGram(body, 2, (gram) => text.add(id, gram));
      }
      for (const gram of paddedGrams(this.titles[id] as string, 3)) titles.add(id, gram);
    });
    this.text = text.build(this.refs.length);
    this.matcher = new TitleMatcher(this.titles, titles.build(this.refs.length));
    this.idOrder = this.refs
      .map((r, id) => ({ id, arxiv: r.paper.id }))
      .filter((e) => e.arxiv !== null)
      .sort((a, b) => ((a.arxiv as string) < (b.arxiv as string) ? -1 : 1))
      .map((e) => e.id);
    this.authors = new AuthorIndex(this.newest.map((r) => r.paper.authors));
  }

  get size(): number {
    return this.refs.length;
  }

  /** Papers whose id starts with the query (newest id first), or whose title matches it best. */
  suggestPapers(query: string, limit = 25): PaperRef[] {
    const q = query.trim();
    if (q === "") return this.newest.slice(0, limit);
    if (/^\d{4}\.?\d*$/.test(q)) {
      const byId = this.idPrefix(q, limit);
      if (byId.length > 0) return byId.map((id) => this.refs[id] as PaperRef);
    }
    return this.matcher.best(fold(q), limit).map((id) => this.refs[id] as PaperRef);
  }

  /** Up to `limit` papers whose arXiv id starts with `prefix`, highest id first. */
  private idPrefix(prefix: string, limit: number): number[] {
    const idOf = (i: number) => this.refs[this.idOrder[i] as number]?.paper.id as string;
    let lo = 0;
    let hi = this.idOrder.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (idOf(mid).slice(0, prefix.length) <= prefix) lo = mid + 1;
      else hi = mid;
    }
    const out: number[] = [];
    for (let i = lo - 1; i >= 0 && out.length < limit && idOf(i).startsWith(prefix); i--)
      out.push(this.idOrder[i] as number);
    return out;
  }

  /** Author names matching a full name or the start of any name part (a surname), most papers first. */
  suggestAuthors(query: string, limit = 25): AuthorSuggestion[] {
    return this.authors.suggest(query, limit);
  }

  /**
   * Full-text search over titles and summaries. Korean runs words together, so every query word
   * must occur as a substring: a one- or two-character word is exactly its posting list, a longer
   * one is narrowed by its character pairs and then checked. Title hits rank first, then votes.
   */
  search(query: string): PaperRef[] {
    const words = [...new Set(fold(query).split(" "))].filter((w) => w !== "");
    if (words.length === 0) return [];
    const narrowed = words.map((word) => ({ word, lists: this.lists(word) }));
    narrowed.sort((a, b) => (a.lists[0]?.length ?? 0) - (b.lists[0]?.length ?? 0));
    let pool: ArrayLike<number> | null = null;
    for (const { word, lists } of narrowed) {
      let found: ArrayLike<number> = pool ?? (lists[0] as DocList);
      for (let i = pool === null ? 1 : 0; i < lists.length; i++)
        found = intersect(found, lists[i] as DocList);
      pool = word.length > 2 ? this.holding(found, word) : found;
      if (pool.length === 0) return [];
    }
    return this.titleHitsFirst(pool as ArrayLike<number>, words);
  }

  /** The posting lists that narrow `word`, shortest first (one list when it is exact). */
  private lists(word: string): DocList[] {
    if (word.length <= 2) return [this.text.get(word)];
    const lists: DocList[] = [];
    forEachGram(word, 2, (gram) => lists.push(this.text.get(gram)));
    return lists.sort((a, b) => a.length - b.length);
  }

  /** The papers of `ids` whose title or summary holds `word`. */
  private holding(ids: ArrayLike<number>, word: string): number[] {
    const out: number[] = [];
    for (let i = 0; i < ids.length; i++) {
      const id = ids[i] as number;
      if (
        (this.titles[id] as string).includes(word) ||
        (this.summaries[id] as string).includes(word)
      )
        out.push(id);
    }
    return out;
  }

  /** Papers by how many query words their title holds, then by rank (already their order). */
  private titleHitsFirst(pool: ArrayLike<number>, words: readonly string[]): PaperRef[] {
    const buckets: PaperRef[][] = words.map(() => []);
    const rest: PaperRef[] = [];
    for (let i = 0; i < pool.length; i++) {
      const id = pool[i] as number;
      const title = this.titles[id] as string;
      let hits = 0;
      for (const word of words) if (title.includes(word)) hits++;
      (hits === 0 ? rest : (buckets[words.length - hits] as PaperRef[])).push(
        this.refs[id] as PaperRef,
      );
    }
    return buckets.flat().concat(rest);
  }
}
