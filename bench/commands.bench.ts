import { Archive } from "../src/archive/archive.js";
import type { Catalog, PaperRef } from "../src/archive/catalog.js";
import { createLogger } from "../src/logger.js";
import { fold } from "../src/search/grams.js";
import { PaperIndex } from "../src/search/paper-index.js";
import { perPaper } from "../src/search/per-paper.js";
import { plainText } from "../src/search/plain.js";
import { listPage } from "../src/views/list.js";
import { paperChoice } from "../src/views/paper.js";
import { resolvePeriod } from "../src/views/periods.js";
import { lookupQueries } from "./lookup-queries.js";
import { type BenchRow, median } from "./table.js";

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0;
}

interface Samples {
  /** Wall-clock milliseconds per call: what a user waits for, preemption by other processes included. */
  wall: number[];
  /** Process CPU milliseconds per call: the work itself, whatever else the machine runs. */
  cpu: number[];
}

/**
 * Times a lookup once per query; the first pass warms the JIT and is not counted. `make` is
 * called for each pass, so anything the lookup remembers starts empty in the measured pass.
 */
function timeAll(
  queries: readonly string[],
  make: () => (q: string) => unknown,
  passes = 2,
): Samples {
  const samples: Samples = { wall: [], cpu: [] };
  for (let pass = 0; pass < passes; pass++) {
    const fn = make();
    for (const q of queries) {
      const cpu = process.cpuUsage();
      const start = performance.now();
      fn(q);
      const wall = performance.now() - start;
      const used = process.cpuUsage(cpu);
      if (pass > 0) {
        samples.wall.push(wall);
        samples.cpu.push((used.user + used.system) / 1000);
      }
    }
  }
  return samples;
}

const byVotes = (a: PaperRef, b: PaperRef) => (b.paper.votes ?? -1) - (a.paper.votes ?? -1);

/**
 * The baseline: the simplest lookup there is, a linear scan of every paper or author for the
 * folded query (folded keys made once, up front), ranked by votes.
 */
function linearScan(catalog: Catalog) {
  const refs = catalog.ranked("0000", "9999");
  const titles = refs.map((r) => fold(r.paper.title));
  const texts = refs.map((r) =>
    fold(`${r.paper.title} ${r.paper.summary.map((s) => plainText(s.text)).join(" ")}`),
  );
  const authors = [...new Set(refs.flatMap((r) => r.paper.authors))];
  const authorKeys = authors.map(fold);
  return {
    paper: (q: string) => {
      const f = fold(q);
      return refs
        .filter((_, i) => titles[i]?.includes(f))
        .sort(byVotes)
        .slice(0, 25);
    },
    author: (q: string) => {
      const f = fold(q);
      return authors.filter((_, i) => authorKeys[i]?.includes(f)).slice(0, 25);
    },
    search: (q: string) => {
      const words = fold(q).split(" ");
      return refs.filter((_, i) => words.every((w) => texts[i]?.includes(w))).sort(byVotes);
    },
  };
}

const AUTHOR_LIST = ["zhang", "kegl", "yann", "Li", "chen wei", "tim", "müller", "hinton", "wang"];

/** Command handling over the whole archive, in-process: the plain functions each command calls. */
export async function commandBench(dir: string): Promise<BenchRow[]> {
  const archive = new Archive({ dir, logger: createLogger({ level: "silent", pretty: false }) });
  await archive.load();
  const catalog = archive.catalog();
  const buildStart = performance.now();
  const index = new PaperIndex(catalog);
  const build = performance.now() - buildStart;
  const queries = lookupQueries(catalog);
  const pageId = (page: number) => `x:${page}`;
  const scan = linearScan(catalog);
  const measured = {
    paper: timeAll(queries.paper, () => {
      const choiceOf = perPaper(paperChoice);
      return (q) => index.suggestPapers(q, 25).map(choiceOf);
    }),
    author: timeAll(queries.author, () => (q) => index.suggestAuthors(q, 25)),
    search: timeAll(queries.search, () => (q) => listPage("s", index.search(q), 0, "en", pageId)),
  };
  const baseline = {
    paper: timeAll(queries.paper, () => (q) => scan.paper(q).map(paperChoice)),
    author: timeAll(queries.author, () => scan.author),
    search: timeAll(queries.search, () => (q) => listPage("s", scan.search(q), 0, "en", pageId)),
  };
  const top = timeAll(
    ["today", "week", "month", "all"],
    () => (period) => {
      const range = resolvePeriod(catalog, period as "all", null, "en");
      return listPage("t", catalog.ranked(range.from, range.to, 50), 0, "en", pageId);
    },
    20,
  );
  const authorList = timeAll(
    AUTHOR_LIST,
    () => (q) => listPage("a", catalog.byAuthor(q), 0, "en", pageId),
    20,
  );
  archive.close();
  const p99 = (s: Samples) => percentile(s.wall, 99);
  const row = (name: keyof typeof measured, label: string, target: number): BenchRow => ({
    name: `${label} (${queries[name].length} queries)`,
    value: p99(measured[name]),
    unit: "ms p99",
    baseline: `linear scan p99 ${p99(baseline[name]).toFixed(2)} ms; median ${median(measured[name].wall).toFixed(3)} vs ${median(baseline[name].wall).toFixed(3)} ms; CPU p99 ${percentile(measured[name].cpu, 99).toFixed(2)} vs ${percentile(baseline[name].cpu, 99).toFixed(2)} ms`,
    target: `≤ ${target} ms`,
    pass: p99(measured[name]) <= target,
  });
  return [
    { name: `search index build (${index.size} papers)`, value: build, unit: "ms" },
    row("paper", "/paper autocomplete", 1),
    row("author", "/author autocomplete", 1),
    row("search", "/search, first page", 3),
    {
      name: "/top (latest, 7 d, 30 d, all)",
      value: p99(top),
      unit: "ms p99",
      target: "≤ 10 ms",
      pass: p99(top) <= 10,
    },
    {
      name: "/author list",
      value: p99(authorList),
      unit: "ms p99",
      target: "≤ 10 ms",
      pass: p99(authorList) <= 10,
    },
  ];
}
