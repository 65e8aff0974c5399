import { afterAll, expect, test } from "vitest";
import type { ShardRecord } from "../../emulator/gateway.js";
import type { Emulator } from "../../emulator/server.js";
import { shardOf } from "../../emulator/snowflake.js";
import { type BotProcess, exited, spawnBot } from "../support/bot-process.js";
import { type DeliveryWorld, deliveryWorld, messages } from "../support/delivery-world.js";
import { control } from "../support/discord.js";
import { interact, slash } from "../support/interact.js";
import { freePort } from "../support/ports.js";

const started: BotProcess[] = [];
let world: DeliveryWorld | undefined;
afterAll(async () => {
  for (const proc of started) proc.process.kill("SIGKILL");
  await world?.emulator.close();
});

function start(env: Record<string, string>): BotProcess {
  const proc = spawnBot(env, "info");
  started.push(proc);
  return proc;
}

async function connectedShards(emulator: Emulator): Promise<number[]> {
  const view = await control<{ connected_shards: number[] }>(emulator, "GET", "gateway");
  return [...view.connected_shards].sort((a, b) => a - b);
}

async function until(check: () => Promise<boolean>, ms: number, what: () => string) {
  const deadline = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(what());
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

test("two processes with two of four shards each connect every shard once, and each answers the interactions of its own servers", async () => {
  // Four shards are needed: more than 3 servers on one session is refused with 4011.
  world = await deliveryWorld({
    emulator: { shards: 4, maxConcurrency: 1, gatewayLimits: { maxGuildsPerShard: 3 } },
  });
  const { emulator } = world;
  const guilds: { id: string; channel: string }[] = [];
  while (new Set(guilds.map((g) => shardOf(g.id, 4))).size < 4 || guilds.length < 8) {
    const { id } = await control<{ id: string }>(emulator, "POST", "guilds", {
      name: `Lab ${guilds.length}`,
    });
    const channel = await control<{ id: string }>(emulator, "POST", `guilds/${id}/channels`, {
      name: "papers",
      type: 0,
    });
    guilds.push({ id, channel: channel.id });
  }
  expect(
    Math.max(...[0, 1, 2, 3].map((s) => guilds.filter((g) => shardOf(g.id, 4) === s).length + 1)),
  ).toBeLessThanOrEqual(3);

  // One process with one shard is refused, and says which setting to change.
  const single = start({ ...world.env, SHARD_COUNT: "1" });
  await exited(single.process);
  expect(single.process.exitCode).toBe(1);
  expect(single.output()).toMatch(/SHARD_COUNT/);

  const port = await freePort();
  const first = start({ ...world.env, SHARD_COUNT: "4", SHARDS: "0-1", HTTP_PORT: String(port) });
  const second = start({ ...world.env, SHARD_COUNT: "4", SHARDS: "2,3" });
  await until(
    async () => (await connectedShards(emulator)).length === 4,
    30_000,
    () => `not every shard connected:\n${first.output()}\n${second.output()}`,
  );
  expect(await connectedShards(emulator)).toEqual([0, 1, 2, 3]);
  const records = (await control<{ shards: ShardRecord[] }>(emulator, "GET", "gateway")).shards;
  for (const record of records) expect(record.shard_count).toBe(4);

  // Every server's /top is answered once, by the one process that holds its shard.
  for (const guild of guilds) {
    const view = await interact(emulator, {
      type: 2,
      guild_id: guild.id,
      channel_id: guild.channel,
      data: slash("top", [{ type: 3, name: "period", value: "all" }]),
    });
    expect(view.callbacks, `server ${guild.id} (shard ${shardOf(guild.id, 4)})`).toHaveLength(1);
  }
  // A /repost in a server of each process: the one that does not deliver records it, and the
  // deliverer sends it; every channel gets the digest once.
  const targets = [
    guilds.find((g) => shardOf(g.id, 4) < 2),
    guilds.find((g) => shardOf(g.id, 4) >= 2),
  ] as { id: string; channel: string }[];
  for (const guild of targets)
    await interact(
      emulator,
      {
        type: 2,
        guild_id: guild.id,
        channel_id: guild.channel,
        permissions: String(1n << 5n),
        data: {
          id: "123456789012345680",
          name: "repost",
          type: 1,
          options: [{ type: 7, name: "channel", value: guild.channel }],
          resolved: {
            channels: {
              [guild.channel]: { id: guild.channel, type: 0, name: "papers", permissions: "0" },
            },
          },
        },
      },
      (view) => view.callbacks.length > 0,
    );
  // Deliveries carry nonces; the /top answers in the same channels do not.
  const delivered = async (channel: string) =>
    (await messages(emulator, channel)).filter((m) => m.nonce !== null);
  const embeds = async (channel: string) =>
    (await delivered(channel)).flatMap((m) => m.embeds).length;
  for (const guild of targets)
    await until(
      async () => (await embeds(guild.channel)) >= 14,
      30_000,
      () => `the repost in ${guild.id} did not arrive:\n${first.output()}\n${second.output()}`,
    );
  await new Promise((resolve) => setTimeout(resolve, 1_000));
  for (const guild of targets) {
    const stored = await delivered(guild.channel);
    const titles = stored.flatMap((m) => m.embeds.map((e) => e.title ?? ""));
    expect(
      titles,
      JSON.stringify(stored.map((m) => [m.content.slice(0, 40), m.embeds.length])),
    ).toHaveLength(14);
    expect(new Set(titles).size).toBe(14);
  }

  // Each process's /metrics shows its own shards.
  const metrics = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
  expect(metrics).toMatch(/paperboy_gateway_shard_ready\{shard="0"\} 1/);
  expect(metrics).toMatch(/paperboy_gateway_shard_ready\{shard="1"\} 1/);
  expect(metrics).not.toMatch(/paperboy_gateway_shard_ready\{shard="2"\}/);

  for (const proc of [first, second]) {
    proc.process.kill("SIGTERM");
    await exited(proc.process);
  }
}, 180_000);
