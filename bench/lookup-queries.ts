import type { Catalog, PaperRef } from "../src/archive/catalog.js";
import { plainText } from "../src/search/plain.js";

/** What people type into `/paper`, `/author` and `/search`, drawn from the archive itself. */
export interface LookupQueries {
  paper: string[];
  author: string[];
  search: string[];
}

/** A small deterministic generator, so every run times the same queries. */
function random(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state + 0x6d2b79f5) | 0;
    let x = Math.imul(state ^ (state >>> 15), 1 | state);
    x = (x + Math.imul(x ^ (x >>> 7), 61 | x)) ^ x;
    return ((x ^ (x >>> 14)) >>> 0) / 4294967296;
  };
}

/** Every prefix of `text`, one character longer each time, as a user types it. */
function prefixes(text: string, max = 80): string[] {
  const chars = [...text].slice(0, max);
  return chars.map((_, i) => chars.slice(0, i + 1).join(""));
}

/** `text` with two neighbouring letters swapped somewhere past its start (a typing slip). */
function typo(text: string, next: () => number): string {
  const chars = [...text];
  if (chars.length < 4) return text;
  const at = 1 + Math.floor(next() * (chars.length - 2));
  [chars[at], chars[at + 1]] = [chars[at + 1] as string, chars[at] as string];
  return chars.join("");
}

const NO_MATCH = ["zzzz qqqq", "qxjv", "ㅋㅋㅋㅋ", "xyzzy plugh", "9999.9", "Qwfpgj Zxcvb"];

/**
 * Realistic lookups: typed prefixes of every length of real titles, ids and authors (full names
 * and surnames, with and without accents), typos, Korean words and pieces of words from the
 * summaries, English title words, two-word searches and queries that match nothing.
 */
export function lookupQueries(catalog: Catalog, sample = 60): LookupQueries {
  const next = random(11);
  const refs: PaperRef[] = catalog.ranked("0000", "9999");
  const pick = () => refs[Math.floor(next() * refs.length)] as PaperRef;
  const paper: string[] = [];
  const author: string[] = [];
  const search: string[] = [];
  for (let i = 0; i < sample; i++) {
    const { paper: p } = pick();
    paper.push(...prefixes(p.title));
    paper.push(typo(p.title.toLowerCase(), next), typo(p.title.slice(0, 20), next));
    if (p.id) paper.push(...prefixes(p.id));
    const name = p.authors[Math.floor(next() * p.authors.length)];
    if (name) {
      const plain = name.normalize("NFKD").replace(/\p{M}/gu, "");
      const surname = name.split(" ").at(-1) ?? name;
      author.push(...prefixes(name), ...prefixes(surname), plain.toLowerCase(), typo(name, next));
    }
    const words = p.title.split(/\s+/).filter((w) => w.length > 2);
    const word = words[Math.floor(next() * words.length)];
    if (word) search.push(word, `${word} ${words[0] ?? ""}`.trim());
    for (const item of p.summary) {
      const tokens = plainText(item.text)
        .split(/[\s.,()]+/)
        .filter((t) => /\p{Script=Hangul}/u.test(t));
      for (let k = 0; k < 3 && tokens.length > 0; k++) {
        const token = tokens[Math.floor(next() * tokens.length)] as string;
        const start = Math.floor(next() * Math.max(1, token.length - 2));
        search.push(token.slice(start, start + 2 + Math.floor(next() * 3)));
      }
      const two = tokens.slice(0, 2).join(" ");
      if (two) search.push(two);
    }
  }
  for (const q of NO_MATCH) {
    paper.push(q);
    author.push(q);
    search.push(q);
  }
  return { paper, author, search };
}
