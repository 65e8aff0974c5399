import { type Client, HTTPError, type TextChannel } from "discord.js";
import { afterEach, describe, expect, test } from "vitest";
import type { Emulator } from "../../emulator/server.js";
import { control, readyClient, rest } from "../support/discord.js";
import { emulatorWithGuild, type TestGuild } from "../support/emulator-world.js";

let emulator: Emulator;
let guild: TestGuild;
let bot: Client;
const quiet = { allowedMentions: { parse: [] as [] } };

async function setup(): Promise<TextChannel> {
  ({ emulator, guild } = await emulatorWithGuild({ rateLimits: { enabled: false } }));
  bot = await readyClient(emulator);
  return bot.channels.cache.get(guild.text) as TextChannel;
}
afterEach(async () => {
  await bot.destroy();
  await emulator.close();
});

const stored = async (channelId: string) =>
  control<{ content: string }[]>(emulator, "GET", `channels/${channelId}/messages`);
const statusCount = async (status: number) =>
  (await control<{ by_status: Record<string, number> }>(emulator, "GET", "stats")).by_status[
    String(status)
  ] ?? 0;

describe("emulator faults on demand", () => {
  test("500 for the next 2 requests: discord.js retries and the message arrives once", async () => {
    const channel = await setup();
    await control(emulator, "POST", "faults", {
      route: "POST /channels/:channel/messages",
      status: 500,
      times: 2,
    });
    await channel.send({ content: "after two 500s", ...quiet });
    expect(await statusCount(500)).toBe(2);
    expect((await stored(guild.text)).map((m) => m.content)).toEqual(["after two 500s"]);
  });

  test("503 for longer than discord.js retries surfaces as an HTTPError and stores nothing", async () => {
    const channel = await setup();
    await control(emulator, "POST", "faults", { status: 503, times: 10, channel_id: guild.text });
    await expect(channel.send({ content: "never", ...quiet })).rejects.toBeInstanceOf(HTTPError);
    expect(await statusCount(503)).toBe(4);
    expect(await stored(guild.text)).toEqual([]);
  });

  test("a fault on one channel leaves the others alone", async () => {
    await setup();
    await control(emulator, "POST", "faults", { status: 502, channel_id: guild.text });
    expect(
      (await rest(emulator, "POST", `/channels/${guild.text}/messages`, { content: "a" })).status,
    ).toBe(502);
    expect(
      (
        await rest(emulator, "POST", `/channels/${guild.news}/messages`, {
          content: "b",
          allowed_mentions: { parse: [] },
        })
      ).status,
    ).toBe(200);
    await control(emulator, "DELETE", "faults");
    expect(
      (
        await rest(emulator, "POST", `/channels/${guild.text}/messages`, {
          content: "c",
          allowed_mentions: { parse: [] },
        })
      ).status,
    ).toBe(200);
  });

  test("a fraction of requests can fail", async () => {
    await setup();
    await control(emulator, "POST", "faults", { method: "GET", status: 502, rate: 0.5 });
    const statuses = [];
    for (let i = 0; i < 80; i++)
      statuses.push((await rest(emulator, "GET", `/channels/${guild.text}`)).status);
    const failed = statuses.filter((s) => s === 502).length;
    expect(failed).toBeGreaterThan(10);
    expect(failed).toBeLessThan(70);
  });

  test("a connection reset is retried by discord.js and the message arrives once", async () => {
    const channel = await setup();
    await control(emulator, "POST", "faults", {
      route: "POST /channels/:channel/messages",
      reset: true,
      times: 1,
    });
    await channel.send({ content: "after a reset", ...quiet });
    expect((await stored(guild.text)).map((m) => m.content)).toEqual(["after a reset"]);
  });

  test("a slow response takes at least its delay", async () => {
    await setup();
    await control(emulator, "POST", "faults", { method: "GET", delay_ms: 300, times: 1 });
    const start = Date.now();
    expect((await rest(emulator, "GET", `/channels/${guild.text}`)).status).toBe(200);
    expect(Date.now() - start).toBeGreaterThanOrEqual(290);
  });

  test("a bad fault rule is refused with the field it got wrong", async () => {
    await setup();
    await expect(control(emulator, "POST", "faults", { status: 418 })).rejects.toThrow(
      /status must be/,
    );
    await expect(control(emulator, "POST", "faults", { status: 500, rate: 2 })).rejects.toThrow(
      /rate must be/,
    );
  });
});
