import { paddedGrams } from "./grams.js";
import type { DocList, Postings } from "./postings.js";

/** How many known trigrams of a query are scored at most. */
const MOST_TRIGRAMS = 24;

/** The `most` shortest lists. */
function shortest(lists: DocList[], most: number): DocList[] {
  return lists.length <= most
    ? lists
    : [...lists].sort((a, b) => a.length - b.length).slice(0, most);
}

/**
 * Typo-tolerant title matching by shared trigrams. The score and candidate buffers are made
 * once and reused, and only the best `limit` titles are kept as they are scored, so a lookup
 * allocates almost nothing and never sorts its candidates.
 */
export class TitleMatcher {
  private readonly scores: Uint16Array;
  private readonly touched: Uint32Array;

  constructor(
    /** Folded titles, by paper number (rank). */
    private readonly titles: readonly string[],
    /** The titles' space-padded trigrams. */
    private readonly trigrams: Postings,
  ) {
    this.scores = new Uint16Array(titles.length);
    this.touched = new Uint32Array(titles.length);
  }

  /**
   * The numbers of the `limit` titles sharing the most trigrams with the folded query (at least
   * 40%, so a typo or two still matches), a title holding the whole query first; ties by rank.
   */
  best(folded: string, limit: number): number[] {
    const lists = paddedGrams(folded, 3).map((gram) => this.trigrams.get(gram));
    // Trigrams found in an eighth of all titles say little and cost the most; skip them when the
    // query has enough others.
    const common = this.titles.length / 8;
    // A long query (a pasted or fully typed title) is decided by its rarest trigrams: past
    // MOST_TRIGRAMS of them the rest only add work, so they are left out. An unknown trigram
    // (from a typo) costs nothing and always counts.
    const useful = lists.filter((list) => list.length > 0 && list.length <= common);
    const used =
      useful.length >= 4
        ? [...lists.filter((list) => list.length === 0), ...shortest(useful, MOST_TRIGRAMS)]
        : lists;
    const scores = this.scores;
    let touchedCount = 0;
    for (const list of used) {
      for (let i = 0; i < list.length; i++) {
        const id = list[i] as number;
        if (scores[id] === 0) this.touched[touchedCount++] = id;
        scores[id] = (scores[id] as number) + 1;
      }
    }
    const minimum = Math.max(1, Math.floor(used.length * 0.4));
    const bonus = used.length;
    const ids: number[] = [];
    const best: number[] = [];
    // Whether (score, id) would not make the list: worse than its last while it is full.
    const outside = (score: number, id: number) => {
      if (ids.length < limit) return false;
      const last = best[limit - 1] as number;
      return score < last || (score === last && id > (ids[limit - 1] as number));
    };
    for (let t = 0; t < touchedCount; t++) {
      const id = this.touched[t] as number;
      const shared = scores[id] as number;
      scores[id] = 0;
      if (shared < minimum || outside(shared + bonus, id)) continue;
      const score = shared + ((this.titles[id] as string).includes(folded) ? bonus : 0);
      if (outside(score, id)) continue;
      let at = ids.length;
      while (
        at > 0 &&
        ((best[at - 1] as number) < score ||
          ((best[at - 1] as number) === score && (ids[at - 1] as number) > id))
      )
        at--;
      ids.splice(at, 0, id);
      best.splice(at, 0, score);
      if (ids.length > limit) {
        ids.pop();
        best.pop();
      }
    }
    return ids;
  }
}
