import type { Catalog, PaperRef } from "../archive/catalog.js";
import { addPostings, fold, grams } from "./grams.js";
import { plainText } from "./plain.js";

interface Entry {
  ref: PaperRef;
  title: string;
  text: string;
}

/** Lookups over the whole archive: titles and ids (typo-tolerant), authors, and full text. */
export class PaperIndex {
  private readonly entries: Entry[] = [];
  private readonly titleTrigrams = new Map<string, number[]>();
  private readonly textBigrams = new Map<string, number[]>();
  private readonly authors = new Map<string, { name: string; count: number }>();

  constructor(catalog: Catalog) {
    const seen = new Set<string>();
    for (const date of catalog.dates()) {
      const digest = catalog.digest(date);
      digest?.papers.forEach((paper, index) => {
        const key = paper.id ?? paper.url;
        if (seen.has(key)) return;
        seen.add(key);
        const id = this.entries.length;
        const title = fold(paper.title);
        const text = fold(
          `${paper.title} ${paper.summary.map((s) => `${s.label ?? ""} ${plainText(s.text)}`).join(" ")}`,
        );
        this.entries.push({ ref: { paper, date, position: index + 1 }, title, text });
        addPostings(this.titleTrigrams, grams(title, 3), id);
        addPostings(this.textBigrams, grams(text, 2), id);
        for (const name of paper.authors) {
          const folded = fold(name);
          const known = this.authors.get(folded);
          if (known) known.count++;
          else this.authors.set(folded, { name, count: 1 });
        }
      });
    }
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
    const scores = new Map<number, number>();
    for (const gram of queryGrams) {
      for (const id of this.titleTrigrams.get(gram) ?? [])
        scores.set(id, (scores.get(id) ?? 0) + 1);
    }
    const minimum = Math.max(1, Math.floor(queryGrams.size * 0.4));
    return [...scores]
      .filter(([, score]) => score >= minimum)
      .map(([id, score]) => {
        const entry = this.entries[id] as Entry;
        const bonus = entry.title.includes(folded) ? queryGrams.size : 0;
        return { entry, score: score + bonus };
      })
      .sort(
        (a, b) =>
          b.score - a.score || (b.entry.ref.paper.votes ?? -1) - (a.entry.ref.paper.votes ?? -1),
      )
      .slice(0, limit)
      .map(({ entry }) => entry.ref);
  }

  /** Author names matching a full name, a surname or the start of any name part; most papers first. */
  suggestAuthors(query: string, limit = 25): { name: string; count: number }[] {
    const folded = fold(query);
    const found: { name: string; count: number; rank: number }[] = [];
    for (const [key, author] of this.authors) {
      if (folded === "") found.push({ ...author, rank: 2 });
      else if (key === folded) found.push({ ...author, rank: 0 });
      else if (key.startsWith(folded) || key.includes(` ${folded}`))
        found.push({ ...author, rank: 1 });
      else if (key.includes(folded)) found.push({ ...author, rank: 2 });
    }
    return found
      .sort((a, b) => a.rank - b.rank || b.count - a.count || a.name.localeCompare(b.name))
      .slice(0, limit)
      .map(({ name, count }) => ({ name, count }));
  }

  /**
   * Full-text search over titles and summaries. Korean runs words together, so every query word
   * must occur as a substring (candidates come from the rarest character pair of each word);
   * title hits rank first, then the number of occurrences, then votes.
   */
  search(query: string): PaperRef[] {
    const words = fold(query)
      .split(" ")
      .filter((w) => w !== "");
    if (words.length === 0) return [];
    let candidates: Set<number> | null = null;
    for (const word of words) {
      const wordGrams =
        word.length === 1
          ? [...grams(word, 1)]
          : [...grams(word, 2)].filter((g) => !g.includes(" "));
      const lists = wordGrams.map((g) => this.textBigrams.get(g) ?? []);
      const rarest = word.length === 1 ? null : lists.sort((a, b) => a.length - b.length)[0];
      const pool: number[] = rarest ?? this.entries.map((_, i) => i);
      const next = new Set<number>();
      for (const id of pool) {
        if (candidates !== null && !candidates.has(id)) continue;
        if ((this.entries[id] as Entry).text.includes(word)) next.add(id);
      }
      candidates = next;
      if (candidates.size === 0) return [];
    }
    return [...(candidates ?? [])]
      .map((id) => {
        const entry = this.entries[id] as Entry;
        const inTitle = words.filter((w) => entry.title.includes(w)).length;
        const hits = words.reduce((n, w) => n + entry.text.split(w).length - 1, 0);
        return { entry, inTitle, hits };
      })
      .sort(
        (a, b) =>
          b.inTitle - a.inTitle ||
          b.hits - a.hits ||
          (b.entry.ref.paper.votes ?? -1) - (a.entry.ref.paper.votes ?? -1),
      )
      .map(({ entry }) => entry.ref);
  }
}
