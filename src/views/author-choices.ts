import { truncate } from "../discord/limits.js";
import type { PaperIndex } from "../search/paper-index.js";

/** Autocomplete choices for an author's name: the archive's spellings, each with its paper count. */
export function authorChoices(index: PaperIndex, typed: string): { name: string; value: string }[] {
  return index.suggestAuthors(typed, 25).map(({ name, count }) => ({
    name: truncate(`${name} (${count})`, 100),
    value: truncate(name, 100),
  }));
}
