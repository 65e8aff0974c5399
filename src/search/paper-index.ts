import type { Catalog, PaperRef } from "../archive/catalog.js";
import type { AuthorIndex, AuthorSuggestion } from "./author-index.js";
import { fold, forEachGram } from "./grams.js";
import { COMMON_PAIR, type PaperIndexParts, paperIndexParts } from "./index-build.js";
import { type DocList, intersect, type Postings } from "./postings.js";
import { runSliced, runSteps, type SliceOptions } from "./steps.js";
import type { TitleMatcher } from "./title-matcher.js";

/**
 * Lookups over the whole archive: titles and ids (typo-tolerant), authors, and full text. Each
 * paper's number is its rank (votes, then newest), so ascending posting lists are already in
 * the order results are shown and no lookup sorts its matches.
 */
export class PaperIndex {
  private readonly refs: PaperRef[];
  private readonly newest: PaperRef[];
  private readonly titles: string[];
  private readonly bodies: string[];
  private readonly idOrder: number[];
  private readonly text: Postings;
  private readonly commonTrigrams: Postings;
  private readonly matcher: TitleMatcher;
  private readonly authors: AuthorIndex;

  /** The index over `catalog`, built at once; or over parts built beforehand. */
  constructor(source: Catalog | PaperIndexParts) {
    const parts = "refs" in source ? source : runSteps(paperIndexParts(source));
    this.refs = parts.refs;
    this.newest = parts.newest;
    this.titles = parts.titles;
    this.bodies = parts.bodies;
    this.idOrder = parts.idOrder;
    this.text = parts.text;
    this.commonTrigrams = parts.commonTrigrams;
    this.matcher = parts.matcher;
    this.authors = parts.authors;
  }

  /**
   * The index over `catalog`, built a slice of a few milliseconds at a time so the event loop
   * keeps serving meanwhile; null if `signal` is aborted first (a newer build supersedes it).
   */
  static async buildSliced(
    catalog: Catalog,
    options: SliceOptions = {},
  ): Promise<PaperIndex | null> {
    const parts = await runSliced(paperIndexParts(catalog), options);
    return parts === null ? null : new PaperIndex(parts);
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
   * must occur as a substring: a one- or two-character word is exactly its posting list, and so
   * is a three-character one made of common pairs; any other is narrowed by its pairs (and
   * indexed trigrams) and then checked. Title hits rank first, then votes.
   */
  search(query: string): PaperRef[] {
    const words = [...new Set(fold(query).split(" "))].filter((w) => w !== "");
    if (words.length === 0) return [];
    const narrowed = words.map((word) => ({ word, ...this.narrow(word) }));
    narrowed.sort((a, b) => (a.lists[0]?.length ?? 0) - (b.lists[0]?.length ?? 0));
    let pool: ArrayLike<number> | null = null;
    for (const { word, lists, exact } of narrowed) {
      let found: ArrayLike<number> = pool ?? (lists[0] as DocList);
      for (let i = pool === null ? 1 : 0; i < lists.length; i++)
        found = intersect(found, lists[i] as DocList);
      pool = exact ? found : this.holding(found, word);
      if (pool.length === 0) return [];
    }
    return this.titleHitsFirst(pool as ArrayLike<number>, words);
  }

  /**
   * The posting lists that narrow `word`, shortest first, and whether together they are exact
   * (then the papers need no check).
   */
  private narrow(word: string): { lists: DocList[]; exact: boolean } {
    if (word.length <= 2) return { lists: [this.text.get(word)], exact: true };
    const pairs: DocList[] = [];
    forEachGram(word, 2, (gram) => pairs.push(this.text.get(gram)));
    const lists = [...pairs];
    let indexed = 0;
    for (let i = 0; i + 1 < pairs.length; i++) {
      if ((pairs[i] as DocList).length < COMMON_PAIR) continue;
      if ((pairs[i + 1] as DocList).length < COMMON_PAIR) continue;
      lists.push(this.commonTrigrams.get(word.slice(i, i + 3)));
      indexed++;
    }
    return {
      lists: lists.sort((a, b) => a.length - b.length),
      exact: word.length === 3 && indexed === 1,
    };
  }

  /** The papers of `ids` whose title or summary holds `word`. */
  private holding(ids: ArrayLike<number>, word: string): number[] {
    const out: number[] = [];
    for (let i = 0; i < ids.length; i++) {
      const id = ids[i] as number;
      if ((this.bodies[id] as string).includes(word)) out.push(id);
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
