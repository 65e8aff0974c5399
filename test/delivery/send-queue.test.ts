import { describe, expect, test } from "vitest";
import { SendQueue } from "../../src/delivery/send-queue.js";

describe("the send queue", () => {
  test("never grants more than the global or per-channel limit in any window, and serves channels in parallel", async () => {
    const queue = new SendQueue({ globalPerSecond: 20, channelMessagesPer5s: 5, marginMs: 0 });
    const grants: { at: number; channel: string }[] = [];
    const start = Date.now();
    const channels = Array.from({ length: 6 }, (_, i) => `c${i}`);
    await Promise.all(
      channels.flatMap((channel) =>
        Array.from({ length: 7 }, () =>
          queue.acquire(channel).then(() => grants.push({ at: Date.now() - start, channel })),
        ),
      ),
    );
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

  test("calls that are not message creates only count toward the global limit", async () => {
    const queue = new SendQueue({ globalPerSecond: 50, channelMessagesPer5s: 1, marginMs: 0 });
    const start = Date.now();
    await Promise.all(Array.from({ length: 10 }, () => queue.acquire(null)));
    expect(Date.now() - start).toBeLessThan(100);
  });
});
