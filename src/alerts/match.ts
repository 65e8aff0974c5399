import { foldName } from "../archive/search-key.js";
import type { Digest, Paper } from "../digest/model.js";
import { forEachGram } from "../search/grams.js";
import { searchBody } from "../search/index-build.js";
import type { Follow } from "./model.js";

/** One paper of a digest that matched what a reader follows, and what it matched. */
export interface PaperMatch {
  /** 1-based place in the digest. */
  position: number;
  paper: Paper;
  /** The paper's authors (as it spells them) the reader follows. */
  authors: string[];
  /** The reader's topics (as they wrote them) the paper holds. */
  topics: string[];
}

/** Each reader's matches in one digest, papers in digest order. */
export type DigestMatches = Map<string, PaperMatch[]>;

/** Follows grouped by what they match, built once per matching run. */
export interface FollowIndex {
  authors: Map<string, Follow[]>;
  /** Distinct topics: their words, and every follow of them. */
  topics: Map<string, { words: string[]; follows: Follow[] }>;
}

export function indexFollows(follows: readonly Follow[]): FollowIndex {
  const authors = new Map<string, Follow[]>();
  const topics = new Map<string, { words: string[]; follows: Follow[] }>();
  for (const follow of follows) {
    if (follow.key === "") continue;
    if (follow.kind === "author") {
      const list = authors.get(follow.key);
      if (list) list.push(follow);
      else authors.set(follow.key, [follow]);
    } else {
      const topic = topics.get(follow.key);
      if (topic) topic.follows.push(follow);
      else topics.set(follow.key, { words: follow.key.split(" "), follows: [follow] });
    }
  }
  return { authors, topics };
}

/** Collects matches per reader and paper, so a paper matched twice is listed once. */
class Collector {
  private readonly byReader = new Map<string, Map<number, PaperMatch>>();

  constructor(private readonly papers: readonly Paper[]) {}

  add(follow: Follow, index: number, what: { author?: string; topic?: string }): void {
    let mine = this.byReader.get(follow.userId);
    if (!mine) {
      mine = new Map();
      this.byReader.set(follow.userId, mine);
    }
    let match = mine.get(index);
    if (!match) {
      match = { position: index + 1, paper: this.papers[index] as Paper, authors: [], topics: [] };
      mine.set(index, match);
    }
    if (what.author !== undefined && !match.authors.includes(what.author))
      match.authors.push(what.author);
    if (what.topic !== undefined && !match.topics.includes(what.topic))
      match.topics.push(what.topic);
  }

  result(): DigestMatches {
    const out: DigestMatches = new Map();
    for (const [userId, matches] of this.byReader)
      out.set(
        userId,
        [...matches.values()].sort((a, b) => a.position - b.position),
      );
    return out;
  }
}

/**
 * Which readers a digest matches, and with what. Authors are looked up by the papers' folded
 * names; each distinct topic is narrowed to the papers holding every character pair of its words
 * (an index of this digest alone) and only those are checked, so the cost grows with the
 * digest's size and the number of distinct follows, not with readers × papers.
 */
export function matchDigest(
  digest: Digest,
  follows: FollowIndex,
  eligible: (follow: Follow) => boolean = () => true,
): DigestMatches {
  const { papers } = digest;
  const found = new Collector(papers);
  const bodies = papers.map(searchBody);
  papers.forEach((paper, index) => {
    for (const author of new Set(paper.authors)) {
      for (const follow of follows.authors.get(foldName(author)) ?? [])
        if (eligible(follow)) found.add(follow, index, { author });
    }
  });
  if (follows.topics.size === 0) return found.result();
  const grams = gramPostings(bodies);
  for (const { words, follows: ofTopic } of follows.topics.values()) {
    const readers = ofTopic.filter(eligible);
    if (readers.length === 0) continue;
    for (const index of papersHolding(words, grams, bodies))
      for (const follow of readers) found.add(follow, index, { topic: follow.value });
  }
  return found.result();
}

/** Characters and character pairs (inside words) → the papers holding them, ascending. */
function gramPostings(bodies: readonly string[]): Map<string, number[]> {
  const postings = new Map<string, number[]>();
  const add = (index: number) => (gram: string) => {
    const list = postings.get(gram);
    if (!list) postings.set(gram, [index]);
    else if (list[list.length - 1] !== index) list.push(index);
  };
  bodies.forEach((body, index) => {
    forEachGram(body, 1, add(index));
    forEachGram(body, 2, add(index));
  });
  return postings;
}

const NONE: readonly number[] = [];

/** The papers whose body holds every word: narrowed by the words' grams, then checked. */
function papersHolding(
  words: readonly string[],
  grams: Map<string, number[]>,
  bodies: readonly string[],
): readonly number[] {
  const lists: (readonly number[])[] = [];
  for (const word of words) {
    if (word.length === 1) lists.push(grams.get(word) ?? NONE);
    else forEachGram(word, 2, (gram) => lists.push(grams.get(gram) ?? NONE));
  }
  lists.sort((a, b) => a.length - b.length);
  let pool: readonly number[] = lists[0] ?? NONE;
  for (let i = 1; i < lists.length && pool.length > 0; i++)
    pool = intersectSorted(pool, lists[i] as readonly number[]);
  return pool.filter((index) => words.every((word) => (bodies[index] as string).includes(word)));
}

function intersectSorted(a: readonly number[], b: readonly number[]): number[] {
  const out: number[] = [];
  let i = 0;
  let j = 0;
  while (i < a.length && j < b.length) {
    const x = a[i] as number;
    const y = b[j] as number;
    if (x === y) {
      out.push(x);
      i++;
      j++;
    } else if (x < y) i++;
    else j++;
  }
  return out;
}

/**
 * The same result by checking every follow against every paper: the baseline the benchmark
 * measures `matchDigest` against, and the tests' reference.
 */
export function matchDigestLinear(
  digest: Digest,
  follows: readonly Follow[],
  eligible: (follow: Follow) => boolean = () => true,
): DigestMatches {
  const found = new Collector(digest.papers);
  const bodies = digest.papers.map(searchBody);
  for (const follow of follows) {
    if (follow.key === "" || !eligible(follow)) continue;
    const words = follow.key.split(" ");
    digest.papers.forEach((paper, index) => {
      if (follow.kind === "author") {
        for (const author of paper.authors)
          if (foldName(author) === follow.key) found.add(follow, index, { author });
      } else if (words.every((word) => (bodies[index] as string).includes(word))) {
        found.add(follow, index, { topic: follow.value });
      }
    });
  }
  return found.result();
}
