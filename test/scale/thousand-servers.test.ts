import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, describe, expect, test } from "vitest";
import { shardOf } from "../../emulator/snowflake.js";
import { subscriptionInput } from "../../src/delivery/subscription.js";
import type { DeliveryMode } from "../../src/render/digest-messages.js";
import { postgresBackend } from "../support/backends.js";
import { type BotProcess, exited, spawnBot } from "../support/bot-process.js";
import {
  type DeliveryWorld,
  deliveryWorld,
  messages,
  SAMPLE_DIGEST,
  waitUntil,
} from "../support/delivery-world.js";
import { control } from "../support/discord.js";
import { interact, slash } from "../support/interact.js";
import { freePort } from "../support/ports.js";
import { holdsClaims } from "../support/scaled-world.js";

const postgres = postgresBackend();
const started: BotProcess[] = [];
let world: DeliveryWorld | undefined;
afterAll(async () => {
  for (const proc of started) {
    proc.process.kill("SIGCONT");
    proc.process.kill("SIGKILL");
  }
  await world?.emulator.close();
  await postgres.stop();
});

const SERVERS = 1_000;
const GLOBAL_PER_SECOND = 100;
const MODES: DeliveryMode[] = ["embeds", "thread", "forum"];
const TYPES: Record<DeliveryMode, number> = { embeds: 0, thread: 5, forum: 15 };
const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** The sample digest cut to its first two papers: 2,000 channels' worth stays a few thousand sends. */
function twoPaperDigest(): string {
  const text = readFileSync(SAMPLE_DIGEST, "utf8");
  const third = text.split("\n### ").slice(0, 3).join("\n### ");
  return `${third.trimEnd()}\n`;
}

function start(role: string, env: Record<string, string>): BotProcess {
  const proc = spawnBot({ ...(world as DeliveryWorld).env, ROLE: role, ...env }, "info");
  started.push(proc);
  return proc;
}

/** What a channel holds and what the ledger says of it, for a failure's message. */
async function story(channelId: string, threads: string[]): Promise<string> {
  const emulator = (world as DeliveryWorld).emulator;
  const held: string[] = [];
  for (const where of [channelId, ...threads])
    for (const m of await messages(emulator, where))
      held.push(
        `${where === channelId ? "channel" : `thread ${where}`}: ${m.id} "${m.content.slice(0, 30)}" ${m.embeds.length} embeds nonce ${m.nonce}`,
      );
  const opened = await postgres.open(DATABASE_URL_OF_TEST);
  const lines: string[] = [];
  for (const d of await opened.store.channelDeliveries(channelId, "2000-01-01")) {
    lines.push(`delivery ${d.id} ${d.status} thread ${d.threadId} error ${d.error}`);
    for (const step of await opened.store.steps(d.id))
      lines.push(
        `  step ${step.seq} ${step.role} ${step.status} id ${step.discordId} attempts ${step.attempts} ${step.lastError ?? ""}`,
      );
  }
  await opened.close();
  const logs = started
    .flatMap((p) => p.output().split("\n"))
    .filter((line) => line.includes(channelId) || threads.some((t) => line.includes(t)))
    .slice(0, 30);
  return `\n${held.join("\n")}\n${lines.join("\n")}\n${logs.join("\n")}`;
}
let DATABASE_URL_OF_TEST = "";

const pidOf = (holder: string | undefined) => holder?.split(":")[1];

