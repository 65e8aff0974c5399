import { runSteps, type Steps } from "./steps.js";

/** Document ids holding a key, ascending. */
export type DocList = Uint16Array | Uint32Array;

const EMPTY: DocList = new Uint16Array(0);

/** Values per chunk of an `IntList` (a power of two). */
const CHUNK_BITS = 16;
const CHUNK = 1 << CHUNK_BITS;

/**
 * A list of ints in fixed-size typed-array chunks: growing never copies (a long copy would
 * stall a sliced build) and never holds twice the space.
 */
class IntList {
  private readonly chunks: Int32Array[] = [];
  length = 0;

  push(value: number): void {
    const at = this.length & (CHUNK - 1);
    if (at === 0) this.chunks.push(new Int32Array(CHUNK));
    (this.chunks[this.chunks.length - 1] as Int32Array)[at] = value;
    this.length++;
  }

  at(index: number): number {
    return (this.chunks[index >>> CHUNK_BITS] as Int32Array)[index & (CHUNK - 1)] as number;
  }
}

/**
 * Posting lists packed into one typed array (a few bytes per posting instead of a JS array per
 * key): the index over a few million grams stays a few megabytes.
 */
export class Postings {
  constructor(
    private readonly keyIds: ReadonlyMap<string, number>,
    private readonly offsets: Uint32Array,
    private readonly docs: DocList,
  ) {}

  /** How many documents hold `key`. */
  count(key: string): number {
    const k = this.keyIds.get(key);
    return k === undefined ? 0 : (this.offsets[k + 1] as number) - (this.offsets[k] as number);
  }

  /** The documents holding `key`, ascending (a view, not a copy). */
  get(key: string): DocList {
    const k = this.keyIds.get(key);
    if (k === undefined) return EMPTY;
    return this.docs.subarray(this.offsets[k] as number, this.offsets[k + 1] as number);
  }
}

/** Collects keys per document (documents in ascending order), then packs them into `Postings`. */
export class PostingsBuilder {
  private readonly keyIds = new Map<string, number>();
  private readonly counts: number[] = [];
  private readonly lastDoc: number[] = [];
  private readonly keys = new IntList();
  /** Where each document's keys start in `keys`: `[doc, start]` pairs. */
  private readonly docStarts = new IntList();

  /** Records that `doc` holds `key` (repeats are ignored); docs must come in ascending order. */
  add(doc: number, key: string): void {
    let k = this.keyIds.get(key);
    if (k === undefined) {
      k = this.counts.length;
      this.keyIds.set(key, k);
      this.counts.push(0);
      this.lastDoc.push(-1);
    }
    if (this.lastDoc[k] === doc) return;
    if (this.docStarts.length === 0 || this.docStarts.at(this.docStarts.length - 2) !== doc) {
      this.docStarts.push(doc);
      this.docStarts.push(this.keys.length);
    }
    this.lastDoc[k] = doc;
    this.counts[k] = (this.counts[k] as number) + 1;
    this.keys.push(k);
  }

  /** The packed lists; `docCount` bounds the ids so they fit the smallest array type. */
  build(docCount: number): Postings {
    return runSteps(this.buildSteps(docCount));
  }

  /** `build`, in steps: a pause after every document's keys are placed. */
  *buildSteps(docCount: number): Steps<Postings> {
    const offsets = new Uint32Array(this.counts.length + 1);
    for (let k = 0; k < this.counts.length; k++)
      offsets[k + 1] = (offsets[k] as number) + (this.counts[k] as number);
    yield;
    const total = offsets[this.counts.length] as number;
    const docs = docCount < 0x10000 ? new Uint16Array(total) : new Uint32Array(total);
    const next = offsets.slice(0, -1);
    const starts = this.docStarts;
    for (let d = 0; d < starts.length; d += 2) {
      const doc = starts.at(d);
      const end = d + 3 < starts.length ? starts.at(d + 3) : this.keys.length;
      for (let i = starts.at(d + 1); i < end; i++) {
        const k = this.keys.at(i);
        docs[next[k] as number] = doc;
        next[k] = (next[k] as number) + 1;
      }
      yield;
    }
    return new Postings(this.keyIds, offsets, docs);
  }
}

/** The ids in both ascending lists; a short list against a long one gallops through the long one. */
export function intersect(a: ArrayLike<number>, b: ArrayLike<number>): number[] {
  const [small, large] = a.length <= b.length ? [a, b] : [b, a];
  const out: number[] = [];
  let j = 0;
  for (let i = 0; i < small.length && j < large.length; i++) {
    const x = small[i] as number;
    if ((large[j] as number) < x) {
      let step = 1;
      while (j + step < large.length && (large[j + step] as number) < x) step *= 2;
      let lo = j + (step >> 1);
      let hi = Math.min(j + step, large.length);
      while (lo < hi) {
        const mid = (lo + hi) >> 1;
        if ((large[mid] as number) < x) lo = mid + 1;
        else hi = mid;
      }
      j = lo;
    }
    if (j < large.length && large[j] === x) out.push(x);
  }
  return out;
}
