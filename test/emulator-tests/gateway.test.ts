import {
  type Client,
  DiscordjsErrorCodes,
  GatewayIntentBits,
  type Message,
  type TextChannel,
} from "discord.js";
import { afterEach, describe, expect, test } from "vitest";
import type { Emulator } from "../../emulator/server.js";
import { shardOf } from "../../emulator/snowflake.js";
import { control, readyClient, testEmulator } from "../support/discord.js";

const cleanup: (() => Promise<unknown> | undefined)[] = [];
afterEach(async () => {
  for (const step of cleanup.splice(0).reverse()) await step();
});

/** Resolves when the client's shard becomes ready again (a fresh READY after identifying). */
function nextShardReady(bot: Client): Promise<void> {
  return new Promise((resolve) => bot.once("shardReady", () => resolve()));
}

async function world(options: Parameters<typeof testEmulator>[0] = {}, guildCount = 1) {
  const emulator = await testEmulator(options);
  cleanup.push(() => emulator.close());
  const guilds: { id: string; text: string; news: string; forum: string }[] = [];
  for (let i = 0; i < guildCount; i++) {
    const { id } = await control<{ id: string }>(emulator, "POST", "guilds", { name: `Lab ${i}` });
    const make = async (name: string, type: number) =>
      (await control<{ id: string }>(emulator, "POST", `guilds/${id}/channels`, { name, type })).id;
    guilds.push({
      id,
      text: await make("papers", 0),
      news: await make("news", 5),
      forum: await make("forum", 15),
    });
  }
  return { emulator, guilds };
}

async function client(
  emulator: Emulator,
  options: Parameters<typeof readyClient>[1] = {},
): Promise<Client> {
  const c = await readyClient(emulator, options);
  cleanup.push(() => c.destroy());
  return c;
}

function waitFor<T>(check: () => T | undefined | null | false, ms = 5000): Promise<T> {
  return new Promise((resolve, reject) => {
    const start = Date.now();
    const tick = () => {
      const value = check();
      if (value) return resolve(value);
      if (Date.now() - start > ms) return reject(new Error(`condition not met within ${ms} ms`));
      setTimeout(tick, 20);
    };
    tick();
  });
}

describe("emulator gateway", () => {
  test("a discord.js client logs in, becomes ready and sees text, announcement and forum channels", async () => {
    const { emulator, guilds } = await world();
    const bot = await client(emulator);
    const guild = bot.guilds.cache.get(guilds[0]?.id ?? "");
    expect(bot.user?.id).toBe(emulator.ctx.world.applicationId);
    expect(bot.application?.id).toBe(emulator.ctx.world.applicationId);
    expect(guild?.channels.cache.map((c) => c.type).sort((a, b) => a - b)).toEqual([0, 5, 15]);
    expect(guild?.members.me?.roles.cache.size).toBeGreaterThan(0);
    expect(guild?.id).toMatch(/^\d{17,19}$/);
  });

  test("answers heartbeats so the client measures its latency", async () => {
    const { emulator } = await world({ heartbeatIntervalMs: 300 });
    const bot = await client(emulator);
    await waitFor(() => bot.ws.ping >= 0, 3000);
    expect(bot.ws.ping).toBeLessThan(1000);
  });

  test("with two shards each shard receives only the guilds with (id >> 22) % 2 equal to its id", async () => {
    const { emulator, guilds } = await world({ shards: 2, maxConcurrency: 16 }, 4);
    expect(new Set(guilds.map((g) => shardOf(g.id, 2))).size).toBe(2);
    const bot = await client(emulator, { shards: "auto" });
    expect(bot.ws.shards.size).toBe(2);
    for (const g of guilds) {
      expect(bot.guilds.cache.get(g.id)?.shardId).toBe(shardOf(g.id, 2));
    }
    expect(
      (
        await control<{ connected_shards: number[] }>(emulator, "GET", "gateway")
      ).connected_shards.sort((a, b) => a - b),
    ).toEqual([0, 1]);
  });

  test("a guild created after login arrives as GUILD_CREATE", async () => {
    const { emulator } = await world();
    const bot = await client(emulator);
    const { id } = await control<{ id: string }>(emulator, "POST", "guilds", { name: "Later" });
    await waitFor(() => bot.guilds.cache.get(id));
  });

  test("after a resumable close (4000) the client resumes and gets the events it missed", async () => {
    const { emulator, guilds } = await world();
    const bot = await client(emulator, {
      intents: [GatewayIntentBits.Guilds, GatewayIntentBits.GuildMessages],
    });
    const seen: string[] = [];
    bot.on("messageCreate", (message: Message) => {
      seen.push(message.content);
    });
    const channel = bot.channels.cache.get(guilds[0]?.text ?? "") as TextChannel;
    await control(emulator, "POST", "gateway/disconnect", { code: 4000 });
    await channel.send({
      content: "sent while the gateway was down",
      allowedMentions: { parse: [] },
    });
    await waitFor(() => seen.includes("sent while the gateway was down"));
    const stats = await control<{ identifies: number; resumes: number }>(
      emulator,
      "GET",
      "gateway",
    );
    expect(stats).toMatchObject({ identifies: 1, resumes: 1 });
  });

  test("after a non-resumable close (4009) the client identifies again", async () => {
    const { emulator } = await world();
    const bot = await client(emulator);
    const ready = nextShardReady(bot);
    await control(emulator, "POST", "faults", { route: "gateway", close_code: 4009 });
    // discord.js waits 5 s between two identifies of one shard, as Discord requires.
    await ready;
    expect(emulator.gateway.stats).toMatchObject({ identifies: 2 });
  });

  test("an invalid session that cannot be resumed makes the client identify again", async () => {
    const { emulator } = await world();
    const bot = await client(emulator);
    const ready = nextShardReady(bot);
    await control(emulator, "POST", "gateway/invalidate", { resumable: false });
    await ready;
    expect(emulator.gateway.stats).toMatchObject({ identifies: 2 });
  });

  test("a wrong token is refused at login", async () => {
    const { emulator } = await world();
    const { Client } = await import("discord.js");
    const bot = new Client({ intents: [GatewayIntentBits.Guilds], rest: { api: emulator.apiUrl } });
    cleanup.push(() => bot.destroy());
    await expect(bot.login("not-the-token")).rejects.toMatchObject({
      code: DiscordjsErrorCodes.TokenInvalid,
    });
  });
});
