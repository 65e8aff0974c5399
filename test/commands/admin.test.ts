import { afterAll, beforeAll, describe, expect, test } from "vitest";
import type { RunningBot } from "../../src/app/bot.js";
import {
  bot,
  type DeliveryWorld,
  deliveryWorld,
  receivedTitles,
  waitUntil,
} from "../support/delivery-world.js";
import { control } from "../support/discord.js";
import { interact } from "../support/interact.js";

let world: DeliveryWorld;
let running: RunningBot;
const ADMIN = String(1n << 5n); // Manage Server
const MEMBER = "0";

beforeAll(async () => {
  world = await deliveryWorld({ emulator: { rateLimits: { enabled: false } } });
  running = await bot(world);
});
afterAll(async () => {
  await running.stop();
  await world.emulator.close();
});

/** `/config channel add` with Discord's nested options and resolved channel. */
function addChannel(channelId: string, type: number, extra: Record<string, unknown>[] = []) {
  return {
    id: "123456789012345679",
    name: "config",
    type: 1,
    options: [
      {
        type: 2,
        name: "channel",
        options: [
          {
            type: 1,
            name: "add",
            options: [{ type: 7, name: "channel", value: channelId }, ...extra],
          },
        ],
      },
    ],
    resolved: { channels: { [channelId]: { id: channelId, type, name: "c", permissions: "0" } } },
  };
}
const sub = (name: string, options: Record<string, unknown>[] = []) => ({
  id: "123456789012345679",
  name: "config",
  type: 1,
  options: [{ type: 1, name, options }],
});
const base = (permissions: string, locale = "en-US") => ({
  guild_id: world.guild.id,
  channel_id: world.guild.text,
  permissions,
  locale,
  user_id: "723456789012345678",
});

describe("admin commands", () => {
  test("a member without Manage Server is refused, even though Discord showed them the command", async () => {
    const view = await interact(world.emulator, {
      ...base(MEMBER, "ko"),
      type: 2,
      data: addChannel(world.guild.text, 0),
    });
    expect(view.original).toMatchObject({
      ephemeral: true,
      content: expect.stringContaining("서버 관리 권한"),
    });
    expect(await running.core.store.subscriptions()).toEqual([]);
  });

  test("adding a channel where the bot lacks a permission says which one", async () => {
    const locked = (
      await control<{ id: string }>(world.emulator, "POST", `guilds/${world.guild.id}/channels`, {
        name: "locked",
        type: 0,
      })
    ).id;
    await control(world.emulator, "POST", `channels/${locked}/access`, {
      allow: false,
      deny: ["SendMessages"],
    });
    await waitUntil(() => running.client.channels.cache.get(locked));
    const view = await interact(world.emulator, {
      ...base(ADMIN),
      type: 2,
      data: addChannel(locked, 0),
    });
    expect(view.original).toMatchObject({
      ephemeral: true,
      content: expect.stringContaining("missing permissions"),
    });
    expect(view.original?.content).toContain(": Send Messages.");
    expect(view.original?.content).not.toContain("Embed Links");
    const ko = await interact(world.emulator, {
      ...base(ADMIN, "ko"),
      type: 2,
      data: addChannel(locked, 0),
    });
    expect(ko.original?.content).toContain(": 메시지 보내기.");
  });

  test("an admin subscribes channels in each mode, lists them and sees the settings in Korean", async () => {
    const added = await interact(world.emulator, {
      ...base(ADMIN),
      type: 2,
      data: addChannel(world.guild.text, 0, [
        { type: 4, name: "top_n", value: 3 },
        { type: 3, name: "include", value: "LLM, diffusion" },
      ]),
    });
    expect(added.original?.content).toMatch(/^✅ <#\d+> · `embeds` · top 3 · \+LLM, \+diffusion$/);
    await interact(world.emulator, {
      ...base(ADMIN),
      type: 2,
      data: addChannel(world.guild.forum, 15),
    });
    const wrong = await interact(world.emulator, {
      ...base(ADMIN),
      type: 2,
      data: addChannel(world.guild.news, 5, [{ type: 3, name: "mode", value: "forum" }]),
    });
    expect(wrong.original?.content).toContain("forum mode needs a forum channel");
    const list = await interact(world.emulator, {
      ...base(ADMIN, "ko"),
      type: 2,
      data: { ...sub("show") },
    });
    expect(list.original?.content).toContain("🌐 언어: ko");
    expect(list.original?.content).toContain("`forum`");
    expect((await running.core.store.subscriptions()).map((s) => s.mode).sort()).toEqual([
      "embeds",
      "forum",
    ]);
  });

  test("a schedule is validated and the reply shows the next three runs in that zone", async () => {
    const bad = await interact(world.emulator, {
      ...base(ADMIN),
      type: 2,
      data: sub("schedule", [
        { type: 3, name: "cron", value: "daily" },
        { type: 3, name: "timezone", value: "Asia/Seoul" },
      ]),
    });
    expect(bad.original?.content).toContain('"daily" is not a cron expression');
    const zone = await interact(world.emulator, {
      ...base(ADMIN),
      type: 2,
      data: sub("schedule", [
        { type: 3, name: "cron", value: "0 9 * * *" },
        { type: 3, name: "timezone", value: "Mars/Base" },
      ]),
    });
    expect(zone.original?.content).toContain('"Mars/Base" is not a time zone');
    const good = await interact(world.emulator, {
      ...base(ADMIN),
      type: 2,
      data: sub("schedule", [
        { type: 3, name: "cron", value: "30 8 * * *" },
        { type: 3, name: "timezone", value: "Asia/Seoul" },
      ]),
    });
    const runs = (good.original?.content ?? "").split("\n").filter((l) => l.startsWith("•"));
    expect(runs).toHaveLength(3);
    for (const run of runs) expect(run).toContain("08:30");
    expect(await running.core.service.settings(world.guild.id)).toMatchObject({
      schedule: "30 8 * * *",
      timezone: "Asia/Seoul",
    });
  });

  test("/repost posts again after a real delivery, and /status reports deliveries and paused channels", async () => {
    await running.core.service.deliverNewest(world.guild.id);
    const before = (await receivedTitles(world.emulator, world.guild, world.guild.text)).length;
    expect(before).toBe(3);
    const repost = await interact(
      world.emulator,
      {
        ...base(ADMIN),
        type: 2,
        data: {
          id: "123456789012345680",
          name: "repost",
          type: 1,
          options: [{ type: 7, name: "channel", value: world.guild.text }],
          resolved: {
            channels: {
              [world.guild.text]: {
                id: world.guild.text,
                type: 0,
                name: "papers",
                permissions: "0",
              },
            },
          },
        },
      },
      (v) => v.callbacks[0]?.type === 5 && (v.original?.content ?? "").startsWith("📨"),
    );
    expect(repost.original).toMatchObject({
      ephemeral: true,
      content: expect.stringContaining("done"),
    });
    expect(await receivedTitles(world.emulator, world.guild, world.guild.text)).toHaveLength(6);

    await running.core.store.pauseSubscription(world.guild.forum, "50013: it lacks a permission");
    const status = await interact(world.emulator, {
      ...base(ADMIN),
      type: 2,
      data: { id: "123456789012345681", name: "status", type: 1 },
    });
    const text = status.original?.content ?? "";
    expect(text).toContain("📚 Archive: 1 digest, 14 papers · newest 2024-02-20");
    expect(text).toContain(`<#${world.guild.text}> 2024-02-20: done`);
    expect(text).toContain(`<#${world.guild.forum}>: 50013: it lacks a permission`);
    expect(text).toMatch(/Gateway latency/);
  });
});
