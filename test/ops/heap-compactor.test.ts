import { describe, expect, test } from "vitest";
import { createLogger } from "../../src/logger.js";
import { startHeapCompactor } from "../../src/ops/heap-compactor.js";

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const MiB = 2 ** 20;

/**
 * A compactor looking every 10 ms at a fake heap that start-up left at 120 MiB, of which 60 MiB
 * is live: a collection records what was in use and brings it back to what is live.
 */
function fakeHeap() {
  const heap = { inUse: 120 * MiB, live: 60 * MiB, collections: [] as number[] };
  const compactor = startHeapCompactor({
    collect: () => {
      heap.collections.push(heap.inUse);
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
      heap.inUse += 1 * MiB;
      await sleep(100);
      expect(heap.collections).toHaveLength(2); // once, not from then on
    } finally {
      compactor.stop();
    }
  });

  test("npm start gives Node the collector it needs", async () => {
    const { npmStart } = await import("../support/npm-start.js");
    expect(npmStart().args).toContain("--expose-gc");
  });
});
