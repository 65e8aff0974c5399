import { readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, test } from "vitest";
import {
  Archive,
  DATES_WITH_SUMMARIES,
  MAX_SHELVED_SUMMARY_CHARS,
} from "../../src/archive/archive.js";
import { type DigestCache, SqliteDigestCache } from "../../src/archive/cache.js";
import type { Paper } from "../../src/digest/model.js";
import { parseDigest } from "../../src/digest/parse.js";
import { PaperIndex } from "../../src/search/paper-index.js";
import { openDatabase } from "../../src/storage/database.js";
import { digestsDir, setup } from "../support/archive-world.js";
import { memoryLogger } from "../support/logger.js";
import { FIXTURES } from "../support/paths.js";

const SAMPLE = readFileSync(join(FIXTURES, "corpus-authors-comma-image", "input.md"), "utf8");

/** The sample digest (14 papers) under another date. */
function sampleOf(date: string): string {
  return SAMPLE.replace("2024-02-20", date);
}

/** A digests folder with the sample on the first `days` days of January 2024. */
function januaryDir(days: number): string {
  const dir = digestsDir({});
  for (let day = 1; day <= days; day++) {
    const date = `2024-01-${String(day).padStart(2, "0")}`;
    writeFileSync(join(dir, `${date}.md`), sampleOf(date));
  }
  return dir;
}

function summaryIsInMemory(paper: Paper): boolean {
  return "value" in (Object.getOwnPropertyDescriptor(paper, "summary") ?? {});
}

const expected = (date: string) => parseDigest(sampleOf(date), `${date}.md`);

