import { afterEach, beforeEach, describe, expect, test, vi } from "vitest";
import type { DiscordAnswer } from "../../src/delivery/rate-feedback.js";
import { type QueueLimits, SendQueue } from "../../src/delivery/send-queue.js";

describe("the send queue", () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  test("never grants more than the global or per-channel limit in any window, and serves channels in parallel", async () => {
    // On vitest's clock, so that each grant is timed when it is made, however busy the machine.
    vi.useFakeTimers();
    const queue = new SendQueue({ globalPerSecond: 20, channelMessagesPer5s: 5, marginMs: 0 });
    const grants: { at: number; channel: string }[] = [];
    const start = Date.now();
    const channels = Array.from({ length: 6 }, (_, i) => `c${i}`);
    const all = Promise.all(
      channels.flatMap((channel) =>
        Array.from({ length: 7 }, () =>
          queue.acquire(channel).then(() => grants.push({ at: Date.now() - start, channel })),
        ),
      ),
    );
    await vi.advanceTimersByTimeAsync(15_000);
    await all;
    for (const grant of grants) {
      expect(
        grants.filter((g) => g.at > grant.at - 1000 && g.at <= grant.at).length,
      ).toBeLessThanOrEqual(20);
      const same = grants.filter(
        (g) => g.channel === grant.channel && g.at > grant.at - 5000 && g.at <= grant.at,
      );
      expect(same.length).toBeLessThanOrEqual(5);
    }
    // 30 first sends of six channels (5 each) fit in two global windows; the sixth and seventh wait 5 s.
    const firstFive = grants.filter((g) => g.at < 4000);
    expect(firstFive.length).toBe(30);
    expect(Math.max(...grants.map((g) => g.at))).toBeGreaterThanOrEqual(5000);
  }, 15_000);

  test("a low-priority request (a reader's alert) goes only when no other waiting request can", async () => {
    vi.useFakeTimers();
    const queue = new SendQueue({ globalPerSecond: 2, channelMessagesPer5s: 5, marginMs: 0 });
    const order: string[] = [];
    const take = (label: string, channel: string, low: boolean) =>
      queue.acquire(channel, low).then(() => order.push(label));
    // The window is full; then two alerts wait, and three channel messages after them.
    const all = Promise.all([
      take("c0", "e", false),
      take("c00", "e", false),
      take("dm1", "d1", true),
      take("dm2", "d2", true),
      take("c1", "c", false),
      take("c2", "c", false),
      take("c3", "c", false),
    ]);
    await vi.advanceTimersByTimeAsync(5_000);
    await all;
    expect(order).toEqual(["c0", "c00", "c1", "c2", "c3", "dm1", "dm2"]);
    // A channel held by its own limit does not hold an alert back: spare global room is used.
    const busy = new SendQueue({ globalPerSecond: 10, channelMessagesPer5s: 1, marginMs: 0 });
    const got: string[] = [];
    const waits = Promise.all([
      busy.acquire("c").then(() => got.push("c1")),
      busy.acquire("c").then(() => got.push("c2")),
      busy.acquire("d", true).then(() => got.push("dm")),
    ]);
    await vi.advanceTimersByTimeAsync(100);
    expect(got).toEqual(["c1", "dm"]);
    await vi.advanceTimersByTimeAsync(6_000);
    await waits;
    expect(got).toEqual(["c1", "dm", "c2"]);
  });

  test("calls that are not message creates only count toward the global limit", async () => {
    const queue = new SendQueue({ globalPerSecond: 50, channelMessagesPer5s: 1, marginMs: 0 });
    const start = Date.now();
    await Promise.all(Array.from({ length: 10 }, () => queue.acquire(null)));
    expect(Date.now() - start).toBeLessThan(100);
  });
});

/** A queue on vitest's fake clock, with a log of which acquisitions were granted. */
function fakeClockQueue(limits: Partial<QueueLimits> = {}) {
  const queue = new SendQueue(
    { globalPerSecond: 50, channelMessagesPer5s: 5, marginMs: 0, answerMarginMs: 0, ...limits },
    () => Date.now(),
  );
  queue.followAnswers();
  const granted: string[] = [];
  const acquire = (label: string, channelId: string | null) =>
    void queue.acquire(channelId).then(() => granted.push(label));
  /** Lets the fake clock run `ms` and settles the grants it made. */
  const advance = async (ms: number) => {
    await vi.advanceTimersByTimeAsync(ms);
  };
  return { queue, granted, acquire, advance };
}

const answer = (fields: Partial<DiscordAnswer>): DiscordAnswer => ({
  channelId: null,
  queued: true,
  final: true,
  remaining: null,
  resetAfterMs: null,
  retryAfterMs: null,
  scope: null,
  ...fields,
});

