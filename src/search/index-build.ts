import type { Catalog, PaperRef } from "../archive/catalog.js";
import type { Paper } from "../digest/model.js";
import { AuthorIndex } from "./author-index.js";
import { fold, forEachGram, paddedGrams } from "./grams.js";
import { plainText } from "./plain.js";
import type { Postings } from "./postings.js";
import { PostingsBuilder } from "./postings.js";
import { type Steps, sortInSteps } from "./steps.js";
import { TitleMatcher } from "./title-matcher.js";

/**
 * A character pair held by at least this many papers is common. A trigram made of two common
 * pairs is indexed exactly, so a common three-syllable word ("습니다") needs no substring check;
 * any other word has a rare pair, which leaves at most this many papers to check.
 */
export const COMMON_PAIR = 128;

/** Everything a `PaperIndex` looks things up in. */
export interface PaperIndexParts {
  /** Papers by number: their rank (votes, then newest). */
  refs: PaperRef[];
  /** Papers of the newest digests first, as suggested before anything is typed. */
  newest: PaperRef[];
  /** Folded titles, by paper number. */
  titles: string[];
  /** Folded title and summary, one space apart (a query word has no spaces), by paper number. */
  bodies: string[];
  /** Paper numbers sorted by arXiv id, for id prefixes. */
  idOrder: number[];
  /** Characters and character pairs of the bodies (inside words only). */
  text: Postings;
  /** Trigrams inside words made of two common pairs (see `COMMON_PAIR`). */
  commonTrigrams: Postings;
  matcher: TitleMatcher;
  authors: AuthorIndex;
}

/** Orders papers once for every lookup: most votes (unknown last), newest date, place in digest. */
function byRank(a: PaperRef, b: PaperRef): number {
  const votes = (b.paper.votes ?? -1) - (a.paper.votes ?? -1);
  if (votes !== 0) return votes;
  if (a.date !== b.date) return a.date < b.date ? 1 : -1;
  return a.position - b.position;
}

/** Whether the pair starting at each place of `body` is common (inside a word only). */
function commonPairs(body: string, text: Postings): Uint8Array {
  const common = new Uint8Array(body.length);
  for (let i = 0; i + 2 <= body.length; i++) {
    const pair = body.slice(i, i + 2);
    if (!pair.includes(" ") && text.count(pair) >= COMMON_PAIR) common[i] = 1;
  }
  return common;
}

/**
 * Bodies already made, by paper: a rebuild after a new digest makes only the new ones, instead
 * of folding every summary again (and reading the older ones back from the parse cache).
 * A paper is an unchanging object for as long as its file is (a changed file gives new ones).
 */
const madeBodies = new WeakMap<Paper, string>();

/** A paper's folded title and summary, one space apart: what `/search` (and a topic) matches. */
export function searchBody(paper: Paper): string {
  const made = madeBodies.get(paper);
  if (made !== undefined) return made;
  const summary = paper.summary.map((s) => `${s.label ?? ""} ${plainText(s.text)}`).join(" ");
  const folded = `${fold(paper.title)} ${fold(summary)}`;
  madeBodies.set(paper, folded);
  return folded;
}

/**
 * Builds the parts of the index over every paper of `catalog`, in steps of about one paper, so
 * a rebuild can run a slice at a time beside interactions (see `runSliced`).
 */
export function* paperIndexParts(catalog: Catalog): Steps<PaperIndexParts> {
  const seen = new Set<string>();
  const newest: PaperRef[] = [];
  // Read in digest order: an older digest's summaries are read back from the parse cache one
  // file at a time (see `SummaryShelf`).
  const bodyOf = new Map<PaperRef, string>();
  for (const date of catalog.dates()) {
    const papers = catalog.digest(date)?.papers ?? [];
    for (let index = 0; index < papers.length; index++) {
      const paper = papers[index] as Paper;
      const key = paper.id ?? paper.url;
      if (seen.has(key)) continue;
      seen.add(key);
      const ref = { paper, date, position: index + 1 };
      newest.push(ref);
      bodyOf.set(ref, searchBody(paper));
      yield; // a step per paper: one digest may hold thousands
    }
  }
  const refs = yield* sortInSteps([...newest], byRank);
  const titles: string[] = [];
  const bodies: string[] = [];
  const text = new PostingsBuilder();
  const titleGrams = new PostingsBuilder();
  for (let id = 0; id < refs.length; id++) {
    const ref = refs[id] as PaperRef;
    const title = fold(ref.paper.title);
    const body = bodyOf.get(ref) as string;
    titles.push(title);
    bodies.push(body);
    forEachGram(body, 1, (gram) => text.add(id, gram));
    forEachGram(body, 2, (gram) => text.add(id, gram));
    for (const gram of paddedGrams(title, 3)) titleGrams.add(id, gram);
    yield;
  }
  const textPostings = yield* text.buildSteps(refs.length);
  const trigrams = new PostingsBuilder();
  for (let id = 0; id < refs.length; id++) {
    const body = bodies[id] as string;
    const common = commonPairs(body, textPostings);
    for (let i = 0; i + 3 <= body.length; i++)
      if (common[i] === 1 && common[i + 1] === 1) trigrams.add(id, body.slice(i, i + 3));
    yield;
  }
  const withIds = refs.flatMap((r, id) => (r.paper.id === null ? [] : [{ id, arxiv: r.paper.id }]));
  yield* sortInSteps(withIds, (a, b) => (a.arxiv < b.arxiv ? -1 : 1));
  return {
    refs,
    newest,
    titles,
    bodies,
    idOrder: withIds.map((e) => e.id),
    text: textPostings,
    commonTrigrams: yield* trigrams.buildSteps(refs.length),
    matcher: new TitleMatcher(titles, yield* titleGrams.buildSteps(refs.length)),
    authors: yield* AuthorIndex.build(newest.map((r) => r.paper.authors)),
  };
}
