import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, test } from "vitest";
import { followKey } from "../../src/alerts/keys.js";
import {
  type DigestMatches,
  indexFollows,
  matchDigest,
  matchDigestLinear,
} from "../../src/alerts/match.js";
import type { Follow, FollowKind } from "../../src/alerts/model.js";
import type { Digest, Paper } from "../../src/digest/model.js";
import { parseDigest } from "../../src/digest/parse.js";
import { searchBody } from "../../src/search/index-build.js";
import { CORPUS_DIR, hasCorpus } from "../support/paths.js";
import { prng } from "../support/prng.js";

let nextId = 1;
const follow = (userId: string, kind: FollowKind, value: string, createdMs = 0): Follow => ({
  id: nextId++,
  userId,
  kind,
  value,
  key: followKey(kind, value),
  createdMs,
  createdAt: new Date(createdMs).toISOString(),
});

const paper = (title: string, authors: string[], summary: string): Paper => ({
  id: null,
  title,
  url: "https://arxiv.org/abs/2402.00001",
  votes: 3,
  authors,
  authorsTruncated: false,
  media: null,
  summary: [{ label: null, text: summary }],
});

const digest = (papers: Paper[]): Digest => ({
  date: "2024-02-20",
  source: "2024-02-20.md",
  papers,
  warnings: [],
});

/** Readers → positions (and what matched), comparable with toEqual. */
const shape = (matches: DigestMatches) =>
  Object.fromEntries(
    [...matches].map(([user, list]) => [
      user,
      list.map((m) => ({
        at: m.position,
        authors: [...m.authors].sort(),
        topics: [...m.topics].sort(),
      })),
    ]),
  );

const SAMPLE = digest([
  paper("Video Diffusion at Scale", ["Zoë Müller", "Kaiming He"], "확산 모델로 영상을 생성합니다."),
  paper("Robots that Read", ["Kaiming Hertz"], "A robotics benchmark for reading."),
  paper("Unrelated", ["Someone Else"], "Nothing to see."),
]);

describe("matching a digest against readers' follows", () => {
  test("an author matches by the full name, ignoring case and accents, never a longer name", () => {
    const matches = matchDigest(
      SAMPLE,
      indexFollows([follow("1", "author", "zoe muller"), follow("2", "author", "Kaiming He")]),
    );
    expect(shape(matches)).toEqual({
      "1": [{ at: 1, authors: ["Zoë Müller"], topics: [] }],
      "2": [{ at: 1, authors: ["Kaiming He"], topics: [] }],
    });
  });

  test("a one-word author follow is a surname too, as /author reads it", () => {
    const matches = matchDigest(SAMPLE, indexFollows([follow("1", "author", "MULLER")]));
    expect(shape(matches)).toEqual({ "1": [{ at: 1, authors: ["Zoë Müller"], topics: [] }] });
    expect(shape(matchDigestLinear(SAMPLE, [follow("1", "author", "muller")]))).toEqual(
      shape(matches),
    );
  });

  test("a topic needs every word, inside longer words too, over titles and summaries", () => {
    const matches = matchDigest(
      SAMPLE,
      indexFollows([
        follow("1", "topic", "robot read"),
        follow("2", "topic", "diffusion robot"),
        follow("3", "topic", "DIFF"),
      ]),
    );
    expect(shape(matches)).toEqual({
      "1": [{ at: 2, authors: [], topics: ["robot read"] }],
      "3": [{ at: 1, authors: [], topics: ["DIFF"] }],
    });
  });

  test("a Korean topic matches inside the words of a Korean summary", () => {
    const matches = matchDigest(
      SAMPLE,
      indexFollows([follow("1", "topic", "영상 생성"), follow("2", "topic", "확산모델")]),
    );
    expect(shape(matches)).toEqual({ "1": [{ at: 1, authors: [], topics: ["영상 생성"] }] });
  });

  test("a paper matched by several follows of one reader is listed once, with all of them", () => {
    const matches = matchDigest(
      SAMPLE,
      indexFollows([
        follow("1", "author", "Kaiming He"),
        follow("1", "topic", "video"),
        follow("1", "topic", "bench"),
      ]),
    );
    expect(shape(matches)).toEqual({
      "1": [
        { at: 1, authors: ["Kaiming He"], topics: ["video"] },
        { at: 2, authors: [], topics: ["bench"] },
      ],
    });
  });

  test("only eligible follows (made before the digest arrived) match", () => {
    const follows = [follow("1", "topic", "video", 10), follow("2", "topic", "video", 30)];
    const matches = matchDigest(SAMPLE, indexFollows(follows), (f) => f.createdMs < 20);
    expect([...matches.keys()]).toEqual(["1"]);
  });

  test.skipIf(!hasCorpus)(
    "over every digest of the corpus, the index finds exactly what checking every follow finds",
    () => {
      const random = prng(20261126);
      const files = readdirSync(CORPUS_DIR).filter((f) => f.endsWith(".md"));
      let compared = 0;
      let found = 0;
      for (const file of files) {
        const parsed = parseDigest(readFileSync(join(CORPUS_DIR, file), "utf8"), file);
        if (!parsed.ok || parsed.digest.papers.length === 0) continue;
        const { papers } = parsed.digest;
        const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)] as T;
        const follows: Follow[] = [];
        for (let reader = 0; reader < 30; reader++) {
          const p = pick(papers);
          const body = searchBody(p)
            .split(" ")
            .filter((w) => w.length > 0);
          const word = pick(body.length > 0 ? body : ["x"]);
          const start = Math.floor(random() * word.length);
          const piece = word.slice(start, start + 1 + Math.floor(random() * 5));
          follows.push(
            follow(String(reader), "author", p.authors.length > 0 ? pick(p.authors) : "Nobody"),
            follow(String(reader), "topic", `${piece} ${pick(body.length > 0 ? body : ["y"])}`),
            follow(String(reader), "topic", pick(["model", "모델", "학습 데이터", "zzqx", "a"])),
          );
        }
        const fast = matchDigest(parsed.digest, indexFollows(follows));
        const slow = matchDigestLinear(parsed.digest, follows);
        expect(shape(fast), file).toEqual(shape(slow));
        compared++;
        found += [...fast.values()].reduce((n, list) => n + list.length, 0);
      }
      expect(compared).toBeGreaterThan(300);
      expect(found).toBeGreaterThan(compared * 30);
    },
    120_000,
  );
});
