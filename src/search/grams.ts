import { foldName } from "../archive/search-key.js";

/** Folds text for matching: no accents, lower case, punctuation as spaces. */
export function fold(text: string): string {
  return foldName(text);
}

/** The distinct character n-grams of a folded text (spaces count, so word edges matter). */
export function grams(text: string, n: number): Set<string> {
  const padded = ` ${text} `;
  const out = new Set<string>();
  const chars = [...padded];
  for (let i = 0; i + n <= chars.length; i++) out.add(chars.slice(i, i + n).join(""));
  return out;
}

/** Adds `id` to the posting list of each gram. */
export function addPostings(
  index: Map<string, number[]>,
  keys: Iterable<string>,
  id: number,
): void {
  for (const key of keys) {
    const list = index.get(key);
    if (list) list.push(id);
    else index.set(key, [id]);
  }
}
