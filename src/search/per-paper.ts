import type { PaperRef } from "../archive/catalog.js";
import type { Paper } from "../digest/model.js";

/**
 * Remembers what `compute` made from a paper for as long as the paper lives. Autocomplete asks
 * for the same papers keystroke after keystroke, and an answer that cuts a long title to
 * Discord's limit costs far more than the lookup. `compute` must depend on `ref.paper` only.
 */
export function perPaper<T>(compute: (ref: PaperRef) => T): (ref: PaperRef) => T {
  const made = new WeakMap<Paper, T>();
  return (ref) => {
    const known = made.get(ref.paper);
    if (known !== undefined) return known;
    const value = compute(ref);
    made.set(ref.paper, value);
    return value;
  };
}
