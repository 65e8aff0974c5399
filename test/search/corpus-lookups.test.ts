import { describe, expect, test } from "vitest";
import { Archive } from "../../src/archive/archive.js";
import type { PaperRef } from "../../src/archive/catalog.js";
import { createLogger } from "../../src/logger.js";
import { fold } from "../../src/search/grams.js";
import { PaperIndex } from "../../src/search/paper-index.js";
import { plainText } from "../../src/search/plain.js";
import { CORPUS_DIR, hasCorpus } from "../support/paths.js";

const QUERIES = [
  "확산",
  "확산 모델",
  "습니다",
  "모델을 제안",
  "세",
  "diffusion",
  "ini",
  "llm 추론",
  "9999",
  "reinforcement learning 보상",
  "qqqzzz",
];

/** What `/search` promises, written as plainly as possible: a scan of every paper. */
function scan(refs: readonly PaperRef[], query: string): PaperRef[] {
  const words = [...new Set(fold(query).split(" "))].filter((w) => w !== "");
  const rows = refs.flatMap((ref) => {
    const title = fold(ref.paper.title);
    const summary = fold(
      ref.paper.summary.map((s) => `${s.label ?? ""} ${plainText(s.text)}`).join(" "),
    );
    if (!words.every((w) => title.includes(w) || summary.includes(w))) return [];
    return [{ ref, hits: words.filter((w) => title.includes(w)).length }];
  });
  rows.sort(
    (a, b) =>
      b.hits - a.hits ||
      (b.ref.paper.votes ?? -1) - (a.ref.paper.votes ?? -1) ||
      (a.ref.date === b.ref.date
        ? a.ref.position - b.ref.position
        : a.ref.date < b.ref.date
          ? 1
          : -1),
  );
  return rows.map((row) => row.ref);
}

describe.skipIf(!hasCorpus)("lookups over the real corpus", () => {
  test("search finds exactly what a scan of every paper finds, in the same order", async () => {
    const archive = new Archive({
      dir: CORPUS_DIR,
      logger: createLogger({ level: "silent", pretty: false }),
    });
    await archive.load();
    const catalog = archive.catalog();
    const index = new PaperIndex(catalog);
    const seen = new Set<string>();
    const refs = catalog
      .dates()
      .flatMap((date) =>
        (catalog.digest(date)?.papers ?? []).map((paper, i) => ({ paper, date, position: i + 1 })),
      )
      .filter((ref) => {
        const key = ref.paper.id ?? ref.paper.url;
        return !seen.has(key) && seen.add(key) !== undefined;
      });
    for (const query of QUERIES)
      expect(
        index.search(query).map((r) => r.paper),
        query,
      ).toEqual(scan(refs, query).map((r) => r.paper));
    archive.close();
  }, 120_000);
});
