/** How long an unfinished delivery waits before it is tried again: `baseMs`, doubling, at most `maxMs`. */
export interface RetryBackoff {
  baseMs: number;
  maxMs: number;
}

export const DEFAULT_BACKOFF: RetryBackoff = { baseMs: 30_000, maxMs: 30 * 60_000 };

/** The wait before retry number `attempt` (0 for the first). */
export function backoffDelay(backoff: RetryBackoff, attempt: number): number {
  return Math.min(backoff.maxMs, backoff.baseMs * 2 ** Math.min(attempt, 30));
}

/**
 * One timer per delivery left pending (or per channel whose pass failed), each calling `onDue`
 * once with growing waits. Timers exist only between `start` and `stop`, so that a process that
 * does not deliver (a standby, the command line) never retries, and `stop` leaves the work to the
 * ledger.
 */
export class RetryTimers<K = number> {
  private readonly timers = new Map<K, NodeJS.Timeout>();
  private readonly attempts = new Map<K, number>();
  private started = false;

  constructor(
    private readonly backoff: RetryBackoff,
    private readonly onDue: (key: K) => void,
  ) {}

  /** Allows timers from now on. */
  start(): void {
    this.started = true;
  }

  /** Cancels every timer and forgets the attempts; nothing is armed until `start` again. */
  stop(): void {
    this.started = false;
    for (const timer of this.timers.values()) clearTimeout(timer);
    this.timers.clear();
    this.attempts.clear();
  }

  /** Arms the next retry of a delivery unless one is armed; the wait in ms, or null when stopped. */
  arm(deliveryId: K): number | null {
    if (!this.started || this.timers.has(deliveryId)) return null;
    const attempt = this.attempts.get(deliveryId) ?? 0;
    const delay = backoffDelay(this.backoff, attempt);
    this.attempts.set(deliveryId, attempt + 1);
    const timer = setTimeout(() => {
      this.timers.delete(deliveryId);
      this.onDue(deliveryId);
    }, delay);
    // A retry alone must not keep a process alive that is otherwise done.
    timer.unref();
    this.timers.set(deliveryId, timer);
    return delay;
  }

  /** Drops a delivery that finished (or may no longer be retried). */
  forget(deliveryId: K): void {
    clearTimeout(this.timers.get(deliveryId));
    this.timers.delete(deliveryId);
    this.attempts.delete(deliveryId);
  }

  /** Whether this key is being retried here (a timer waits, or it was tried and not forgotten). */
  has(key: K): boolean {
    return this.timers.has(key) || this.attempts.has(key);
  }

  /** How many retries are waiting. */
  get armed(): number {
    return this.timers.size;
  }
}
