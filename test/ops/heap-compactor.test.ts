import { execFile } from "node:child_process";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { promisify } from "node:util";
import { describe, expect, test } from "vitest";
import { createLogger } from "../../src/logger.js";
import { startHeapCompactor } from "../../src/ops/heap-compactor.js";
import { ROOT } from "../support/paths.js";

const run = promisify(execFile);

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const MiB = 2 ** 20;

/**
 * A compactor looking every 10 ms at a fake heap that start-up left at 120 MiB, of which 60 MiB
 * is live: a collection records what was in use and brings it back to what is live.
 */
function fakeHeap() {
  const heap = {
    inUse: 120 * MiB,
    live: 60 * MiB,
    collections: [] as number[],
    compacted: [] as boolean[],
  };
  const compactor = startHeapCompactor({
    collect: (compact) => {
      heap.collections.push(heap.inUse);
      heap.compacted.push(compact);
      heap.inUse = heap.live;
    },
    inUse: () => heap.inUse,
    logger: createLogger({ level: "silent", pretty: false }),
    intervalMs: 10,
    growthBytes: 16 * MiB,
  });
  return { heap, compactor };
}

describe("giving back the garbage left by loading", () => {
  test("collects once after the heap grew, and not again while it holds still", async () => {
    const { heap, compactor } = fakeHeap();
    try {
      await sleep(100);
      expect(heap.collections).toEqual([120 * MiB]);
      heap.inUse += 8 * MiB; // a few interactions' worth: below the threshold
      await sleep(100);
      expect(heap.collections).toHaveLength(1);
      heap.inUse += 20 * MiB; // a new digest loaded
      await sleep(100);
      expect(heap.collections).toEqual([120 * MiB, 88 * MiB]);
      expect(heap.compacted).toEqual([false, false]);
    } finally {
      compactor.stop();
    }
  });

  test("collects once when asked at the end of start-up, even below the threshold", async () => {
    const { heap, compactor } = fakeHeap();
    try {
      await sleep(100);
      heap.inUse += 10 * MiB; // the archive's index built: garbage below the threshold
      await sleep(100);
      expect(heap.collections).toEqual([120 * MiB]);
      compactor.collectSoon();
      await sleep(100);
      expect(heap.collections).toEqual([120 * MiB, 70 * MiB]);
      expect(heap.compacted).toEqual([false, true]); // the end of start-up's is compacting
      heap.inUse += 1 * MiB;
      await sleep(100);
      expect(heap.collections).toHaveLength(2); // once, not from then on
    } finally {
      compactor.stop();
    }
  });

  test("a compacting collection gives back the pages a fragmented heap spread over; a plain one keeps them", async () => {
    // In a child of its own: the measure is of one heap's old generation, undisturbed.
    const script = `
      import { getHeapSpaceStatistics } from "node:v8";
      import { fullCollection } from ${JSON.stringify(pathToFileURL(join(ROOT, "src/ops/heap-compactor.ts")).href)};
      const collect = fullCollection(globalThis.gc);
      const oldSpace = () => getHeapSpaceStatistics().find((s) => s.space_name === "old_space").space_size;
      const kept = [];
      let all = [];
      for (let i = 0; i < 1_000_000; i++) all.push({ i, text: "x" + i });
      collect(false);
      // Every other object dropped: each page of the old generation is left half full.
      for (let i = 0; i < all.length; i += 2) kept.push(all[i]);
      all = null;
      collect(false);
      collect(false);
      const plain = oldSpace();
      collect(true);
      console.log(JSON.stringify({ plain, compacted: oldSpace(), kept: kept.length }));
    `;
    const { stdout } = await run(
      process.execPath,
      ["--import", "tsx", "--expose-gc", "--input-type=module", "-e", script],
      { cwd: ROOT },
    );
    const { plain, compacted } = JSON.parse(stdout) as { plain: number; compacted: number };
    // Measured: 62 MiB after plain collections, 34 MiB compacted, for 33 MiB live.
    expect(compacted).toBeLessThan(plain * 0.7);
  });

  test("npm start gives Node the collector it needs", async () => {
    const { npmStart } = await import("../support/npm-start.js");
    expect(npmStart().args).toContain("--expose-gc");
  });
});