describe("the send queue following Discord's answers", () => {
  beforeEach(() => {
    vi.useFakeTimers({ now: 1_000_000 });
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  test("holds a channel whose bucket Discord reports empty until Discord's reset, though its own window has room", async () => {
    const { queue, granted, acquire, advance } = fakeClockQueue();
    acquire("a1", "a");
    await advance(0);
    queue.heard(answer({ channelId: "a", remaining: 0, resetAfterMs: 3000 }));
    acquire("a2", "a");
    acquire("b1", "b");
    await advance(2999);
    expect(granted).toEqual(["a1", "b1"]);
    await advance(1);
    expect(granted).toEqual(["a1", "b1", "a2"]);
  });

  test("holds every send, on every channel, until Retry-After after a global 429", async () => {
    const { queue, granted, acquire, advance } = fakeClockQueue();
    acquire("a1", "a");
    await advance(0);
    queue.heard(answer({ channelId: "a", final: false, retryAfterMs: 1000, scope: "global" }));
    acquire("b1", "b");
    acquire("thread", null);
    await advance(999);
    expect(granted).toEqual(["a1"]);
    await advance(1);
    expect(granted).toEqual(["a1", "b1", "thread"]);
  });

  test("holds a channel after its own 429 until the later of Retry-After and its bucket's reset", async () => {
    const { queue, granted, acquire, advance } = fakeClockQueue();
    acquire("a1", "a");
    await advance(0);
    queue.heard(
      answer({
        channelId: "a",
        final: false,
        retryAfterMs: 1000,
        resetAfterMs: 2500,
        scope: "user",
      }),
    );
    acquire("a2", "a");
    acquire("b1", "b");
    await advance(2499);
    expect(granted).toEqual(["a1", "b1"]);
    await advance(1);
    expect(granted).toEqual(["a1", "b1", "a2"]);
  });

  test("a slow answer keeps its slot taken until one window after the answer, not after the grant", async () => {
    const { queue, granted, acquire, advance } = fakeClockQueue({ globalPerSecond: 2 });
    acquire("a1", "a");
    acquire("b1", "b");
    acquire("c1", "c");
    await advance(1500);
    // The own clock's window has passed, but both requests are still on their way.
    expect(granted).toEqual(["a1", "b1"]);
    queue.heard(answer({ channelId: "a" }));
    await advance(999);
    expect(granted).toEqual(["a1", "b1"]);
    await advance(1);
    expect(granted).toEqual(["a1", "b1", "c1"]);
  });

  test("a 429 or a 5xx that REST will send again keeps its request in flight", async () => {
    const { queue, granted, acquire, advance } = fakeClockQueue({ globalPerSecond: 1 });
    acquire("a1", "a");
    acquire("b1", "b");
    await advance(0);
    queue.heard(answer({ channelId: "a", final: false }));
    await advance(5000);
    expect(granted).toEqual(["a1"]);
    queue.heard(answer({ channelId: "a" }));
    await advance(999);
    expect(granted).toEqual(["a1"]);
    await advance(1);
    expect(granted).toEqual(["a1", "b1"]);
  });

  test("answers to calls the queue did not grant still fill the global window", async () => {
    const { queue, granted, acquire, advance } = fakeClockQueue({ globalPerSecond: 2 });
    queue.heard(answer({ queued: false }));
    queue.heard(answer({ queued: false }));
    acquire("a1", "a");
    await advance(999);
    expect(granted).toEqual([]);
    await advance(1);
    expect(granted).toEqual(["a1"]);
  });

  test("keeps its own clock's jitter margin until it follows answers, which measure the delay instead", async () => {
    const guessing = new SendQueue(
      { globalPerSecond: 1, channelMessagesPer5s: 5, marginMs: 60 },
      () => Date.now(),
    );
    const guessed: number[] = [];
    const start = Date.now();
    for (const channel of ["a", "b"])
      void guessing.acquire(channel).then(() => guessed.push(Date.now() - start));
    const { queue, granted, acquire, advance } = fakeClockQueue({
      globalPerSecond: 1,
      marginMs: 60,
    });
    acquire("a1", "a");
    acquire("b1", "b");
    await advance(0);
    queue.heard(answer({ channelId: "a" }));
    await advance(1000);
    expect(granted).toEqual(["a1", "b1"]);
    expect(guessed).toEqual([0]);
    await advance(60);
    expect(guessed).toEqual([0, 1060]);
  });

  test("forgets every channel whose window has passed, however many it served", async () => {
    const { queue, granted, acquire, advance } = fakeClockQueue({ globalPerSecond: 10_000 });
    for (let c = 0; c < 2000; c++) acquire(`m${c}`, `channel-${c}`);
    await advance(0);
    for (let c = 0; c < 2000; c++) queue.heard(answer({ channelId: `channel-${c}`, remaining: 4 }));
    expect(granted).toHaveLength(2000);
    expect(queue.channelsTracked).toBe(2000);
    // Still inside their windows: kept.
    await advance(4000);
    acquire("early", "other");
    await advance(0);
    expect(queue.channelsTracked).toBe(2001);
    // One window and the sweep's second later, the next send finds only its own channel kept.
    await advance(2001);
    acquire("late", "last");
    await advance(0);
    expect(granted.at(-1)).toBe("late");
    expect(queue.channelsTracked).toBe(2);
  });

  test("a request never answered stops holding its slot after the in-flight expiry", async () => {
    const { granted, acquire, advance } = fakeClockQueue({ globalPerSecond: 1 });
    acquire("a1", "a");
    acquire("b1", "b");
    await advance(19_999);
    expect(granted).toEqual(["a1"]);
    await advance(1);
    expect(granted).toEqual(["a1", "b1"]);
  });
});
