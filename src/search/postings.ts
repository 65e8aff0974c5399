/** Document ids holding a key, ascending. */
export type DocList = Uint16Array | Uint32Array;

const EMPTY: DocList = new Uint16Array(0);

/** An Int32Array that grows as values are appended. */
class IntList {
  data = new Int32Array(4096);
  length = 0;

  push(value: number): void {
    if (this.length === this.data.length) {
      const grown = new Int32Array(this.data.length * 2);
      grown.set(this.data);
      this.data = grown;
    }
    this.data[this.length++] = value;
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
    if (this.docStarts.length === 0 || this.docStarts.data[this.docStarts.length - 2] !== doc) {
      this.docStarts.push(doc);
      this.docStarts.push(this.keys.length);
    }
    this.lastDoc[k] = doc;
    this.counts[k] = (this.counts[k] as number) + 1;
    this.keys.push(k);
  }

  /** The packed lists; `docCount` bounds the ids so they fit the smallest array type. */
  build(docCount: number): Postings {
    const offsets = new Uint32Array(this.counts.length + 1);
    for (let k = 0; k < this.counts.length; k++)
      offsets[k + 1] = (offsets[k] as number) + (this.counts[k] as number);
    const total = offsets[this.counts.length] as number;
    const docs = docCount < 0x10000 ? new Uint16Array(total) : new Uint32Array(total);
    const next = offsets.slice(0, -1);
    const starts = this.docStarts.data;
    for (let d = 0; d < this.docStarts.length; d += 2) {
      const doc = starts[d] as number;
      const end = d + 3 < this.docStarts.length ? (starts[d + 3] as number) : this.keys.length;
      for (let i = starts[d + 1] as number; i < end; i++) {
        const k = this.keys.data[i] as number;
        docs[next[k] as number] = doc;
        next[k] = (next[k] as number) + 1;
      }
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
