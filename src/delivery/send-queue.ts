import type { DiscordAnswer } from "./rate-feedback.js";

/** Discord's limits as the queue keeps them, with a margin for network jitter. */
export interface QueueLimits {
  globalPerSecond: number;
  channelMessagesPer5s: number;
  /**
   * Extra milliseconds on each window, so that arrival jitter never crosses a limit (a guess, used
   * until the queue follows Discord's answers, which measure each request's delay instead).
   */
  marginMs: number;
  /** Extra milliseconds on windows timed from Discord's answers (they need none for jitter). */
  answerMarginMs?: number;
}

export const DISCORD_SEND_LIMITS: QueueLimits = {
  globalPerSecond: 50,
  channelMessagesPer5s: 5,
  marginMs: 60,
  answerMarginMs: 10,
};

/**
 * A granted request whose answer never comes (a network error after REST's retries, a send the
 * lease guard refused) stops counting as in flight after this long, so a slot never leaks for good.
 */
const IN_FLIGHT_EXPIRY_MS = 20_000;

/** Extra milliseconds on the own clock's windows and on the windows timed from answers. */
interface Margins {
  ownMs: number;
  answerMs: number;
}

interface Waiter {
  channelId: string | null;
  /** Granted only when no other waiter may go now (readers' alerts after channel deliveries). */
  low: boolean;
  resolve: () => void;
}

/** One limit (the global one, or one channel's): what counts in its window and any hold on it. */
class Tally {
  /** Grant times, by the queue's own clock. */
  readonly granted: number[] = [];
  /** Grant times of requests sent but not answered yet (only while following answers). */
  readonly inFlight: number[] = [];
  /** Times Discord's answers were heard: a request arrived no later than its answer came back. */
  readonly answered: number[] = [];
  /** Discord said to wait (bucket empty, or a 429) until then. */
  holdUntil = 0;

  /** Forgets the times that no longer count in a window of `windowMs` ending now. */
  prune(now: number, windowMs: number, margins: Margins): void {
    dropUntil(this.granted, now - (windowMs + margins.ownMs));
    dropUntil(this.answered, now - (windowMs + margins.answerMs));
    dropUntil(this.inFlight, now - IN_FLIGHT_EXPIRY_MS);
  }

  /** The earliest time a request may go (`now` when it may go at once; Infinity: await an answer). */
  freeAt(now: number, limit: number, windowMs: number, margins: Margins): number {
    const ownWindow = windowMs + margins.ownMs;
    const answerWindow = windowMs + margins.answerMs;
    this.prune(now, windowMs, margins);
    let at = Math.max(now, this.holdUntil);
    if (this.granted.length >= limit)
      at = Math.max(at, (this.granted[this.granted.length - limit] as number) + ownWindow);
    // A request in flight may arrive any time before its answer: it counts until one window after.
    const excess = this.inFlight.length + this.answered.length - limit + 1;
    if (excess > 0) {
      const answer = this.answered[excess - 1];
      const inFlightExpiry = (this.inFlight[0] ?? Number.POSITIVE_INFINITY) + IN_FLIGHT_EXPIRY_MS;
      at = Math.max(at, answer === undefined ? inFlightExpiry : answer + answerWindow);
    }
    return at;
  }

  get idle(): boolean {
    return this.granted.length + this.inFlight.length + this.answered.length === 0;
  }
}

/** The global limit's window, and a channel's (5 messages per 5 s). */
const GLOBAL_WINDOW_MS = 1000;
const CHANNEL_WINDOW_MS = 5000;
/**
 * How often the channels whose windows are empty are forgotten: sweeping on every grant would cost
 * time in proportion to every channel seen in the last seconds, per request.
 */
const SWEEP_EVERY_MS = 1000;

/** Drops the leading times at or before `cutoff` (times are kept in order). */
function dropUntil(times: number[], cutoff: number): void {
  while (times.length > 0 && (times[0] as number) <= cutoff) times.shift();
}

/**
 * One queue for every send: grants a slot when both the global window (N per second) and the
 * channel's window (5 messages per 5 s) have room, first come first served across channels, so
 * that channels run in parallel without ever drawing a 429. Its own clock alone cannot see network
 * delay, so once it follows Discord's answers (`followAnswers`), a granted request also counts
 * until one window after its answer came back, and Discord's `Remaining`/`Reset-After` headers
 * and 429s hold a channel (or everything) until Discord's reset.
 */
export class SendQueue {
  private readonly global = new Tally();
  private readonly perChannel = new Map<string, Tally>();
  private readonly waiters: Waiter[] = [];
  private timer: NodeJS.Timeout | null = null;
  private following = false;
  private sweepAt = 0;
  /** Grants made, for metrics. */
  granted = 0;

  constructor(
    private readonly limits: QueueLimits = DISCORD_SEND_LIMITS,
    private readonly now: () => number = Date.now,
    private readonly onWait: () => void = () => {},
  ) {}

