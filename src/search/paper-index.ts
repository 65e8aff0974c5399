import type { Catalog, PaperRef } from "../archive/catalog.js";
import { addPostings, fold, grams } from "./grams.js";
import { plainText } from "./plain.js";

interface Entry {
  ref: PaperRef;
  title: string;
  text: string;
}

interface AuthorEntry {
  key: string;
  name: string;
  count: number;
}

/** The ids in both ascending lists. */
function intersect(a: readonly number[], b: readonly number[]): number[] {
  const out: number[] = [];
  let i = 0;
  let j = 0;
  while (i < a.length && j < b.length) {
    const x = a[i] as number;
    const y = b[j] as number;
    if (x === y) {
      out.push(x);
      i++;
      j++;
    } else if (x < y) i++;
    else j++;
  }
  return out;
}

/** Lookups over the whole archive: titles and ids (typo-tolerant), authors, and full text. */
export class PaperIndex {
  private readonly entries: Entry[] = [];
  private readonly titleTrigrams = new Map<string, number[]>();
  private readonly textBigrams = new Map<string, number[]>();
  private readonly authors = new Map<string, AuthorEntry>();
  private readonly authorsByCount: AuthorEntry[] = [];
  /** Authors by the first letter of each name part, most papers first: `[author, part offset]`. */
  private readonly authorStarts = new Map<string, [AuthorEntry, number][]>();
  /** Authors (by their place in `authorsByCount`) by trigram, for matches inside a name. */
  private readonly authorTrigrams = new Map<string, number[]>();
  /** Reused score buffer for title matching (one slot per paper). */
  private readonly scores: Uint16Array;

  constructor(catalog: Catalog) {
    const seen = new Set<string>();
    for (const date of catalog.dates()) {
      catalog.digest(date)?.papers.forEach((paper, index) => {
        const key = paper.id ?? paper.url;
        if (seen.has(key)) return;
        seen.add(key);
        const id = this.entries.length;
        const title = fold(paper.title);
        const summary = paper.summary.map((s) => `${s.label ?? ""} ${plainText(s.text)}`).join(" ");
        const text = fold(`${paper.title} ${summary}`);
        this.entries.push({ ref: { paper, date, position: index + 1 }, title, text });
        addPostings(this.titleTrigrams, grams(title, 3), id);
        addPostings(this.textBigrams, grams(text, 2), id);
        for (const name of paper.authors) {
          const folded = fold(name);
          const known = this.authors.get(folded);
          if (known) known.count++;
          else this.authors.set(folded, { key: folded, name, count: 1 });
        }
      });
    }
    this.authorsByCount.push(...this.authors.values());
    this.authorsByCount.sort((a, b) => b.count - a.count || a.name.localeCompare(b.name));
    for (const author of this.authorsByCount) {
      let offset = 0;
      for (const part of author.key.split(" ")) {
        const list = this.authorStarts.get(part.charAt(0)) ?? [];
        list.push([author, offset]);
        this.authorStarts.set(part.charAt(0), list);
        offset += part.length + 1;
      }
    }
    for (const [i, author] of this.authorsByCount.entries()) {
      addPostings(this.authorTrigrams, grams(author.key, 3), i);
    }
    this.scores = new Uint16Array(this.entries.length);
  }

  get size(): number {
    return this.entries.length;
  }

