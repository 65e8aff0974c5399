import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, describe, expect, test } from "vitest";
import { largeDigest } from "../../bench/digest-samples.js";
import {
  batchLength,
  CHARS_PER_MESSAGE,
  PAPERS_PER_MESSAGE,
} from "../../src/archive/parse-messages.js";
import type { ParseOutcome } from "../../src/archive/parse-pool.js";
import { ParsePool } from "../../src/archive/parse-pool.js";
import { parseDigest } from "../../src/digest/parse.js";
import { digestsDir, setup } from "../support/archive-world.js";
import { FIXTURES } from "../support/paths.js";

const SAMPLE = join(FIXTURES, "corpus-authors-comma-image", "input.md"); // 2024-02-20
const pools: ParsePool[] = [];
const pool = (options: ConstructorParameters<typeof ParsePool>[0] = {}) => {
  const created = new ParsePool(options);
  pools.push(created);
  return created;
};
afterEach(async () => {
  await Promise.all(pools.splice(0).map((created) => created.close()));
});

/** A digest whose every block is a flood of markers: slow to parse, harmless to read. */
function slowDigest(): Buffer {
  // A paper per block: each block is read (text that no paper takes is skipped unread).
  const flood = Array.from(
    { length: 3000 },
    (_, i) => `### [P${i}](https://arxiv.org/abs/2403.${10000 + i})\n\n${"*a [b ".repeat(160)}\n`,
  ).join("\n");
  return Buffer.from(`## Daily Papers (2024-02-21)\n\n${flood}`);
}

describe("parsing digest files in worker threads", () => {
  test("gives exactly what parsing on the calling thread gives", async () => {
    const bytes = readFileSync(SAMPLE);
    const outcome = await pool().parse(bytes, "2024-02-20.md");
    const result = parseDigest(bytes.toString("utf8"), "2024-02-20.md");
    expect(outcome).toEqual({ result, cacheable: true, json: JSON.stringify(result) });
  });

  test("a digest of more papers than one message carries arrives whole and in order", async () => {
    const count = 8 * PAPERS_PER_MESSAGE + 1;
    const bytes = Buffer.from(largeDigest(count, "2024-03-01"));
    const parser = pool();
    const [outcome, small] = await Promise.all([
      parser.parse(bytes, "2024-03-01.md"),
      parser.parse(readFileSync(SAMPLE), "2024-02-20.md"),
    ]);
    const result = parseDigest(bytes.toString("utf8"), "2024-03-01.md");
    expect(result.ok && result.digest.papers.length).toBe(count);
    expect(outcome).toEqual({ result, cacheable: true, json: JSON.stringify(result) });
    expect(small.result.ok).toBe(true);
  });

  test("papers with long summaries come in smaller batches, whole and in order", async () => {
    const long = (i: number) => [
      `### [Long ${i}](https://arxiv.org/abs/2403.${10000 + i})`,
      "",
      `- ${"긴 요약 ".repeat(1_500)}`,
      "",
    ];
    const source = [
      "## Daily Papers (2024-03-02)",
      "",
      ...Array.from({ length: 300 }, (_, i) => long(i)).flat(),
    ];
    const bytes = Buffer.from(source.join("\n"));
    const result = parseDigest(bytes.toString("utf8"), "2024-03-02.md");
    if (!result.ok) throw new Error(result.error.message);
    const papers = result.digest.papers;
    const sizes: number[] = [];
    for (let start = 0; start < papers.length; start += sizes.at(-1) as number)
      sizes.push(batchLength(papers, start));
    expect(sizes.reduce((a, b) => a + b, 0)).toBe(300);
    expect(Math.max(...sizes)).toBeLessThan(PAPERS_PER_MESSAGE);
    for (let i = 0, start = 0; i < sizes.length; start += sizes[i] as number, i++) {
      const chars = JSON.stringify(papers.slice(start, start + (sizes[i] as number))).length;
      expect(chars).toBeLessThan(CHARS_PER_MESSAGE * 1.25);
    }
    const outcome = await pool().parse(bytes, "2024-03-02.md");
    expect(outcome).toEqual({ result, cacheable: true, json: JSON.stringify(result) });
  });

  test("a file that parses too long is reported with its path, and the next file is still read", async () => {
    const parser = pool({ timeoutMs: 300 });
    const slow = parser.parse(slowDigest(), "slow.md");
    const next = parser.parse(readFileSync(SAMPLE), "2024-02-20.md");
    expect(await slow).toEqual({
      result: {
        ok: false,
        error: { file: "slow.md", message: "not read: took longer than 0.3 s to parse" },
      },
      cacheable: false,
    });
    expect((await next).result.ok).toBe(true);
  });

  test("a worker that dies is replaced, and its file is reported instead of lost", async () => {
    const parser = pool({ entry: new URL("./crashing-worker.mjs", import.meta.url) });
    const outcome: ParseOutcome = await parser.parse(readFileSync(SAMPLE), "2024-02-20.md");
    expect(outcome.cacheable).toBe(false);
    expect(outcome.result).toEqual({
      ok: false,
      error: { file: "2024-02-20.md", message: "not read: the parser stopped (exit code 3)" },
    });
  });

  test("closing stops every worker and answers what still waits", async () => {
    const parser = pool();
    await parser.parse(readFileSync(SAMPLE), "2024-02-20.md");
    expect(parser.workers).toBeGreaterThan(0);
    const waiting = parser.parse(slowDigest(), "slow.md");
    await parser.close();
    expect(parser.workers).toBe(0);
    expect((await waiting).result).toMatchObject({ ok: false, error: { file: "slow.md" } });
  });

  test("the archive loads and reloads through its parser, and does not cache a file it could not parse", async () => {
    const dir = digestsDir({ "2024-02-20.md": SAMPLE });
    writeFileSync(join(dir, "2024-02-21.md"), slowDigest());
    const first = setup(dir, undefined, { parser: new ParsePool({ timeoutMs: 300 }) });
    expect(await first.archive.load()).toEqual({ files: 2, parsed: 2, fromCache: 0, errors: 1 });
    expect(first.archive.errors()).toEqual([
      { file: "2024-02-21.md", message: "not read: took longer than 0.3 s to parse" },
    ]);
    const again = setup(dir, first.dbPath, { parser: new ParsePool({ timeoutMs: 300 }) });
    expect(await again.archive.load()).toMatchObject({ parsed: 1, fromCache: 1 });

    writeFileSync(
      join(dir, "2024-02-21.md"),
      readFileSync(SAMPLE, "utf8").replace("2024-02-20", "2024-02-21"),
    );
    expect(await again.archive.reload("2024-02-21.md")).toBe("2024-02-21");
    expect(again.archive.newest()?.papers).toHaveLength(14);
    // Its parse cache row is written on the next turn of the event loop: the next start reads it.
    await new Promise((resolve) => setImmediate(resolve));
    const third = setup(dir, first.dbPath, { parser: new ParsePool({ timeoutMs: 300 }) });
    expect(await third.archive.load()).toMatchObject({ parsed: 0, fromCache: 2 });
  });
});
