import { copyFileSync, mkdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { REST } from "discord.js";
import { type Emulator, startEmulator } from "../emulator/server.js";
import { buildCore } from "../src/app/wiring.js";
import { parseConfig } from "../src/config.js";
import { subscriptionInput } from "../src/delivery/subscription.js";
import { parseDigest } from "../src/digest/parse.js";
import { createLogger } from "../src/logger.js";
import { embedSize, renderPaperEmbed } from "../src/render/paper-embed.js";
import type { BenchRow } from "./table.js";

const silent = createLogger({ level: "silent", pretty: false });

async function emulatorWithChannels(
  count: number,
): Promise<{ emulator: Emulator; guilds: Map<string, string[]> }> {
  const emulator = await startEmulator({ heartbeatIntervalMs: 41_250 });
  const guilds = new Map<string, string[]>();
  const world = emulator.ctx.world;
  for (let g = 0; g < Math.ceil(count / 50); g++) {
    const guild = world.createGuild(`Bench ${g}`);
    const channels: string[] = [];
    for (let c = 0; c < 50 && g * 50 + c < count; c++)
      channels.push(world.createChannel(guild, `papers-${c}`, 0).id);
    guilds.set(guild.id, channels);
  }
  return { emulator, guilds };
}

async function stats(emulator: Emulator): Promise<{ requests: number; rateLimited: number }> {
  const s = emulator.ctx.stats;
  return {
    requests: s.requests,
    rateLimited: s.rateLimited.user + s.rateLimited.global + s.rateLimited.shared,
  };
}

interface PaperboyRun {
  elapsed: number;
  /** The least time Discord's limits allow for the messages this run sent. */
  floor: number;
  rateLimited: number;
  perChannel: number;
  notDone: number;
}

/** One delivery of `digest` to `channels` fresh channels through Paperboy's delivery service. */
async function paperboyRun(
  digestsDir: string,
  databaseUrl: string,
  channels: number,
): Promise<PaperboyRun> {
  const { emulator, guilds } = await emulatorWithChannels(channels);
  const config = parseConfig({
    DISCORD_TOKEN: emulator.token,
    DISCORD_API_URL: emulator.apiUrl,
    DIGESTS_DIR: digestsDir,
    DATABASE_URL: databaseUrl,
    LOG_LEVEL: "silent",
  });
  const core = await buildCore(config, silent);
  for (const [guildId, ids] of guilds) {
    for (const channelId of ids) {
      await core.store.saveSubscription(subscriptionInput(channelId, guildId));
    }
  }
  const start = performance.now();
  const outcomes = await core.service.deliverNewest();
  const elapsed = performance.now() - start;
  const { rateLimited } = await stats(emulator);
  const messages = emulator.ctx.world.messages.size;
  const perChannel = messages / channels;
  core.archive.close();
  await core.closeStore();
  await emulator.close();
  const globalFloor = (messages / 50) * 1000;
  const channelFloor = Math.max(0, Math.ceil(perChannel / 5) - 1) * 5000;
  return {
    elapsed,
    floor: Math.max(globalFloor, channelFloor),
    rateLimited,
    perChannel,
    notDone: outcomes.filter((o) => o.status !== "done").length,
  };
}

/** One row per run (duration, ratio to its floor, its 429s), then the worst ratio and all 429s. */
function paperboyRows(
  results: readonly PaperboyRun[],
  papers: number,
  channels: number,
  fewestPossible: number,
  label: string,
): BenchRow[] {
  const runs = results.length;
  const worstRatio = Math.max(...results.map((r) => r.elapsed / r.floor));
  const total429 = results.reduce((n, r) => n + r.rateLimited, 0);
  const perChannel = Math.max(...results.map((r) => r.perChannel));
  const notDone = results.reduce((n, r) => n + r.notDone, 0);
  return [
    ...results.map((r, i) => ({
      name: `fan-out run ${i + 1}/${runs}: ${papers} papers to ${channels} channels (${label})`,
      value: r.elapsed,
      unit: "ms",
      baseline: `${(r.elapsed / r.floor).toFixed(2)}× floor (${Math.round(r.floor)} ms), ${r.rateLimited} 429s`,
      target: "≤ 1.10× floor, 0 429s",
      pass: r.elapsed / r.floor <= 1.1 && r.rateLimited === 0 && r.notDone === 0,
    })),
    {
      name: `  worst ratio to the floor, ${runs} runs (${label})`,
      value: worstRatio,
      unit: "×",
      target: "≤ 1.10",
      pass: worstRatio <= 1.1 && notDone === 0,
    },
    {
      name: `  messages per channel (${label})`,
      value: perChannel,
      unit: "msgs",
      baseline: `fewest possible: ${fewestPossible}`,
      target: "minimal",
      pass: perChannel <= fewestPossible + 1,
    },
    {
      name: `  429s received, all ${runs} runs (${label})`,
      value: total429,
      unit: "",
      target: "0",
      pass: total429 === 0,
    },
  ];
}

/**
 * One digest to `channels` channels, `runs` times in a row: Paperboy's queue against a naive loop,
 * both with Discord's limits on. Every run reports its own 429s: one lucky run proves nothing.
 */
export async function fanoutBench(
  samplePath: string,
  workDir: string,
  channels = 200,
  runs = 5,
  withNaive = true,
  /** Where each run keeps its state: a SQLite file by default, or a PostgreSQL database URL. */
  database: { label: string; url(run: number): string } = {
    label: "Paperboy",
    url: (run) => join(workDir, `fanout-${run}.db`),
  },
): Promise<BenchRow[]> {
  const result = parseDigest(readFileSync(samplePath, "utf8"), samplePath);
  if (!result.ok) throw new Error("the sample digest does not parse");
  const digest = result.digest;

  // Paperboy: the delivery service, every channel subscribed in embeds mode, a fresh world each run.
  const digestsDir = join(workDir, "fanout-digests");
  mkdirSync(digestsDir, { recursive: true });
  copyFileSync(samplePath, join(digestsDir, `${digest.date}.md`));
  const results: PaperboyRun[] = [];
  for (let run = 0; run < runs; run++)
    results.push(await paperboyRun(digestsDir, database.url(run), channels));
  const embedChars = digest.papers.reduce(
    (n, p, i) =>
      n +
      embedSize(
        renderPaperEmbed(p, { date: digest.date, rank: i + 1, total: digest.papers.length }, "ko"),
      ),
    0,
  );
  const fewestPossible = Math.max(
    Math.ceil(digest.papers.length / 10),
    Math.ceil(embedChars / 6000),
  );

  const rows = paperboyRows(
    results,
    digest.papers.length,
    channels,
    fewestPossible,
    database.label,
  );
  if (!withNaive) return rows;
  // Naive: one message per paper (plus the header), each awaited before the next.
  const naive = await emulatorWithChannels(channels);
  const rest = new REST({ version: "10", api: naive.emulator.apiUrl }).setToken(
    naive.emulator.token,
  );
  const allChannels = [...naive.guilds.values()].flat();
  const naiveStart = performance.now();
  const bodies = [
    { content: `Daily Papers ${digest.date}` },
    ...digest.papers.map((p) => ({ content: `${p.title}\n${p.url}` })),
  ];
  for (const body of bodies) {
    for (const channelId of allChannels) {
      await rest.post(`/channels/${channelId}/messages`, {
        body: { ...body, allowed_mentions: { parse: [] } },
      });
    }
  }
  const naiveElapsed = performance.now() - naiveStart;
  const naiveStats = await stats(naive.emulator);
  const naiveMessages = naive.emulator.ctx.world.messages.size;
  await naive.emulator.close();

  const mean = results.reduce((n, r) => n + r.elapsed, 0) / results.length;
  return [
    ...rows,
    {
      name: "fan-out: naive loop, one message per paper",
      value: naiveElapsed,
      unit: "ms",
      baseline: `${(naiveElapsed / mean).toFixed(2)}× Paperboy (mean of its runs)`,
    },
    { name: "  messages per channel (naive)", value: naiveMessages / channels, unit: "msgs" },
    { name: "  429s received (naive)", value: naiveStats.rateLimited, unit: "" },
  ];
}
