import { setImmediate as nextTurn, setTimeout as sleep } from "node:timers/promises";

/**
 * Work split into small steps: each `yield` is a point where the work may pause. Run to the end
 * at once with `runSteps`, or a time slice at a time with `runSliced`.
 */
export type Steps<T> = Generator<void, T, void>;

/** Runs every step at once and returns the result. */
export function runSteps<T>(steps: Steps<T>): T {
  for (;;) {
    const step = steps.next();
    if (step.done) return step.value;
  }
}

/** How long one slice of sliced work runs before the event loop gets a turn. */
export const SLICE_MS = 5;

/**
 * The longest sliced work stands aside for `yieldTo` at a time: under a steady stream of
 * foreground work it still runs one slice per pause, so it always finishes.
 */
export const MAX_PAUSE_MS = 40;

export interface SliceOptions {
  /** How long one slice may run before the event loop gets a turn (`SLICE_MS`). */
  sliceMs?: number;
  /** Once aborted, no further step runs and the work resolves to null. */
  signal?: AbortSignal;
  /**
   * True while something more urgent is under way (an interaction being answered): between
   * slices the work then waits, up to `MAX_PAUSE_MS`, instead of taking the thread from it.
   */
  yieldTo?: () => boolean;
}

/** Waits while `busy()` holds, checking every millisecond, for at most `MAX_PAUSE_MS`. */
async function standAside(busy: () => boolean): Promise<void> {
  const until = performance.now() + MAX_PAUSE_MS;
  while (busy() && performance.now() < until) await sleep(1);
}

/**
 * Runs the steps a slice at a time, giving the event loop a turn (`setImmediate`) whenever a
 * slice has used `sliceMs`, so timers and I/O wait at most about one slice; while `yieldTo`
 * says foreground work is under way, the next slice waits for it (see `SliceOptions`).
 * Resolves to null, without running further steps, once `signal` is aborted.
 */
export async function runSliced<T>(steps: Steps<T>, options: SliceOptions = {}): Promise<T | null> {
  const sliceMs = options.sliceMs ?? SLICE_MS;
  const pause = async () => {
    await nextTurn();
    if (options.yieldTo?.()) await standAside(options.yieldTo);
  };
  // The first slice waits a turn too: the caller's own work may have just used one.
  await pause();
  let sliceEnd = performance.now() + sliceMs;
  for (;;) {
    if (options.signal?.aborted) {
      steps.return(null as T);
      return null;
    }
    const step = steps.next();
    if (step.done) return step.value;
    if (performance.now() >= sliceEnd) {
      await pause();
      sliceEnd = performance.now() + sliceMs;
    }
  }
}

/** How many elements a merge writes between pauses. */
const MERGE_STEP = 512;
/** The blocks sorted natively before merging. */
const BLOCK = 256;

/**
 * Sorts `items` in place like `Array.prototype.sort` (stable, so the order is the same), in
 * steps: blocks sorted natively, then merged pairwise, pausing every few hundred elements.
 */
export function* sortInSteps<T>(items: T[], compare: (a: T, b: T) => number): Steps<T[]> {
  for (let start = 0; start < items.length; start += BLOCK) {
    const block = items.slice(start, start + BLOCK).sort(compare);
    for (let i = 0; i < block.length; i++) items[start + i] = block[i] as T;
    yield;
  }
  let from = items;
  let to = new Array<T>(items.length);
  for (let width = BLOCK; width < items.length; width *= 2) {
    for (let lo = 0; lo < items.length; lo += 2 * width) {
      const mid = Math.min(lo + width, items.length);
      const hi = Math.min(lo + 2 * width, items.length);
      let i = lo;
      let j = mid;
      for (let k = lo; k < hi; k++) {
        // Ties take the left run first: that keeps the sort stable.
        if (j >= hi || (i < mid && compare(from[i] as T, from[j] as T) <= 0))
          to[k] = from[i++] as T;
        else to[k] = from[j++] as T;
        if ((k - lo) % MERGE_STEP === MERGE_STEP - 1) yield;
      }
    }
    [from, to] = [to, from];
  }
  if (from !== items) for (let k = 0; k < items.length; k++) items[k] = from[k] as T;
  return items;
}
