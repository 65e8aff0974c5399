import type { Paper, SummaryItem } from "../digest/model.js";
import type { ParseResult } from "../digest/parse.js";

/** A digest file as it was read: its path in the folder and its content hash. */
export interface FileVersion {
  path: string;
  hash: string;
}

/** Reads a file's parse result again (from the parse cache, or the file); null when it cannot. */
export type ResultLoader = (file: FileVersion) => ParseResult | null;

/** Results read back and kept for the next lookups: consecutive ones are mostly of one file. */
const RECENT_FILES = 4;

interface Place {
  file: FileVersion;
  /** The paper's place in its file's digest. */
  index: number;
}

/**
 * Keeps the summaries of older digests out of memory. The summary is most of a paper's size and
 * older papers are rarely shown, so a shelved paper's `summary` becomes a property that reads
 * its file's parse result again (from the parse cache) when asked, and a few such results are
 * kept for the next lookups. Everything else about a shelved paper stays in memory, and to its
 * readers it is the same object as before (JSON, copies and comparisons read the summary too).
 */
export class SummaryShelf {
  private readonly places = new WeakMap<Paper, Place>();
  private recent: { file: FileVersion; result: ParseResult }[] = [];
  private readonly accessor: PropertyDescriptor;

  constructor(
    private readonly load: ResultLoader,
    private readonly onMissing: (file: FileVersion) => void,
  ) {
    const shelf = this;
    this.accessor = {
      get(this: Paper): SummaryItem[] {
        return shelf.summaryOf(this);
      },
      set(this: Paper, value: SummaryItem[]) {
        shelf.places.delete(this);
        Object.defineProperty(this, "summary", dataProperty(value));
      },
      enumerable: true,
      configurable: true,
    };
  }

  /**
   * The papers of `file`'s digest (in order) with their summaries out of memory: new objects, the
   * summary added last as a property shared by all, so they keep one compact shape (turning the
   * existing property into one would give each paper a dictionary of its own).
   */
  shelve(papers: readonly Paper[], file: FileVersion): Paper[] {
    return papers.map((paper, index) => {
      if (this.places.has(paper)) return paper;
      const { summary: _held, ...rest } = paper;
      const shelved = rest as Paper;
      Object.defineProperty(shelved, "summary", this.accessor);
      this.places.set(shelved, { file, index });
      return shelved;
    });
  }

  /** Puts the summaries of `papers` back in memory (before their file's cached result goes). */
  restore(papers: readonly Paper[]): void {
    for (const paper of papers) {
      if (!this.places.has(paper)) continue;
      const summary = this.summaryOf(paper);
      this.places.delete(paper);
      Object.defineProperty(paper, "summary", dataProperty(summary));
    }
  }

  /** True when `paper`'s summary is read back on demand. */
  isShelved(paper: Paper): boolean {
    return this.places.has(paper);
  }

  private summaryOf(paper: Paper): SummaryItem[] {
    const place = this.places.get(paper);
    if (place === undefined) return [];
    const result = this.resultOf(place.file);
    const found = result?.ok ? result.digest.papers[place.index] : undefined;
    if (found === undefined || found.title !== paper.title) {
      this.onMissing(place.file);
      return [];
    }
    return found.summary;
  }

  private resultOf(file: FileVersion): ParseResult | null {
    const hit = this.recent.find((entry) => same(entry.file, file));
    if (hit) return hit.result;
    let result: ParseResult | null = null;
    try {
      result = this.load(file);
    } catch {
      result = null;
    }
    // A failed read is not remembered: the next lookup tries again.
    if (result !== null) this.recent = [{ file, result }, ...this.recent].slice(0, RECENT_FILES);
    return result;
  }
}

function same(a: FileVersion, b: FileVersion): boolean {
  return a.path === b.path && a.hash === b.hash;
}

function dataProperty(value: SummaryItem[]): PropertyDescriptor {
  return { value, writable: true, enumerable: true, configurable: true };
}