describe.skipIf(!postgres.available)("1,000 servers on every role at once", () => {
  test("gateways, workers, schedulers and the proxy as separate processes, through kills and freezes, deliver every paper once to 2,000 channels with no 429", async () => {
    const DATABASE_URL = await postgres.databaseUrl("");
    DATABASE_URL_OF_TEST = DATABASE_URL;
    const httpPort = await freePort();
    world = await deliveryWorld({
      emulator: {
        shards: 4,
        // More than 300 servers on one session is refused (4011): four shards are needed.
        gatewayLimits: { maxGuildsPerShard: 300 },
        rateLimits: { globalPerSecond: GLOBAL_PER_SECOND },
        interactionsUrl: `http://127.0.0.1:${httpPort}/interactions`,
      },
      env: {
        DATABASE_URL,
        CATCH_UP: "true",
        DELIVERY_LEASE_SECONDS: "3",
        DELIVERY_RETRY_SECONDS: "1",
        DELIVERY_RETRY_MAX_SECONDS: "2",
        SEND_RATE_PER_SECOND: String(GLOBAL_PER_SECOND),
      },
    });
    const w = world;
    const { emulator } = w;
    writeFileSync(join(w.digestsDir, "2024-02-20.md"), twoPaperDigest());
    // Interactions go over the gateway until the endpoint is switched on below.
    await control(emulator, "POST", "interactions/endpoint", { in_use: false });

    const opened = await postgres.open(DATABASE_URL);
    const store = opened.store;
    const channels: { id: string; guildId: string; mode: DeliveryMode }[] = [];
    const guilds: string[] = [w.guild.id];
    for (let g = 1; g < SERVERS; g++) guilds.push(emulator.ctx.world.createGuild(`Lab ${g}`).id);
    for (const guildId of guilds) {
      const guild = emulator.ctx.world.guilds.get(guildId);
      if (!guild) throw new Error(`no guild ${guildId}`);
      for (let c = 0; c < 2; c++) {
        const mode = MODES[channels.length % 3] as DeliveryMode;
        const { id } = emulator.ctx.world.createChannel(guild, `papers-${c}`, TYPES[mode]);
        channels.push({ id, guildId, mode });
        await store.saveSubscription(subscriptionInput(id, guildId, mode));
      }
      await store.saveGuildSettings(guildId, {
        schedule: "0 9 * * *",
        timezone: "UTC",
        lastRunAt: new Date(Date.now() - 2 * 86_400_000).toISOString(),
      });
    }

    const proxyPort = await freePort();
    const proxyEnv = {
      REST_PROXY_PORT: String(proxyPort),
      DISCORD_TOKEN: "",
      DATABASE_URL: "",
    };
    let proxy = start("rest-proxy", proxyEnv);
    const proxyUp = async () =>
      (await fetch(`http://127.0.0.1:${proxyPort}/healthz`).catch(() => null))?.ok === true;
    await waitUntil(proxyUp, 30_000);
    const viaProxy = {
      DISCORD_API_URL: "http://127.0.0.1:9/api",
      REST_PROXY_URL: `http://127.0.0.1:${proxyPort}`,
    };
    const gateways = [
      start("gateway", {
        ...viaProxy,
        SHARD_COUNT: "4",
        SHARDS: "0-1",
        INTERACTIONS_HTTP_PORT: String(httpPort),
        DISCORD_PUBLIC_KEY: emulator.ctx.interactions.endpoint?.publicKey ?? "",
      }),
      start("gateway", { ...viaProxy, SHARD_COUNT: "4", SHARDS: "2-3" }),
    ];
    // The gateway's REST calls (commands, gateway/bot) go straight to the emulator here: only
    // sending is measured against the proxy's limit.
    const schedulers = [start("scheduler", {}), start("scheduler", {})];
    const workers = [0, 1, 2, 3].map(() => start("worker", viaProxy));

    // The scheduler leader dies while recording: the standby records the rest.
    const leader = await waitUntil(async () => (await store.lease("scheduler"))?.holder, 30_000);
    await waitUntil(async () => (await store.unfinishedDeliveries()).length >= 50, 60_000);
    const leading = schedulers.find((s) => String(s.process.pid) === pidOf(leader)) as BotProcess;
    leading.process.kill("SIGKILL");

    // A worker killed mid-delivery, another frozen past its claims and woken.
    const [killed, frozen] = workers as [BotProcess, BotProcess];
    await waitUntil(
      async () => holdsClaims(await store.claimCounts(), killed.process.pid) > 0,
      60_000,
    );
    killed.process.kill("SIGKILL");
    await waitUntil(
      async () => holdsClaims(await store.claimCounts(), frozen.process.pid) > 0,
      60_000,
    );
    frozen.process.kill("SIGSTOP");
    await pause(5_000);
    frozen.process.kill("SIGCONT");

    // The proxy killed mid-delivery: sends pause, and resume once it is back.
    await waitUntil(() => emulator.ctx.world.messages.size >= 1_500, 120_000);
    proxy.process.kill("SIGKILL");
    await exited(proxy.process);
    await pause(2_000);
    proxy = start("rest-proxy", proxyEnv);
    await waitUntil(proxyUp, 30_000);

    // Every shard connected, once; a server's command is answered by the shard that holds it.
    const gatewayView = await control<{ connected_shards: number[] }>(emulator, "GET", "gateway");
    expect([...gatewayView.connected_shards].sort()).toEqual([0, 1, 2, 3]);
    for (let shard = 0; shard < 4; shard++) {
      const guildId = guilds.find((g) => shardOf(g, 4) === shard) as string;
      const channel = channels.find((c) => c.guildId === guildId && c.mode === "embeds");
      const view = await interact(emulator, {
        type: 2,
        guild_id: guildId,
        channel_id: channel?.id ?? channels.find((c) => c.guildId === guildId)?.id,
        data: slash("top", [{ type: 3, name: "period", value: "all" }]),
      });
      expect(view.callbacks, `shard ${shard}`).toHaveLength(1);
    }
    // Over HTTP, a server of the other process's shards is answered by the HTTP one.
    await control(emulator, "POST", "interactions/endpoint", { in_use: true });
    const farGuild = guilds.find((g) => shardOf(g, 4) === 3) as string;
    const overHttp = await interact(emulator, {
      type: 2,
      guild_id: farGuild,
      channel_id: channels.find((c) => c.guildId === farGuild)?.id,
      data: slash("top", [{ type: 3, name: "period", value: "all" }]),
    });
    expect(overHttp.callbacks).toHaveLength(1);
    expect((overHttp as unknown as { endpoint: { status: number } }).endpoint?.status).toBe(200);

    const done = async () => {
      const last = await store.lastDeliveries(10_000);
      return last.length === channels.length && last.every((d) => d.status === "done");
    };
    await waitUntil(done, 300_000).catch(async () => {
      const pending = (await store.unfinishedDeliveries()).length;
      throw new Error(
        `${pending} deliveries unfinished; a worker said:\n${workers[3]?.output().slice(-3000)}`,
      );
    });

    // Every paper once in every channel; one thread or post per threaded channel; no 429.
    const papers = 2;
    const problems: string[] = [];
    const byParent = new Map<string, string[]>();
    for (const channel of emulator.ctx.world.channels.values()) {
      const parent = channel.parentId;
      if (parent) byParent.set(parent, [...(byParent.get(parent) ?? []), channel.id]);
    }
    for (const { id, mode } of channels) {
      const threads = byParent.get(id) ?? [];
      const titles: string[] = [];
      for (const where of [id, ...threads])
        for (const m of await messages(emulator, where))
          if (m.nonce !== null || mode === "forum")
            titles.push(...m.embeds.map((e) => e.title ?? ""));
      if (
        titles.length !== papers ||
        new Set(titles).size !== papers ||
        threads.length !== (mode === "embeds" ? 0 : 1)
      )
        problems.push(
          `${mode} ${id}: ${titles.length} papers, ${threads.length} threads; ${await story(id, threads)}`,
        );
    }
    expect(problems.slice(0, 20), `${problems.length} channels wrong`).toEqual([]);
    const limited = emulator.ctx.stats.rateLimited;
    expect(
      limited.user + limited.global + limited.shared,
      JSON.stringify(emulator.ctx.stats.lastLimited),
    ).toBe(0);
    for (const proc of [...gateways, ...workers.slice(1)])
      expect(proc.process.exitCode, proc.output().slice(-2000)).toBeNull();
    await opened.close();
  }, 600_000);
});
