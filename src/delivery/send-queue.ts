/** Discord's limits as the queue keeps them, with a margin for network jitter. */
export interface QueueLimits {
  globalPerSecond: number;
  channelMessagesPer5s: number;
  /** Extra milliseconds on each window, so that arrival jitter never crosses a limit. */
  marginMs: number;
}

export const DISCORD_SEND_LIMITS: QueueLimits = {
  globalPerSecond: 50,
  channelMessagesPer5s: 5,
  marginMs: 60,
};

interface Waiter {
  channelId: string | null;
  resolve: () => void;
}

/**
 * One queue for every send: grants a slot when both the global window (N per second) and the
 * channel's window (5 messages per 5 s) have room, first come first served across channels, so
 * that channels run in parallel without ever drawing a 429.
 */
export class SendQueue {
  private readonly global: number[] = [];
  private readonly perChannel = new Map<string, number[]>();
  private readonly waiters: Waiter[] = [];
  private timer: NodeJS.Timeout | null = null;
  /** Grants made, for metrics. */
  granted = 0;

  constructor(
    private readonly limits: QueueLimits = DISCORD_SEND_LIMITS,
    private readonly now: () => number = Date.now,
    private readonly onWait: () => void = () => {},
  ) {}

  /** Waits for a send slot; `channelId` for a message create, null for other calls (thread starts). */
  acquire(channelId: string | null): Promise<void> {
    return new Promise((resolve) => {
      const waiter = { channelId, resolve };
      this.waiters.push(waiter);
      this.pump();
      if (this.waiters.includes(waiter)) this.onWait();
    });
  }

  private prune(times: number[], windowMs: number, now: number): void {
    while (times.length > 0 && (times[0] as number) <= now - windowMs) times.shift();
  }

  private pump(): void {
    if (this.timer) {
      clearTimeout(this.timer);
      this.timer = null;
    }
    const now = this.now();
    const globalWindow = 1000 + this.limits.marginMs;
    const channelWindow = 5000 + this.limits.marginMs;
    this.prune(this.global, globalWindow, now);
    let wakeAt = Number.POSITIVE_INFINITY;
    for (let i = 0; i < this.waiters.length; ) {
      if (this.global.length >= this.limits.globalPerSecond) {
        wakeAt = Math.min(wakeAt, (this.global[0] as number) + globalWindow);
        break;
      }
      const waiter = this.waiters[i] as Waiter;
      const times =
        waiter.channelId === null ? null : (this.perChannel.get(waiter.channelId) ?? []);
      if (times) this.prune(times, channelWindow, now);
      if (times && times.length >= this.limits.channelMessagesPer5s) {
        wakeAt = Math.min(wakeAt, (times[0] as number) + channelWindow);
        i++;
        continue;
      }
      this.waiters.splice(i, 1);
      this.global.push(now);
      if (times && waiter.channelId !== null) {
        times.push(now);
        this.perChannel.set(waiter.channelId, times);
      }
      this.granted++;
      waiter.resolve();
    }
    if (this.waiters.length > 0 && Number.isFinite(wakeAt)) {
      this.timer = setTimeout(() => this.pump(), Math.max(1, wakeAt - now));
    }
    for (const [channel, times] of this.perChannel)
      if (times.length === 0) this.perChannel.delete(channel);
  }

  /** Waiters not yet granted. */
  get pending(): number {
    return this.waiters.length;
  }
}
