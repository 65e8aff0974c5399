import { foldName } from "../archive/search-key.js";
import { fold } from "../search/grams.js";
import type { FollowKind } from "./model.js";

/**
 * What a follow matches. An author: the folded name (accents and case ignored, as `/author`). A
 * topic: its folded words, each once, in order (each must occur, inside longer words too, in a
 * paper's title or summary, as `/search` matches). Empty when nothing is left to match.
 */
export function followKey(kind: FollowKind, value: string): string {
  if (kind === "author") return foldName(value);
  return [...new Set(fold(value).split(" "))].filter((w) => w !== "").join(" ");
}