  /** Papers whose id starts with the query, or whose title matches it best (tolerating typos). */
  suggestPapers(query: string, limit = 25): PaperRef[] {
    const q = query.trim();
    if (q === "") return this.entries.slice(0, limit).map((e) => e.ref);
    if (/^\d{4}\.?\d*$/.test(q)) {
      const byId = this.entries.filter((e) => e.ref.paper.id?.startsWith(q)).slice(0, limit);
      if (byId.length > 0) return byId.map((e) => e.ref);
    }
    const folded = fold(q);
    const queryGrams = grams(folded, 3);
    const scores = this.scores;
    const touched: number[] = [];
    // Trigrams found in an eighth of all titles say little and cost the most; skip them when the
    // query has enough others.
    const common = this.entries.length / 8;
    const useful = [...queryGrams].filter(
      (g) => (this.titleTrigrams.get(g)?.length ?? 0) <= common,
    );
    const used = useful.length >= 4 ? useful : [...queryGrams];
    for (const gram of used) {
      for (const id of this.titleTrigrams.get(gram) ?? []) {
        if (scores[id] === 0) touched.push(id);
        scores[id] = (scores[id] as number) + 1;
      }
    }
    // Trigrams shared with the query: at least 40%, so a typo or two still matches.
    const minimum = Math.max(1, Math.floor(used.length * 0.4));
    const matched: { entry: Entry; score: number }[] = [];
    for (const id of touched) {
      const score = scores[id] as number;
      scores[id] = 0;
      if (score < minimum) continue;
      const entry = this.entries[id] as Entry;
      matched.push({ entry, score: score + (entry.title.includes(folded) ? used.length : 0) });
    }
    return matched
      .sort(
        (a, b) =>
          b.score - a.score || (b.entry.ref.paper.votes ?? -1) - (a.entry.ref.paper.votes ?? -1),
      )
      .slice(0, limit)
      .map(({ entry }) => entry.ref);
  }

  /** Author names matching a full name or the start of any name part (a surname), most papers first. */
  suggestAuthors(query: string, limit = 25): { name: string; count: number }[] {
    const folded = fold(query);
    const found: AuthorEntry[] = [];
    const exact = folded === "" ? undefined : this.authors.get(folded);
    if (exact) found.push(exact);
    if (folded === "") found.push(...this.authorsByCount.slice(0, limit));
    for (const [author, offset] of this.authorStarts.get(folded.charAt(0)) ?? []) {
      if (found.length >= limit) break;
      if (author !== exact && author.key.startsWith(folded, offset) && !found.includes(author))
        found.push(author);
    }
    // Then names holding the text elsewhere ("ang" in "Zhang"), still most papers first.
    if (found.length < limit && folded.length >= 3) {
      const lists = [...grams(folded, 3)]
        .filter((g) => !g.startsWith(" ") && !g.endsWith(" "))
        .map((g) => this.authorTrigrams.get(g) ?? []);
      lists.sort((a, b) => a.length - b.length);
      const pool =
        lists.reduce<number[] | null>(
          (acc, list) => (acc === null ? list : intersect(acc, list)),
          null,
        ) ?? [];
      for (const i of pool) {
        if (found.length >= limit) break;
        const author = this.authorsByCount[i] as AuthorEntry;
        if (author.key.includes(folded) && !found.includes(author)) found.push(author);
      }
    }
    return found.slice(0, limit).map(({ name, count }) => ({ name, count }));
  }

  /**
   * Full-text search over titles and summaries. Korean runs words together, so every query word
   * must occur as a substring: candidates come from the rarest character pair of each word (a
   * two-letter word is exactly its pair), then are checked. Title hits rank first, then votes.
   */
  search(query: string): PaperRef[] {
    const words = [
      ...new Set(
        fold(query)
          .split(" ")
          .filter((w) => w !== ""),
      ),
    ];
    if (words.length === 0) return [];
    let candidates: number[] | null = null;
    for (const word of words) {
      const pairs = [...grams(word, 2)].filter((g) => !g.includes(" "));
      const lists = pairs
        .map((g) => this.textBigrams.get(g) ?? [])
        .sort((x, y) => x.length - y.length);
      let pool: number[] =
        lists.length === 0
          ? this.entries.map((_, i) => i)
          : lists.reduce((acc, list) => intersect(acc, list));
      if (candidates !== null) pool = intersect(candidates, pool);
      candidates =
        pairs.length === 1
          ? pool
          : pool.filter((id) => (this.entries[id] as Entry).text.includes(word));
      if (candidates.length === 0) return [];
    }
    return (candidates ?? [])
      .map((id) => {
        const entry = this.entries[id] as Entry;
        return { entry, inTitle: words.filter((w) => entry.title.includes(w)).length };
      })
      .sort(
        (a, b) =>
          b.inTitle - a.inTitle ||
          (b.entry.ref.paper.votes ?? -1) - (a.entry.ref.paper.votes ?? -1) ||
          (a.entry.ref.date < b.entry.ref.date ? 1 : -1),
      )
      .map(({ entry }) => entry.ref);
  }
}
