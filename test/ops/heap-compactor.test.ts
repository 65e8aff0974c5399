import { describe, expect, test } from "vitest";
import { createLogger } from "../../src/logger.js";
import { startHeapCompactor } from "../../src/ops/heap-compactor.js";

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const MiB = 2 ** 20;

describe("giving back the garbage left by loading", () => {
  test("collects once after the heap grew, and not again while it holds still", async () => {
    let inUse = 120 * MiB; // start-up left garbage behind
    const collections: number[] = [];
    const compactor = startHeapCompactor({
      collect: () => {
        collections.push(inUse);
        inUse = 60 * MiB; // what is really live
      },
      inUse: () => inUse,
      logger: createLogger({ level: "silent", pretty: false }),
      intervalMs: 10,
      growthBytes: 16 * MiB,
    });
    try {
      await sleep(100);
      expect(collections).toEqual([120 * MiB]);
      inUse += 8 * MiB; // a few interactions' worth: below the threshold
      await sleep(100);
      expect(collections).toHaveLength(1);
      inUse += 20 * MiB; // a new digest loaded
      await sleep(100);
      expect(collections).toEqual([120 * MiB, 88 * MiB]);
    } finally {
      compactor.stop();
    }
  });

  test("collects once when asked at the end of start-up, even below the threshold", async () => {
    let inUse = 120 * MiB;
    const collections: number[] = [];
    const compactor = startHeapCompactor({
      collect: () => {
        collections.push(inUse);
        inUse = 60 * MiB;
      },
      inUse: () => inUse,
      logger: createLogger({ level: "silent", pretty: false }),
      intervalMs: 10,
      growthBytes: 16 * MiB,
    });
    try {
      await sleep(100);
      inUse += 10 * MiB; // the archive's index built: garbage below the threshold
      await sleep(100);
      expect(collections).toEqual([120 * MiB]);
      compactor.collectSoon();
      await sleep(100);
      expect(collections).toEqual([120 * MiB, 70 * MiB]);
      inUse += 1 * MiB;
      await sleep(100);
      expect(collections).toHaveLength(2); // once, not from then on
    } finally {
      compactor.stop();
    }
  });

  test("npm start gives Node the collector it needs", async () => {
    const { npmStart } = await import("../support/npm-start.js");
    expect(npmStart().args).toContain("--expose-gc");
  });
});
