import { afterAll, beforeAll, describe, expect, test } from "vitest";
import type { RunningBot } from "../../src/app/bot.js";
import { planDelivery } from "../../src/delivery/planner.js";
import { subscriptionInput } from "../../src/delivery/subscription.js";
import { bot, type DeliveryWorld, deliveryWorld } from "../support/delivery-world.js";
import { control } from "../support/discord.js";
import { interact } from "../support/interact.js";

let world: DeliveryWorld;
let running: RunningBot;
const channels: string[] = [];
const ADMIN = String(1n << 5n);
const CHANNELS = 60;

beforeAll(async () => {
  world = await deliveryWorld({ emulator: { rateLimits: { enabled: false } } });
  running = await bot(world);
  const { store, digests } = running.core;
  const digest = digests.newest();
  if (!digest) throw new Error("no digest");
  for (let i = 0; i < CHANNELS; i++) {
    const { id } = await control<{ id: string }>(
      world.emulator,
      "POST",
      `guilds/${world.guild.id}/channels`,
      { name: `papers-${i}`, type: 0 },
    );
    channels.push(id);
    // Role mention, filters and a forum tag: the longest line a subscription makes.
    await store.saveSubscription(
      subscriptionInput(id, world.guild.id, "embeds", {
        minVotes: 10,
        topN: 5,
        includeKeywords: ["diffusion", "language model", "retrieval", "robotics", "speech"],
        excludeKeywords: ["survey", "benchmark", "position paper"],
        mentionRoleId: `52345678901234${String(5000 + i)}`,
        forumTagId: `62345678901234${String(5000 + i)}`,
      }),
    );
    const subscription = await store.subscription(id);
    if (!subscription) throw new Error("subscription");
    await store.createDelivery(planDelivery(digest, subscription, "en", "scheduled"));
    await store.pauseSubscription(id, "50013: missing Embed Links, Read Message History");
  }
}, 60_000);
afterAll(async () => {
  await running.stop();
  await world.emulator.close();
});

const base = (locale = "en-US") => ({
  guild_id: world.guild.id,
  channel_id: world.guild.text,
  permissions: ADMIN,
  locale,
  user_id: "723456789012345678",
});
const config = (options: Record<string, unknown>[]) => ({
  ...base(),
  type: 2,
  data: { id: "123456789012345679", name: "config", type: 1, options },
});
const list = (page?: number) =>
  config([
    {
      type: 2,
      name: "channel",
      options: [
        {
          type: 1,
          name: "list",
          options: page === undefined ? [] : [{ type: 4, name: "page", value: page }],
        },
      ],
    },
  ]);
const mentioned = (text: string) => [...text.matchAll(/<#(\d+)>/g)].map((m) => m[1]);

describe("replies that grow with a server's channels", () => {
  test("/config channel list pages through 60 channels, each page one message, every channel once", async () => {
    const seen: string[] = [];
    let page = 1;
    for (;;) {
      const view = await interact(world.emulator, list(page));
      const text = view.original?.content ?? "";
      expect(text.length, `page ${page}`).toBeLessThanOrEqual(2000);
      expect(text).toContain(`page ${page} of`);
      seen.push(...mentioned(text).filter((id): id is string => id !== undefined));
      const next = /page:(\d+)`/.exec(text);
      if (!next) break;
      expect(text).toMatch(/… and \d+ more — `\/config channel list page:\d+`/);
      page = Number(next[1]);
    }
    expect(page).toBeGreaterThan(1);
    expect(seen).toEqual(channels);
    const beyond = await interact(world.emulator, list(page + 1));
    expect(beyond.original?.content).toContain(`The list has ${page} pages`);
  });

  test("/config show fits one message and points to the full list", async () => {
    const view = await interact(world.emulator, config([{ type: 1, name: "show" }]));
    const text = view.original?.content ?? "";
    expect(text.length).toBeLessThanOrEqual(2000);
    expect(text).toContain("⏰ Schedule:");
    expect(text).toMatch(/… and \d+ more — `\/config channel list` shows them all/);
  });

  test("/status fits one message, paused channels first, and says how many more there are", async () => {
    const view = await interact(world.emulator, {
      ...base("ko"),
      type: 2,
      data: { id: "123456789012345681", name: "status", type: 1 },
    });
    const text = view.original?.content ?? "";
    expect(text.length).toBeLessThanOrEqual(2000);
    expect(text).toContain("⏸ 멈춘 채널");
    expect(text).toMatch(/… 외 \d+개/);
    expect(text).toContain("🛰️ 게이트웨이 지연");
  });
});