describe("summaries of older digests are read back from the parse cache", () => {
  test("the newest seven dates keep theirs in memory; older ones read theirs when asked, unchanged", async () => {
    const { archive } = setup(januaryDir(10));
    await archive.load();
    const catalog = archive.catalog();
    const dates = catalog.dates();
    expect(DATES_WITH_SUMMARIES).toBe(7);
    for (const [rank, date] of dates.entries()) {
      const papers = catalog.digest(date)?.papers ?? [];
      expect(papers.every(summaryIsInMemory), date).toBe(rank < 7);
      const parsed = expected(date);
      if (!parsed.ok) throw new Error("sample does not parse");
      // Copies, JSON and comparisons all see the summary.
      expect(catalog.digest(date)).toEqual(parsed.digest);
      expect(JSON.parse(JSON.stringify(papers))).toEqual(parsed.digest.papers);
      expect(structuredClone(papers[3])).toEqual(parsed.digest.papers[3]);
    }
  });

  test("the search index finds words that are only in a shelved summary", async () => {
    const dir = januaryDir(9);
    const oldest = readFileSync(join(dir, "2024-01-01.md"), "utf8");
    // Other papers (ids) than the newer digests hold, with a word only in one summary.
    const own = oldest
      .replaceAll("arxiv.org/abs/24", "arxiv.org/abs/19")
      .replace("- 추측적 디코딩은", "- 추측적 zyxwvutish 디코딩은");
    writeFileSync(join(dir, "2024-01-01.md"), own);
    const { archive } = setup(dir);
    await archive.load();
    const oldestPapers = archive.catalog().digest("2024-01-01")?.papers ?? [];
    expect(oldestPapers.some(summaryIsInMemory)).toBe(false);
    const index = new PaperIndex(archive.catalog());
    const hits = index.search("zyxwvutish");
    expect(hits.map((ref) => ref.date)).toEqual(["2024-01-01"]);
  });

  test("a paper held before its file changed keeps its summary after the change", async () => {
    const dir = januaryDir(9);
    const { archive } = setup(dir);
    await archive.load();
    const old = archive.catalog().digest("2024-01-01")?.papers[0] as Paper;
    expect(summaryIsInMemory(old)).toBe(false);
    const before = expected("2024-01-01");
    if (!before.ok) throw new Error("sample does not parse");

    writeFileSync(join(dir, "2024-01-01.md"), sampleOf("2024-01-01").replace(/- /g, "* "));
    archive.refresh("2024-01-01.md");
    expect(old.summary).toEqual(before.digest.papers[0]?.summary);
    // And a removed file's papers keep theirs too.
    const removed = archive.catalog().digest("2024-01-02")?.papers[1] as Paper;
    rmSync(join(dir, "2024-01-02.md"));
    archive.refresh("2024-01-02.md");
    expect(removed.summary).toEqual(before.digest.papers[1]?.summary);
  });

  test("when the database cannot be read, a summary comes from the file itself", async () => {
    const { archive, db } = setup(januaryDir(8));
    await archive.load();
    const paper = archive.catalog().digest("2024-01-01")?.papers[2] as Paper;
    db.close();
    const parsed = expected("2024-01-01");
    if (!parsed.ok) throw new Error("sample does not parse");
    expect(paper.summary).toEqual(parsed.digest.papers[2]?.summary);
  });

  test("a new digest's arrival, and the index rebuilt for it, read back only what was just shelved", async () => {
    const dir = januaryDir(14);
    // Other papers every day, so that no older paper is hidden behind a newer appearance.
    const ownPapers = (day: number) =>
      sampleOf(`2024-01-${String(day).padStart(2, "0")}`).replaceAll(
        "arxiv.org/abs/24",
        `arxiv.org/abs/${10 + day}`,
      );
    for (let day = 1; day <= 14; day++)
      writeFileSync(join(dir, `2024-01-${String(day).padStart(2, "0")}.md`), ownPapers(day));
    const db = openDatabase(join(dir, "..", "count.db"));
    const sqlite = new SqliteDigestCache(db);
    let reads = 0;
    const cache: DigestCache = {
      get: (path, hash) => {
        reads++;
        return sqlite.get(path, hash);
      },
      putMany: (entries) => sqlite.putMany(entries),
      remove: (path) => sqlite.remove(path),
    };
    const archive = new Archive({ dir, cache, logger: memoryLogger().logger });
    try {
      await archive.load();
      new PaperIndex(archive.catalog()); // the index as it stands before the new digest
      reads = 0;
      writeFileSync(join(dir, "2024-01-15.md"), ownPapers(15));
      archive.refresh("2024-01-15.md");
      const catalog = archive.catalog();
      expect(reads).toBe(0);
      // Rebuilding the index reads back only the digest that has just been shelved.
      new PaperIndex(catalog);
      expect(reads).toBe(1);
      expect(catalog.digest("2024-01-08")?.papers.some(summaryIsInMemory)).toBe(false);
      expect(catalog.digest("2024-01-09")?.papers.every(summaryIsInMemory)).toBe(true);
    } finally {
      archive.close();
      db.close();
    }
  });

  test("an older digest with very much summary text keeps it in memory", async () => {
    const dir = januaryDir(9);
    const sample = sampleOf("2024-01-01");
    const start = sample.indexOf("### ");
    const papers = sample.slice(start);
    // The sample's 14 papers twenty times over, each time under other arXiv ids: 280 papers.
    const copies = Array.from({ length: 20 }, (_, copy) =>
      papers.replaceAll("arxiv.org/abs/24", `arxiv.org/abs/${10 + copy}`),
    );
    writeFileSync(join(dir, "2024-01-01.md"), sample.slice(0, start) + copies.join("\n"));
    const { archive } = setup(dir);
    await archive.load();
    const large = archive.catalog().digest("2024-01-01");
    const chars = (large?.papers ?? []).reduce(
      (sum, paper) => sum + paper.summary.reduce((n, item) => n + item.text.length, 0),
      0,
    );
    expect(chars).toBeGreaterThan(MAX_SHELVED_SUMMARY_CHARS);
    expect(large?.papers.every(summaryIsInMemory)).toBe(true);
    expect(archive.catalog().digest("2024-01-02")?.papers.some(summaryIsInMemory)).toBe(false);
  });

  test("without a parse cache every summary stays in memory", async () => {
    const archive = new Archive({ dir: januaryDir(9), logger: memoryLogger().logger });
    try {
      await archive.load();
      const catalog = archive.catalog();
      expect(catalog.dates()).toHaveLength(9);
      for (const date of catalog.dates())
        expect(catalog.digest(date)?.papers.every(summaryIsInMemory)).toBe(true);
    } finally {
      archive.close();
    }
  });
});