  /**
   * Waits for a send slot; `channelId` for a message create, null for other calls (thread starts).
   * A `low` request goes only when no other waiting request can.
   */
  acquire(channelId: string | null, low = false): Promise<void> {
    return new Promise((resolve) => {
      const waiter = { channelId, low, resolve };
      this.waiters.push(waiter);
      this.pump();
      if (this.waiters.includes(waiter)) this.onWait();
    });
  }

  /** Grants nothing for the next `ms` (what was sent before this queue existed may still count). */
  holdAll(ms: number): void {
    this.global.holdUntil = Math.max(this.global.holdUntil, this.now() + ms);
    this.pump();
  }

  /** From now on every granted request counts as in flight until `heard` reports its answer. */
  followAnswers(): void {
    this.following = true;
  }

  /** Takes in what Discord answered to one request (see `readAnswer`). */
  heard(answer: DiscordAnswer): void {
    const now = this.now();
    const channel = answer.channelId === null ? null : this.channel(answer.channelId);
    for (const tally of channel ? [this.global, channel] : [this.global]) {
      tally.answered.push(now);
      if (answer.queued && answer.final) tally.inFlight.shift();
    }
    const retryAt = now + (answer.retryAfterMs ?? 0);
    if (answer.scope === "global") this.global.holdUntil = Math.max(this.global.holdUntil, retryAt);
    else if (channel) {
      const empty = answer.remaining === 0 || answer.retryAfterMs !== null;
      const resetAt = now + (answer.resetAfterMs ?? 0) + (this.limits.answerMarginMs ?? 0);
      if (empty) channel.holdUntil = Math.max(channel.holdUntil, retryAt, resetAt);
    }
    this.pump();
  }

  private channel(channelId: string): Tally {
    let tally = this.perChannel.get(channelId);
    if (!tally) {
      tally = new Tally();
      this.perChannel.set(channelId, tally);
    }
    return tally;
  }

  private pump(): void {
    if (this.timer) {
      clearTimeout(this.timer);
      this.timer = null;
    }
    const now = this.now();
    const answerMs = this.limits.answerMarginMs ?? 0;
    // Once answers are followed, the time a request spends on its way is measured, not guessed:
    // the own clock's jitter margin would only slow every window down.
    const margins = { ownMs: this.following ? answerMs : this.limits.marginMs, answerMs };
    let wakeAt = Number.POSITIVE_INFINITY;
    const low = this.waiters.some((w) => w.low);
    for (const lowPass of low ? [false, true] : [false])
      wakeAt = Math.min(wakeAt, this.grant(now, margins, lowPass));
    // Without a finite wake time the queue waits for an answer; `heard` pumps again.
    if (this.waiters.length > 0 && Number.isFinite(wakeAt)) {
      this.timer = setTimeout(() => this.pump(), Math.max(1, wakeAt - now));
    }
    if (now >= this.sweepAt) this.sweep(now, margins);
  }

  /** Forgets the channels with nothing left in their window and no hold. */
  private sweep(now: number, margins: Margins): void {
    this.sweepAt = now + SWEEP_EVERY_MS;
    for (const [channelId, tally] of this.perChannel) {
      tally.prune(now, CHANNEL_WINDOW_MS, margins);
      if (tally.idle && tally.holdUntil <= now) this.perChannel.delete(channelId);
    }
  }

  /** Channels the queue still keeps a window or a hold for. */
  get channelsTracked(): number {
    return this.perChannel.size;
  }

  /** Grants what may go now, in order, of the waiters of one priority; returns when to look again. */
  private grant(now: number, margins: Margins, lowPass: boolean): number {
    let wakeAt = Number.POSITIVE_INFINITY;
    for (let i = 0; i < this.waiters.length; ) {
      const globalAt = this.global.freeAt(
        now,
        this.limits.globalPerSecond,
        GLOBAL_WINDOW_MS,
        margins,
      );
      if (globalAt > now) {
        wakeAt = Math.min(wakeAt, globalAt);
        break;
      }
      const waiter = this.waiters[i] as Waiter;
      if (waiter.low !== lowPass) {
        i++;
        continue;
      }
      const channel = waiter.channelId === null ? null : this.channel(waiter.channelId);
      const channelAt = channel
        ? channel.freeAt(now, this.limits.channelMessagesPer5s, CHANNEL_WINDOW_MS, margins)
        : now;
      if (channelAt > now) {
        wakeAt = Math.min(wakeAt, channelAt);
        i++;
        continue;
      }
      this.waiters.splice(i, 1);
      for (const tally of channel ? [this.global, channel] : [this.global]) {
        tally.granted.push(now);
        if (this.following) tally.inFlight.push(now);
      }
      this.granted++;
      waiter.resolve();
    }
    return wakeAt;
  }

  /** Waiters not yet granted. */
  get pending(): number {
    return this.waiters.length;
  }
}
