import remarkParse from "remark-parse";
import { unified } from "unified";
import { ParsePool } from "../src/archive/parse-pool.js";
import { parseDigest } from "../src/digest/parse.js";
import { sectionStarts } from "../src/digest/sections.js";
import { hostileDigest, largeDigest } from "./digest-samples.js";
import { interactionsWhileParsing } from "./interactions.bench.js";
import type { BenchRow } from "./table.js";

function timed(run: () => void): number {
  const start = performance.now();
  run();
  return performance.now() - start;
}

/** The worst of `runs` parses of `text` by the bot's parse workers (started beforehand). */
async function parsedByWorkers(text: string, runs: number): Promise<number> {
  const pool = new ParsePool();
  const bytes = new TextEncoder().encode(text);
  try {
    await pool.parse(bytes, "2025-03-12.md");
    let worst = 0;
    for (let run = 0; run < runs; run++) {
      const start = performance.now();
      const outcome = await pool.parse(bytes, "2025-03-12.md");
      worst = Math.max(worst, performance.now() - start);
      if (!outcome.result.ok) throw new Error(outcome.result.error.message);
    }
    return worst;
  } finally {
    await pool.close();
  }
}

/**
 * Parsing a 5,000-paper digest as the bot does (its parse workers), beside the same parse on one
 * thread and the whole-file markdown parse the parser used to do; then interactions answered by
 * the real bot while it parses that digest and a 4 MB hostile file.
 */
export async function parseBench(dir: string, workDir: string, runs = 3): Promise<BenchRow[]> {
  const large = largeDigest(5000);
  const hostile = hostileDigest();
  const worst = await parsedByWorkers(large, runs);
  parseDigest(largeDigest(200), "warm-up.md");
  const times: number[] = [];
  for (let run = 0; run < runs; run++) times.push(timed(() => parseDigest(large, "2025-03-12.md")));
  const processor = unified().use(remarkParse);
  const whole = timed(() => processor.parse(large));
  const lines = large.split("\n");
  const starts = [...sectionStarts(lines).starts, lines.length];
  const pieces = starts.slice(1).map((end, i) => lines.slice(starts[i], end).join("\n"));
  const floor = timed(() => {
    for (const piece of pieces) processor.parse(piece);
  });
  const hostileTime = timed(() => parseDigest(hostile, "2025-03-13.md"));
  const mb = (text: string) => (Buffer.byteLength(text) / 1024 / 1024).toFixed(2);
  return [
    {
      name: `parse a 5,000-paper digest (${mb(large)} MB) in the parse workers, worst of ${runs}`,
      value: worst,
      unit: "ms",
      baseline: `one thread: ${Math.max(...times).toFixed(0)} ms; markdown parser alone over the pieces, one thread: ${floor.toFixed(0)} ms; whole-file markdown parse: ${(whole / 1000).toFixed(1)} s`,
      target: "≤ 1000 ms",
      pass: worst <= 1000,
    },
    {
      name: `  a hostile file (${mb(hostile)} MB: floods, nesting, a long list), same thread`,
      value: hostileTime,
      unit: "ms",
      target: "< 60 s (a worker's limit)",
      pass: hostileTime < 60_000,
    },
    ...(await interactionsWhileParsing(dir, workDir, large, hostile, runs)),
  ];
}
