import { fold, forEachGram } from "./grams.js";
import { intersect, type Postings, PostingsBuilder } from "./postings.js";
import { type Steps, sortInSteps } from "./steps.js";

/** An author name as suggested, with how many papers carry it. */
export interface AuthorSuggestion {
  name: string;
  count: number;
}

/** Compares the part of `key` from `offset` with `prefix`, looking only as far as `prefix` goes. */
function comparePrefix(key: string, offset: number, prefix: string): number {
  for (let i = 0; i < prefix.length; i++) {
    const a = key.charCodeAt(offset + i);
    const b = prefix.charCodeAt(i);
    if (Number.isNaN(a)) return -1;
    if (a !== b) return a - b;
  }
  return 0;
}

/**
 * Author names, ranked by paper count, looked up by full name, by the start of any name part
 * (a surname) through a sorted table of name-part starts, and by text inside a name.
 */
export class AuthorIndex {
  /** By rank: most papers first, then by name. */
  private readonly names: string[];
  private readonly keys: string[];
  private readonly counts: Uint32Array;
  /** Every name-part start as `[rank, offset]`, sorted by the key's text from that offset. */
  private readonly startRank: Uint32Array;
  private readonly startOffset: Uint16Array;
  /** Trigrams of each folded name (spaces between parts included), by rank. */
  private readonly trigrams: Postings;

  private constructor(parts: {
    names: string[];
    keys: string[];
    counts: Uint32Array;
    startRank: Uint32Array;
    startOffset: Uint16Array;
    trigrams: Postings;
  }) {
    this.names = parts.names;
    this.keys = parts.keys;
    this.counts = parts.counts;
    this.startRank = parts.startRank;
    this.startOffset = parts.startOffset;
    this.trigrams = parts.trigrams;
  }

  /** The index over every paper's author list, built in steps (see `steps.ts`). */
  static *build(authorLists: Iterable<readonly string[]>): Steps<AuthorIndex> {
    const byKey = new Map<string, { name: string; count: number }>();
    for (const authors of authorLists) {
      for (const name of authors) {
        const key = fold(name);
        if (key === "") continue;
        const known = byKey.get(key);
        if (known) known.count++;
        else byKey.set(key, { name, count: 1 });
      }
      yield;
    }
    const ranked = yield* sortInSteps(
      [...byKey],
      // Equal counts in the order of the folded names (unique keys, so the order is total): a
      // collator would order them much the same, and its data would keep 2 MiB more resident.
      ([a, { count: countA }], [b, { count: countB }]) => countB - countA || (a < b ? -1 : 1),
    );
    const keys = ranked.map(([key]) => key);
    const starts: { rank: number; offset: number; text: string }[] = [];
    const builder = new PostingsBuilder();
    for (let rank = 0; rank < keys.length; rank++) {
      const key = keys[rank] as string;
      for (let offset = 0; offset < key.length && offset < 0x10000; ) {
        starts.push({ rank, offset, text: key.slice(offset) });
        const space = key.indexOf(" ", offset);
        offset = space < 0 ? key.length : space + 1;
      }
      forEachGram(key, 3, (gram) => builder.add(rank, gram), false);
      if (rank % 64 === 63) yield;
    }
    yield* sortInSteps(starts, (a, b) =>
      a.text < b.text ? -1 : a.text > b.text ? 1 : a.rank - b.rank,
    );
    // Plain loops, not `Uint32Array.from(list, fn)`: that is slow enough to stall a slice.
    const names: string[] = [];
    const counts = new Uint32Array(ranked.length);
    for (let rank = 0; rank < ranked.length; rank++) {
      const [, author] = ranked[rank] as [string, { name: string; count: number }];
      names.push(author.name);
      counts[rank] = author.count;
    }
    yield;
    const startRank = new Uint32Array(starts.length);
    const startOffset = new Uint16Array(starts.length);
    for (let i = 0; i < starts.length; i++) {
      const start = starts[i] as { rank: number; offset: number };
      startRank[i] = start.rank;
      startOffset[i] = start.offset;
      if (i % 4096 === 4095) yield;
    }
    const trigrams = yield* builder.buildSteps(keys.length);
    return new AuthorIndex({ names, keys, counts, startRank, startOffset, trigrams });
  }

  /** The first place in the start table whose text is not before `prefix`, and the first after it. */
  private prefixRange(prefix: string): [number, number] {
    const bound = (upper: boolean) => {
      let lo = 0;
      let hi = this.startRank.length;
      while (lo < hi) {
        const mid = (lo + hi) >> 1;
        const c = comparePrefix(
          this.keys[this.startRank[mid] as number] as string,
          this.startOffset[mid] as number,
          prefix,
        );
        if (c < 0 || (upper && c === 0)) lo = mid + 1;
        else hi = mid;
      }
      return lo;
    };
    return [bound(false), bound(true)];
  }

  /** Names matching a full name, then the start of any name part, then text inside a name. */
  suggest(query: string, limit = 25): AuthorSuggestion[] {
    const folded = fold(query);
    if (folded === "") return this.take(Array.from({ length: limit }, (_, i) => i));
    const [from, to] = this.prefixRange(folded);
    // The `limit` best-ranked names among the part starts that match: a bounded insertion, so a
    // one-letter query costs one pass over its range and no sort.
    let exact: number | undefined;
    const found: number[] = [];
    for (let i = from; i < to; i++) {
      const rank = this.startRank[i] as number;
      if (this.startOffset[i] === 0 && this.keys[rank] === folded) exact = rank;
      if (found.length === limit && rank >= (found[limit - 1] as number)) continue;
      let at = found.length;
      while (at > 0 && (found[at - 1] as number) > rank) at--;
      if (found[at - 1] === rank) continue;
      found.splice(at, 0, rank);
      if (found.length > limit) found.pop();
    }
    if (exact !== undefined) {
      const at = found.indexOf(exact);
      if (at >= 0) found.splice(at, 1);
      else if (found.length >= limit) found.pop();
      found.unshift(exact);
    }
    if (found.length < limit && folded.length >= 3) this.inside(folded, found, limit);
    return this.take(found.slice(0, limit));
  }

  /** Adds, most papers first, names holding `folded` elsewhere ("ang" in "Zhang"). */
  private inside(folded: string, found: number[], limit: number): void {
    const lists: ArrayLike<number>[] = [];
    forEachGram(folded, 3, (gram) => lists.push(this.trigrams.get(gram)), false);
    if (lists.length === 0) return;
    lists.sort((a, b) => a.length - b.length);
    let pool = lists[0] as ArrayLike<number>;
    for (let i = 1; i < lists.length && pool.length > limit; i++)
      pool = intersect(pool, lists[i] as ArrayLike<number>);
    const seen = new Set(found);
    for (let i = 0; i < pool.length && found.length < limit; i++) {
      const rank = pool[i] as number;
      if (!seen.has(rank) && (this.keys[rank] as string).includes(folded)) found.push(rank);
    }
  }

  private take(ranks: readonly number[]): AuthorSuggestion[] {
    return ranks
      .filter((r) => r < this.names.length)
      .map((r) => ({ name: this.names[r] as string, count: this.counts[r] as number }));
  }
}
