/** Names folded so far: rebuilding the catalog after a change folds only names it has not seen. */
const folded = new Map<string, string>();
/** Past this many names the memo starts over, so it cannot grow without bound. */
const MAX_REMEMBERED = 200_000;

/** Folds a name for matching: no accents, lower case, single spaces. */
export function foldName(name: string): string {
  const known = folded.get(name);
  if (known !== undefined) return known;
  const key = name
    .normalize("NFKD")
    .replace(/\p{M}/gu, "")
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, " ")
    .trim();
  if (folded.size >= MAX_REMEMBERED) folded.clear();
  folded.set(name, key);
  return key;
}
