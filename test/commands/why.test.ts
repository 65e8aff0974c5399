import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import type { RunningBot } from "../../src/app/bot.js";
import { subscriptionInput } from "../../src/delivery/subscription.js";
import { rankPapers } from "../../src/render/select.js";
import { bot, type DeliveryWorld, deliveryWorld } from "../support/delivery-world.js";
import { control } from "../support/discord.js";
import { interact, slash } from "../support/interact.js";

let world: DeliveryWorld;
let running: RunningBot;
const DATE = "2024-02-20";
const channels: Record<string, string> = {};

beforeAll(async () => {
  world = await deliveryWorld({
    emulator: { rateLimits: { enabled: false } },
    env: { DELIVERY_RETRY_SECONDS: "600" },
  });
  // A file for the next day that the archive refuses to read: over its 4 MB limit.
  writeFileSync(join(world.digestsDir, "2024-02-21.md"), "x".repeat(4.2 * 1024 * 1024));
  running = await bot(world);
  const { guild, emulator } = world;
  for (const name of [
    "delivered",
    "filtered",
    "top3",
    "paused",
    "pending",
    "due",
    "late",
    "none",
  ]) {
    const { id } = await control<{ id: string }>(emulator, "POST", `guilds/${guild.id}/channels`, {
      name,
      type: 0,
    });
    channels[name] = id;
  }
  const store = running.core.store;
  const subscribe = (name: string, overrides = {}) =>
    store.saveSubscription(
      subscriptionInput(channels[name] as string, guild.id, "embeds", overrides),
    );
  await subscribe("delivered");
  await subscribe("filtered", { minVotes: 1000 });
  await subscribe("top3", { topN: 3 });
  await subscribe("paused");
  await store.pauseSubscription(channels.paused as string, "Missing Permissions: Embed Links");
  await subscribe("pending");
  await subscribe("due");
  await subscribe("late");
  // Subscribed long before the digest: only the schedule is left to send it.
  running.core.db
    ?.prepare("UPDATE subscriptions SET created_at = ? WHERE channel_id IN (?, ?, ?, ?, ?)")
    .run(
      "2024-01-01T00:00:00.000Z",
      channels.delivered,
      channels.filtered,
      channels.top3,
      channels.pending,
      channels.due,
    );
  await running.core.service.repost(DATE, channels.delivered as string);
  await running.core.service.repost(DATE, channels.top3 as string);
  await control(emulator, "POST", "faults", {
    route: "POST /channels/:channel/messages",
    channel_id: channels.pending,
    status: 503,
    times: 1000,
  });
  await running.core.service.repost(DATE, channels.pending as string);
}, 120_000);
afterAll(async () => {
  await running.stop();
  await world.emulator.close();
});

async function ask(options: Record<string, unknown>[], locale = "en-US"): Promise<string> {
  const view = await interact(world.emulator, {
    guild_id: world.guild.id,
    channel_id: world.guild.text,
    permissions: "32",
    locale,
    type: 2,
    data: slash("status", options),
  });
  expect(view.original?.ephemeral).toBe(true);
  return view.original?.content ?? "";
}

const digestOption = (date = DATE) => ({ type: 3, name: "digest", value: date });
const line = (text: string, name: string) =>
  text.split("\n").find((l) => l.includes(`<#${channels[name]}>`)) ?? "";

describe("/status digest: why didn't it arrive?", () => {
  test("names, per channel, the stage that stopped the digest, or links the message it went out in", async () => {
    const text = await ask([digestOption()]);
    const delivered = line(text, "delivered");
    const link = /https:\/\/discord\.com\/channels\/(\d+)\/(\d+)\/(\d+)/.exec(delivered);
    expect(delivered).toMatch(/^✅ .*delivered/);
    expect(link?.[1]).toBe(world.guild.id);
    expect(world.emulator.ctx.world.messages.get(link?.[3] ?? "")?.data.channel_id).toBe(link?.[2]);
    expect(line(text, "filtered")).toMatch(/🔍 .*left out by the minimum of 1000 votes/);
    expect(line(text, "paused")).toMatch(/⏸ .*paused — Missing Permissions: Embed Links/);
    expect(line(text, "pending")).toMatch(
      /🔁 .*pending after \d+ attempts? — last error: .*503.*\. Next try within \d+ (s|min)$/,
    );
    expect(line(text, "due")).toMatch(/⏳ .*not due yet — next run: /);
    expect(line(text, "late")).toMatch(
      /➖ .*subscribed on \d{4}-\d{2}-\d{2}, after this digest.*\/repost digest:2024-02-20/,
    );
  });

  test("for one paper: the top-N filter that left it out, with its rank, or the link to its message", async () => {
    const ranked = rankPapers(running.core.archive.catalog().digest(DATE) ?? (null as never));
    const fifth = ranked[4]?.paper;
    const first = ranked[0]?.paper;
    const left = await ask([
      digestOption(),
      { type: 7, name: "channel", value: channels.top3 },
      { type: 3, name: "paper", value: fifth?.id ?? "" },
    ]);
    expect(left).toMatch(/🔍 .*left out by the top 3 filter \(this paper ranks #5\)/);
    const sent = await ask([
      digestOption(),
      { type: 7, name: "channel", value: channels.top3 },
      { type: 3, name: "paper", value: first?.title.slice(0, 20) ?? "" },
    ]);
    const id = /\/(\d+)$/.exec(line(sent, "top3"))?.[1] ?? "";
    const message = world.emulator.ctx.world.messages.get(id);
    const embeds = (message?.data.embeds ?? []) as { url?: string }[];
    expect(embeds.map((e) => e.url)).toContain(first?.url);
  });

  test("a channel the server never subscribed is said to be not subscribed, in Korean for a Korean admin", async () => {
    const text = await ask(
      [digestOption(), { type: 7, name: "channel", value: channels.none }],
      "ko",
    );
    expect(text).toMatch(/➖ .*구독하지 않은 채널입니다 — `\/config channel add`/);
  });

  test("a digest the archive could not read names the file and why", async () => {
    const text = await ask([digestOption("2024-02-21")]);
    expect(text).toContain("The 2024-02-21 digest is not in the archive.");
    expect(text).toMatch(/• `[^`]*2024-02-21\.md`: /);
  });

  test("a paper the digest does not have, and a date that is not a date, are explained", async () => {
    expect(
      await ask([digestOption(), { type: 3, name: "paper", value: "No Such Paper" }]),
    ).toContain('The 2024-02-20 digest has no paper "No Such Paper".');
    expect(await ask([digestOption("2024-13-45")])).toMatch(/"2024-13-45" is not a date/);
  });
});
