/**
 * Folds text for matching: no accents, lower case, punctuation as spaces. Hangul is composed
 * again after accents are stripped, so a Korean word matches whole syllables (and its character
 * pairs are syllable pairs, which are rare enough to index).
 */
export function fold(text: string): string {
  return text
    .normalize("NFKD")
    .replace(/\p{M}/gu, "")
    .normalize("NFC")
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, " ")
    .trim();
}

/** The distinct n-grams (UTF-16 units) of a folded text, padded with a space at each end. */
export function paddedGrams(text: string, n: number): string[] {
  const padded = ` ${text} `;
  const out = new Set<string>();
  for (let i = 0; i + n <= padded.length; i++) out.add(padded.slice(i, i + n));
  return [...out];
}

/** Calls `fn` with every n-gram (UTF-16 units) of `text`, or only those inside its words. */
export function forEachGram(
  text: string,
  n: number,
  fn: (gram: string) => void,
  insideWords = true,
): void {
  for (let i = 0; i + n <= text.length; i++) {
    const gram = text.slice(i, i + n);
    if (!insideWords || !gram.includes(" ")) fn(gram);
  }
}
