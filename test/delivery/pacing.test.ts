import { afterEach, describe, expect, test } from "vitest";
import type { Core } from "../../src/app/wiring.js";
import { parseConfig } from "../../src/config.js";
import { readAnswer } from "../../src/delivery/rate-feedback.js";
import { subscriptionInput } from "../../src/delivery/subscription.js";
import { type RestProxy, startRestProxy } from "../../src/ops/rest-proxy.js";
import { core, type DeliveryWorld, deliveryWorld } from "../support/delivery-world.js";
import { control } from "../support/discord.js";
import { memoryLogger } from "../support/logger.js";

const open: { core: Core; world: DeliveryWorld }[] = [];
const proxies: RestProxy[] = [];
afterEach(async () => {
  for (const proxy of proxies.splice(0)) await proxy.close();
  for (const { core: c, world } of open.splice(0)) {
    c.archive.close();
    await c.closeStore();
    await world.emulator.close();
  }
});

interface Stats {
  requests: number;
  rate_limited: { user: number; global: number; shared: number };
}

/** A world with Discord's limits on (50 requests/s, 5 messages per 5 s per channel) and `count` subscribed text channels. */
async function fanOutWorld(
  count: number,
  options: {
    globalPerSecond?: number;
    env?: (emulatorApi: string) => Promise<Record<string, string>>;
  } = {},
): Promise<{ c: Core; world: DeliveryWorld }> {
  const rateLimits = {
    enabled: true,
    globalPerSecond: options.globalPerSecond ?? 50,
    channelMessagesPer5s: 5,
  };
  const plain = await deliveryWorld({ emulator: { rateLimits } });
  const world = options.env
    ? {
        ...plain,
        config: parseConfig({ ...plain.env, ...(await options.env(plain.emulator.apiUrl)) }),
      }
    : plain;
  const c = await core(world);
  open.push({ core: c, world });
  const guild = world.emulator.ctx.world.guilds.get(world.guild.id);
  if (!guild) throw new Error("the test guild is missing");
  for (let i = 0; i < count; i++) {
    const channel = world.emulator.ctx.world.createChannel(guild, `papers-${i}`, 0);
    await c.store.saveSubscription(subscriptionInput(channel.id, world.guild.id));
  }
  return { c, world };
}

describe("pacing a fan-out by Discord's answers", () => {
  // Assertions are on 429s and outcomes only, never on timing: the machine may be loaded.
  test("a digest fanned out to 80 channels draws no 429, even when some requests take 700 ms to reach Discord", async () => {
    const { c, world } = await fanOutWorld(80);
    // A slow way in makes requests granted in one window arrive in the next, where the queue's
    // own clock alone would let a full window's worth more through.
    await control(world.emulator, "POST", "faults", {
      method: "POST",
      route: "POST /channels/:channel/messages",
      delay_ms: 700,
      rate: 0.3,
    });
    const outcomes = await c.service.deliverNewest();
    const stats = await control<Stats>(world.emulator, "GET", "stats");
    expect(outcomes).toHaveLength(80);
    expect(outcomes.filter((o) => o.status !== "done")).toEqual([]);
    expect(stats.rate_limited).toEqual({ user: 0, global: 0, shared: 0 });
    expect(stats.requests).toBeGreaterThanOrEqual(80 * 2);
  }, 30_000);

  test("behind the REST proxy, a process's sends are held by the proxy's global limit alone, not by a count of its own", async () => {
    // The process's own setting (5/s) would take 24 s for these 120 messages; the proxy's 200/s, one.
    const { c, world } = await fanOutWorld(40, {
      globalPerSecond: 200,
      env: async (upstream) => {
        const proxy = await startRestProxy({
          port: 0,
          host: "127.0.0.1",
          upstream,
          globalPerSecond: 200,
          timeoutMs: 15_000,
          logger: memoryLogger().logger,
        });
        proxies.push(proxy);
        return { REST_PROXY_URL: `http://127.0.0.1:${proxy.port}`, SEND_RATE_PER_SECOND: "5" };
      },
    });
    const started = Date.now();
    const outcomes = await c.service.deliverNewest();
    const seconds = (Date.now() - started) / 1000;
    expect(outcomes.filter((o) => o.status !== "done")).toEqual([]);
    const stats = await control<Stats>(world.emulator, "GET", "stats");
    expect(stats.requests).toBeGreaterThanOrEqual(40 * 3);
    expect(stats.rate_limited).toEqual({ user: 0, global: 0, shared: 0 });
    expect(seconds).toBeLessThan(12);
  }, 60_000);

  test("a channel that gets more than five messages waits for its bucket's reset instead of drawing a 429", async () => {
    const { c, world } = await fanOutWorld(0);
    // Two digests at once to one channel: six messages, one more than its five per five seconds.
    const outcomes = (
      await Promise.all([1, 2].map(() => c.service.repost("2024-02-20", world.guild.text)))
    ).flat();
    expect(outcomes.map((o) => o.status)).toEqual(["done", "done"]);
    const stats = await control<Stats>(world.emulator, "GET", "stats");
    expect(stats.rate_limited).toEqual({ user: 0, global: 0, shared: 0 });
  }, 30_000);
});

