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

/** One reader's matches so far, at their paper's index (a sparse array keeps digest order). */
type ReaderMatches = PaperMatch[];

/** Collects matches per reader and paper, so a paper matched twice is listed once. */
class Collector {
  private readonly byReader = new Map<string, ReaderMatches>();

  constructor(private readonly papers: readonly Paper[]) {}

  reader(userId: string): ReaderMatches {
    let mine = this.byReader.get(userId);
    if (!mine) {
      mine = [];
      this.byReader.set(userId, mine);
    }
    return mine;
  }

  /** Records that paper `index` matched `value` (an author's spelling, or a topic). */
  add(mine: ReaderMatches, index: number, kind: "authors" | "topics", value: string): void {
    let match = mine[index];
    if (!match) {
      match = { position: index + 1, paper: this.papers[index] as Paper, authors: [], topics: [] };
      mine[index] = match;
    }
    const list = match[kind];
    if (list.length === 0 || !list.includes(value)) list.push(value);
  }

  result(): DigestMatches {
    const out: DigestMatches = new Map();
    // A sparse array's own keys come in index order: the papers in digest order, holes skipped.
    for (const [userId, matches] of this.byReader) out.set(userId, Object.values(matches));
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
      const name = foldName(author);
      // A one-word follow is a surname too, as `/author` reads one.
      const surname = name.slice(name.lastIndexOf(" ") + 1);
      const keys = surname !== name ? [name, surname] : [name];
      for (const key of keys)
        for (const follow of follows.authors.get(key) ?? [])
          if (eligible(follow)) found.add(found.reader(follow.userId), index, "authors", author);
    }
  });
  if (follows.topics.size === 0) return found.result();
  const grams = gramPostings(bodies);
  // Topics share words: each word's papers are found once.
  const byWord = new Map<string, readonly number[]>();
  const papersWith = (word: string) => {
    let found = byWord.get(word);
    if (found === undefined) {
      found = papersHolding(word, grams, bodies);
      byWord.set(word, found);
    }
    return found;
  };
  for (const { words, follows: ofTopic } of follows.topics.values()) {
    let pool = papersWith(words[0] as string);
    for (let i = 1; i < words.length && pool.length > 0; i++)
      pool = intersectSorted(pool, papersWith(words[i] as string));
    if (pool.length === 0) continue;
    for (const follow of ofTopic) {
      if (!eligible(follow)) continue;
      const mine = found.reader(follow.userId);
      for (const index of pool) found.add(mine, index, "topics", follow.value);
    }
  }
  return found.result();
}

/** Characters and character pairs (inside words) → the papers holding them, ascending. */
function gramPostings(bodies: readonly string[]): Map<string, number[]> {
  const postings = new Map<string, number[]>();
  const add = (gram: string, index: number) => {
    const list = postings.get(gram);
    if (!list) postings.set(gram, [index]);
    else if (list[list.length - 1] !== index) list.push(index);
  };
  for (let index = 0; index < bodies.length; index++) {
    const body = bodies[index] as string;
    for (let i = 0; i < body.length; i++) {
      const c = body[i] as string;
      if (c === " ") continue;
      add(c, index);
      const next = body[i + 1];
      if (next !== undefined && next !== " ") add(c + next, index);
    }
  }
  return postings;
}

const NONE: readonly number[] = [];

/** The papers whose body holds `word`: narrowed by its characters or pairs, then checked. */
function papersHolding(
  word: string,
  grams: Map<string, number[]>,
  bodies: readonly string[],
): readonly number[] {
  if (word.length === 1) return grams.get(word) ?? NONE;
  const lists: (readonly number[])[] = [];
  forEachGram(word, 2, (gram) => lists.push(grams.get(gram) ?? NONE));
  lists.sort((a, b) => a.length - b.length);
  let pool: readonly number[] = lists[0] ?? NONE;
  for (let i = 1; i < lists.length && pool.length > 0; i++)
    pool = intersectSorted(pool, lists[i] as readonly number[]);
  // Two characters are their own pair: the list is exact.
  if (word.length === 2) return pool;
  return pool.filter((index) => (bodies[index] as string).includes(word));
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

/** A folded name matches a follow's key: the whole name, or its last word for a one-word key. */
function authorMatches(name: string, key: string): boolean {
  return name === key || (!key.includes(" ") && name.endsWith(` ${key}`));
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
          if (authorMatches(foldName(author), follow.key))
            found.add(found.reader(follow.userId), index, "authors", author);
      } else if (words.every((word) => (bodies[index] as string).includes(word))) {
        found.add(found.reader(follow.userId), index, "topics", follow.value);
      }
    });
  }
  return found.result();
}
