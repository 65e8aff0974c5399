import { getHeapStatistics } from "node:v8";
import type { Logger } from "../logger.js";

export interface HeapCompactorOptions {
  /** A full garbage collection: Node's `gc` when started with `--expose-gc` (npm start is). */
  collect: () => void;
  logger: Logger;
  /** How often the heap is looked at. */
  intervalMs?: number;
  /** Collect once the heap and buffers have grown this much since the last collection. */
  growthBytes?: number;
  /** Heap and buffer bytes in use, garbage included (tests give their own). */
  inUse?: () => number;
}

export interface HeapCompactor {
  stop(): void;
  /**
   * Collects at the next look whatever the growth: once start-up is over (the archive loaded
   * and indexed), what it left behind may be less than the threshold but is still worth giving back.
   */
  collectSoon(): void;
}

function heapAndBuffers(): number {
  const stats = getHeapStatistics();
  return stats.used_heap_size + stats.external_memory;
}

/**
 * Collects garbage once it has piled up. V8 collects when allocation needs it, so a bot that
 * goes quiet after loading its archive (or a new digest) keeps everything that loading threw
 * away, tens of MiB, for hours. Looking every few seconds costs nothing; a collection happens
 * only after the heap and buffers grew by `growthBytes`, so about once after start-up and once
 * after each new digest, never in a steady state.
 */
export function startHeapCompactor(options: HeapCompactorOptions): HeapCompactor {
  const inUse = options.inUse ?? heapAndBuffers;
  const growth = options.growthBytes ?? 16 * 2 ** 20;
  let after = 0;
  let requested = false;
  const timer = setInterval(() => {
    const before = inUse();
    if (before - after < growth && !requested) return;
    requested = false;
    const started = performance.now();
    options.collect();
    after = inUse();
    options.logger.debug(
      {
        freedMiB: Math.round((before - after) / 2 ** 20),
        ms: Math.round(performance.now() - started),
      },
      "collected garbage left by loading",
    );
  }, options.intervalMs ?? 10_000);
  timer.unref();
  return {
    stop: () => clearInterval(timer),
    collectSoon: () => {
      requested = true;
    },
  };
}