describe("reading Discord's answers", () => {
  const headers = (values: Record<string, string>) => new Headers(values);

  test("reads a message create's bucket headers and its channel", () => {
    const read = readAnswer(
      { method: "POST", path: "/channels/123456789012345678/messages", retries: 0 },
      {
        status: 200,
        headers: headers({ "X-RateLimit-Remaining": "0", "X-RateLimit-Reset-After": "4.217" }),
      },
      3,
    );
    expect(read).toEqual({
      channelId: "123456789012345678",
      queued: true,
      final: true,
      remaining: 0,
      resetAfterMs: 4217,
      retryAfterMs: null,
      scope: null,
    });
  });

  test("reads a global 429 as global, in flight, with Retry-After in ms", () => {
    const read = readAnswer(
      { method: "POST", path: "/channels/123456789012345678/messages", retries: 0 },
      { status: 429, headers: headers({ "Retry-After": "1", "X-RateLimit-Global": "true" }) },
      3,
    );
    expect(read).toMatchObject({ final: false, retryAfterMs: 1000, scope: "global" });
  });

  test("a 5xx is final only once REST has used its retries", () => {
    const request = { method: "POST", path: "/channels/1234567890123456789/threads", retries: 1 };
    const response = { status: 502, headers: headers({}) };
    expect(readAnswer(request, response, 3)).toMatchObject({ queued: true, final: false });
    expect(readAnswer({ ...request, retries: 3 }, response, 3)).toMatchObject({ final: true });
  });

  test("a read is queued only by a queue that grants every counted request, as the proxy's", () => {
    const request = { method: "GET", path: "/channels/123456789012345678", retries: 0 };
    const response = { status: 200, headers: headers({}) };
    expect(readAnswer(request, response, 3)).toMatchObject({ queued: false, channelId: null });
    expect(readAnswer(request, response, 3, "all")).toMatchObject({ queued: true, final: true });
  });

  test("opening a reader's DM channel is a send the queue grants, so its answer frees its slot", () => {
    const request = { method: "POST", path: "/users/@me/channels", retries: 0 };
    const response = { status: 200, headers: headers({}) };
    expect(readAnswer(request, response, 3)).toMatchObject({
      queued: true,
      final: true,
      channelId: null,
    });
  });

  test("ignores interaction callbacks, which do not count toward the global limit", () => {
    const read = readAnswer(
      { method: "POST", path: "/interactions/1234567890123456789/tok/callback", retries: 0 },
      { status: 204, headers: headers({}) },
      3,
    );
    expect(read).toBeNull();
  });

  test("a read of a channel counts globally but is neither queued nor a message bucket", () => {
    const read = readAnswer(
      { method: "GET", path: "/channels/1234567890123456789", retries: 0 },
      { status: 200, headers: headers({ "X-RateLimit-Remaining": "0" }) },
      3,
    );
    expect(read).toMatchObject({ channelId: null, queued: false, final: true });
  });
});
