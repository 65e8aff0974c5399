import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, test } from "vitest";
import type { Digest } from "../../src/digest/model.js";
import { parseDigest } from "../../src/digest/parse.js";
import { readByLines } from "../support/line-reader.js";
import { CORPUS_DIR, hasCorpus } from "../support/paths.js";

// biome-ignore lint/suspicious/noControlCharactersInRegex: checking that none remain
const CONTROL = /[\u0000-\u0009\u000b-\u001f\u007f]/;

test("the corpus is present when CI requires it", () => {
  // CI sets this so that a missing corpus fails loudly instead of skipping the sweep.
  if (process.env.PAPERBOY_REQUIRE_CORPUS === "1") expect(hasCorpus).toBe(true);
});

describe.skipIf(!hasCorpus)("the real corpus", () => {
  const files = hasCorpus ? readdirSync(CORPUS_DIR).filter((name) => name.endsWith(".md")) : [];
  const digests = new Map<string, Digest>();

  test("every file parses as a digest dated by its name", () => {
    for (const name of files) {
      const result = parseDigest(readFileSync(join(CORPUS_DIR, name), "utf8"), name);
      if (!result.ok) throw new Error(`${name}: ${result.error.message}`);
      expect(result.digest.date).toBe(name.replace(/\.md$/, ""));
      digests.set(name, result.digest);
    }
    expect(files).toHaveLength(357);
    const total = [...digests.values()].reduce((sum, digest) => sum + digest.papers.length, 0);
    expect(total).toBe(5488);
  });

  test("each paper's id, votes, authors, truncation, media and bullet count match a line-by-line reading", () => {
    for (const name of files) {
      const digest = digests.get(name);
      if (!digest) throw new Error(`${name} was not parsed`);
      const expected = readByLines(readFileSync(join(CORPUS_DIR, name), "utf8"));
      expect(digest.papers.length, name).toBe(expected.length);
      digest.papers.forEach((paper, index) => {
        const line = expected[index];
        const where = `${name} paper ${index + 1}`;
        expect(paper.id, where).toBe(line?.id);
        expect(paper.votes, where).toBe(line?.votes);
        expect(paper.authors.length, where).toBe(line?.authorCount);
        expect(paper.authorsTruncated, where).toBe(line?.truncated);
        expect(paper.media?.type ?? null, where).toBe(line?.media);
        expect(paper.summary.length, where).toBe(line?.bullets);
      });
    }
  });

  test("invariants hold: non-empty titles and URLs, no control characters, unique ids, http media", () => {
    for (const digest of digests.values()) {
      const ids = digest.papers.flatMap((paper) => (paper.id ? [paper.id] : []));
      expect(new Set(ids).size, digest.source).toBe(ids.length);
      for (const paper of digest.papers) {
        expect(paper.title.trim(), digest.source).not.toBe("");
        expect(paper.url.trim(), digest.source).not.toBe("");
        const texts = [
          paper.title,
          ...paper.authors,
          ...paper.summary.flatMap((s) => [s.label ?? "", s.text]),
        ];
        for (const text of texts)
          expect(CONTROL.test(text), `${digest.source}: ${text.slice(0, 40)}`).toBe(false);
        if (paper.media) expect(paper.media.url).toMatch(/^https?:\/\//);
      }
      for (const warning of digest.warnings) {
        expect(warning.file).toBe(digest.source);
        expect(warning.line).toBeGreaterThanOrEqual(1);
      }
    }
  });

  test("reports the 26 avatar thumbnails with relative URLs as warnings with their lines", () => {
    const warnings = [...digests.values()].flatMap((digest) => digest.warnings);
    expect(warnings).toHaveLength(26);
    for (const warning of warnings) {
      const line = readFileSync(join(CORPUS_DIR, warning.file), "utf8").split("\n")[
        warning.line - 1
      ];
      expect(line).toMatch(/^!\[\]\(\/avatars\//);
    }
  });
});
