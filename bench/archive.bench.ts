import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import remarkParse from "remark-parse";
import { unified } from "unified";
import { Archive } from "../src/archive/archive.js";
import { SqliteDigestCache } from "../src/archive/cache.js";
import { createLogger } from "../src/logger.js";
import { openDatabase } from "../src/storage/database.js";
import { type BenchRow, median } from "./table.js";

const silent = createLogger({ level: "silent", pretty: false });

function remarkAlone(texts: readonly string[]): number {
  const processor = unified().use(remarkParse);
  const start = performance.now();
  for (const text of texts) processor.parse(text);
  return performance.now() - start;
}

async function archiveLoad(
  dir: string,
  dbPath: string,
): Promise<{ total: number; newest: number; papers: number }> {
  const db = openDatabase(dbPath);
  const archive = new Archive({ dir, cache: new SqliteDigestCache(db), logger: silent });
  const start = performance.now();
  let newest = 0;
  const ready = archive.whenNewestReady().then(() => {
    newest = performance.now() - start;
  });
  await archive.load();
  await ready;
  const total = performance.now() - start;
  const papers = archive.catalog().paperCount;
  db.close();
  return { total, newest, papers };
}

/** Archive benchmarks over a folder of digests: remark-parse alone is the baseline. */
export async function archiveBench(dir: string, workDir: string, runs = 3): Promise<BenchRow[]> {
  const files = readdirSync(dir).filter((name) => name.endsWith(".md"));
  const texts = files.map((name) => readFileSync(join(dir, name), "utf8"));
  const baseline: number[] = [];
  const cold: number[] = [];
  const warm: number[] = [];
  const newestCold: number[] = [];
  const newestWarm: number[] = [];
  let papers = 0;
  remarkAlone(texts.slice(0, 20)); // warm the JIT for both sides alike
  for (let run = 0; run < runs; run++) {
    baseline.push(remarkAlone(texts));
    const dbPath = join(workDir, `bench-${run}.db`);
    const first = await archiveLoad(dir, dbPath);
    cold.push(first.total);
    newestCold.push(first.newest);
    const second = await archiveLoad(dir, dbPath);
    warm.push(second.total);
    newestWarm.push(second.newest);
    papers = second.papers;
  }
  const base = median(baseline);
  const coldMs = median(cold);
  const label = `${files.length} files, ${papers} papers`;
  return [
    { name: `remark-parse alone (${label})`, value: base, unit: "ms" },
    {
      name: "cold archive load (parse + hash + cache write)",
      value: coldMs,
      unit: "ms",
      baseline: `${(coldMs / base).toFixed(2)}× remark-parse`,
      target: "≤ 1.30×",
      pass: coldMs / base <= 1.3,
    },
    {
      name: "warm archive load (from SQLite cache)",
      value: median(warm),
      unit: "ms",
      baseline: `${((median(warm) / base) * 100).toFixed(1)}% of remark-parse`,
      target: "≤ 300 ms",
      pass: median(warm) <= 300,
    },
    {
      name: "newest digest available (cold)",
      value: median(newestCold),
      unit: "ms",
      baseline: `${((median(newestCold) / coldMs) * 100).toFixed(1)}% of cold load`,
      target: "≤ 200 ms",
      pass: median(newestCold) <= 200,
    },
    {
      name: "newest digest available (warm)",
      value: median(newestWarm),
      unit: "ms",
      target: "≤ 200 ms",
      pass: median(newestWarm) <= 200,
    },
  ];
}
