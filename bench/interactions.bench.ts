import { mkdirSync, readdirSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { startEmulator } from "../emulator/server.js";
import { startBot } from "../src/app/bot.js";
import { parseConfig } from "../src/config.js";
import { createLogger } from "../src/logger.js";
import { PaperIndex } from "../src/search/paper-index.js";
import { startEmulatorProcess } from "./emulator-process.js";
import { percentile, QUERIES, slash } from "./interaction-load.js";
import type { BenchRow } from "./table.js";

/**
 * The real bot against the emulator: interactions dispatched over the gateway at `perSecond` for
 * `seconds`, each answered through the REST callback; reports the time from dispatch to answer.
 */
export async function interactionBench(
  corpusDir: string,
  workDir: string,
  perSecond = 200,
  seconds = 30,
): Promise<BenchRow[]> {
  const emulator = await startEmulator({ heartbeatIntervalMs: 41_250 });
  const world = emulator.ctx.world;
  const guild = world.createGuild("Load");
  const channel = world.createChannel(guild, "papers", 0);
  const config = parseConfig({
    DISCORD_TOKEN: emulator.token,
    DISCORD_API_URL: emulator.apiUrl,
    DIGESTS_DIR: corpusDir,
    DATABASE_URL: join(workDir, "interactions.db"),
    LOG_LEVEL: "silent",
    CATCH_UP: "false",
  });
  const bot = await startBot(config, createLogger({ level: "silent", pretty: false }));
  const bodies = [
    ...QUERIES.map((q) => ({
      type: 4,
      data: slash("paper", [{ type: 3, name: "query", value: q, focused: true }]),
    })),
    ...QUERIES.map((q) => ({
      type: 4,
      data: slash("author", [{ type: 3, name: "name", value: q.slice(0, 4), focused: true }]),
    })),
    { type: 2, data: slash("top", [{ type: 3, name: "period", value: "week" }]) },
    { type: 2, data: slash("paper", [{ type: 3, name: "query", value: "2402.11131" }]) },
    { type: 2, data: slash("search", [{ type: 3, name: "text", value: "확산 모델" }]) },
  ];
  const ids: string[] = [];
  const start = performance.now();
  const total = perSecond * seconds;
  for (let i = 0; i < total; i++) {
    const due = start + (i * 1000) / perSecond;
    const wait = due - performance.now();
    if (wait > 1) await new Promise((resolve) => setTimeout(resolve, wait));
    const body = bodies[i % bodies.length] as { type: number; data: Record<string, unknown> };
    ids.push(
      emulator.ctx.interactions.create({ guild_id: guild.id, channel_id: channel.id, ...body }).id,
    );
  }
  const sendSeconds = (performance.now() - start) / 1000;
  await new Promise((resolve) => setTimeout(resolve, 3500));
  const latencies: number[] = [];
  let unanswered = 0;
  for (const id of ids) {
    const first = emulator.ctx.interactions.get(id)?.callbacks[0];
    if (first) latencies.push(first.at_ms);
    else unanswered++;
  }
  await bot.stop();
  await emulator.close();
  const late = latencies.filter((ms) => ms > 3000).length;
  return [
    {
      name: `interactions: ${total} at ${(total / sendSeconds).toFixed(0)}/s over ${sendSeconds.toFixed(0)} s, real bot over the emulator`,
      value: percentile(latencies, 99),
      unit: "ms p99",
      baseline: `median ${percentile(latencies, 50).toFixed(1)} ms, max ${Math.max(...latencies).toFixed(0)} ms`,
      target: "all ≤ 3000 ms",
      pass: unanswered === 0 && late === 0,
    },
    {
      name: "  unanswered or later than 3 s",
      value: unanswered + late,
      unit: "",
      target: "0",
      pass: unanswered + late === 0,
    },
  ];
}

/**
 * The real bot over the whole archive: interaction latency with nothing being parsed, then
 * while a large digest and a hostile file dropped into its digests folder are parsed. Each run
 * writes both files anew (other dates), so each is parsed again; worst of `runs`. The emulator
 * runs in a process of its own (as Discord does), so every figure is the bot's own.
 */
export async function interactionsWhileParsing(
  corpusDir: string,
  workDir: string,
  large: string,
  hostile: string,
  runs = 3,
  perSecond = 100,
): Promise<BenchRow[]> {
  const dir = join(workDir, "parse-digests");
  mkdirSync(dir, { recursive: true });
  for (const name of readdirSync(corpusDir).filter((n) => n.endsWith(".md")))
    symlinkSync(join(corpusDir, name), join(dir, name));
  // Discord runs elsewhere: the emulator, and the interactions it sends, in a process of their own.
  const emulator = await startEmulatorProcess();
  const config = parseConfig({
    DISCORD_TOKEN: emulator.token,
    DISCORD_API_URL: emulator.apiUrl,
    DIGESTS_DIR: dir,
    DATABASE_URL: join(workDir, "parse-interactions.db"),
    LOG_LEVEL: "silent",
    CATCH_UP: "false",
  });
  const bot = await startBot(config, createLogger({ level: "silent", pretty: false }));
  const idle: number[] = [];
  const hostileBusy: number[] = [];
  const largeBusy: number[] = [];
  const available: number[] = [];
  let unanswered = 0;
  const p99 = async (into: number[], seconds: number) => {
    const timed = await emulator.time(perSecond, seconds);
    into.push(percentile(timed.latencies, 99));
    unanswered += timed.unanswered;
  };
  for (let run = 0; run < runs; run++) {
    // Let the previous run's removals settle and the search index be rebuilt for them.
    await emulator.time(1, 8);
    await p99(idle, 10);
    writeFileSync(join(dir, "hostile.md"), hostile.replace("2025-03-13", `2020-02-0${run + 1}`));
    await p99(hostileBusy, 10);
    const date = `2020-01-${String(10 + run).padStart(2, "0")}`; // older than any real digest
    const dropped = performance.now();
    writeFileSync(join(dir, `${date}.md`), large.replace("2025-03-12", date));
    await p99(largeBusy, 10);
    while (!bot.core.archive.catalog().digest(date) && performance.now() - dropped < 90_000)
      await new Promise((resolve) => setTimeout(resolve, 50));
    available.push(performance.now() - dropped);
    rmSync(join(dir, `${date}.md`));
    rmSync(join(dir, "hostile.md"));
  }
  const indexStart = performance.now();
  new PaperIndex(bot.core.archive.catalog());
  const indexMs = performance.now() - indexStart;
  await bot.stop();
  await emulator.close();
  const baseline = `nothing parsed: worst p99 ${Math.max(...idle).toFixed(1)} ms`;
  const row = (name: string, values: number[]): BenchRow => ({
    name,
    value: Math.max(...values),
    unit: "ms p99",
    baseline,
    target: "≤ 50 ms",
    pass: Math.max(...values) <= 50 && unanswered === 0,
  });
  return [
    row(
      `interactions while a 4 MB hostile file is parsed (${perSecond}/s), worst of ${runs}`,
      hostileBusy,
    ),
    row("  … while the 5,000-paper digest is parsed, then indexed", largeBusy),
    {
      name: "  5,000-paper digest served after being dropped in, slowest run",
      value: Math.max(...available) / 1000,
      unit: "s",
      baseline: "includes the watcher's 1 s quiet period",
    },
    {
      name: "  search index rebuild after a change (on the bot's thread), whole archive",
      value: indexMs,
      unit: "ms",
    },
  ];
}
