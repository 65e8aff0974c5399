import { Archive } from "../src/archive/archive.js";
import { createLogger } from "../src/logger.js";
import { PaperIndex } from "../src/search/paper-index.js";
import { listPage } from "../src/views/list.js";
import { paperChoice } from "../src/views/paper.js";
import { resolvePeriod } from "../src/views/periods.js";
import { type BenchRow, median } from "./table.js";

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0;
}

function time(samples: number[], fn: () => unknown): void {
  const start = performance.now();
  fn();
  samples.push(performance.now() - start);
}

const PAPER_QUERIES = [
  "speculative",
  "speculativ streming",
  "2402.111",
  "vision transformer",
  "diffusion model video",
  "llama",
  "agent",
  "rlhf reward",
  "mixture of experts",
  "3d gaussian splatting",
  "x",
  "multimodal reasoning benchmark",
];
const AUTHOR_QUERIES = [
  "zhang",
  "kegl",
  "yann",
  "Li",
  "chen wei",
  "tim",
  "müller",
  "hinton",
  "a",
  "wang",
];
const SEARCH_QUERIES = [
  "확산 모델",
  "강화학습",
  "토큰",
  "LLM 추론",
  "비디오 생성",
  "에이전트",
  "벤치마크",
  "멀티모달",
  "diffusion",
  "양자화",
];

/** Command handling over the whole archive, in-process: the plain functions each command calls. */
export async function commandBench(dir: string, rounds = 30): Promise<BenchRow[]> {
  const archive = new Archive({ dir, logger: createLogger({ level: "silent", pretty: false }) });
  await archive.load();
  const catalog = archive.catalog();
  const buildStart = performance.now();
  const index = new PaperIndex(catalog);
  const build = performance.now() - buildStart;
  const paper: number[] = [];
  const author: number[] = [];
  const top: number[] = [];
  const authorList: number[] = [];
  const search: number[] = [];
  const baseline: number[] = [];
  const pageId = (page: number) => `x:${page}`;
  for (let round = 0; round < rounds; round++) {
    for (const q of PAPER_QUERIES) time(paper, () => index.suggestPapers(q, 25).map(paperChoice));
    for (const q of AUTHOR_QUERIES) time(author, () => index.suggestAuthors(q, 25));
    for (const period of ["today", "week", "month", "all"] as const) {
      time(top, () => {
        const range = resolvePeriod(catalog, period, null, "en");
        return listPage("t", catalog.ranked(range.from, range.to, 50), 0, "en", pageId);
      });
    }
    for (const q of AUTHOR_QUERIES)
      time(authorList, () => listPage("a", catalog.byAuthor(q), 0, "en", pageId));
    for (const q of SEARCH_QUERIES)
      time(search, () => listPage("s", index.search(q), 0, "en", pageId));
    // Baseline: one linear scan of every title for a substring, the simplest lookup there is.
    for (const q of PAPER_QUERIES)
      time(baseline, () =>
        catalog.ranked("0000", "9999").filter((r) => r.paper.title.toLowerCase().includes(q)),
      );
  }
  archive.close();
  const row = (name: string, samples: number[], target: number): BenchRow => ({
    name,
    value: percentile(samples, 99),
    unit: "ms p99",
    baseline: `median ${median(samples).toFixed(2)} ms; linear scan p99 ${percentile(baseline, 99).toFixed(2)} ms`,
    target: `≤ ${target} ms`,
    pass: percentile(samples, 99) <= target,
  });
  return [
    { name: `search index build (${index.size} papers)`, value: build, unit: "ms" },
    row("/paper autocomplete", paper, 2),
    row("/author autocomplete", author, 2),
    row("/top (latest, 7 d, 30 d, all)", top, 10),
    row("/author list", authorList, 10),
    row("/search (Korean and English)", search, 10),
  ];
}
