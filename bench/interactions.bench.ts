import { join } from "node:path";
import { startEmulator } from "../emulator/server.js";
import { startBot } from "../src/app/bot.js";
import { parseConfig } from "../src/config.js";
import { createLogger } from "../src/logger.js";
import type { BenchRow } from "./table.js";

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0;
}

const QUERIES = [
  "speculative",
  "diffusion",
  "llama",
  "agent",
  "video generation",
  "2402.1",
  "reward model",
];
const slash = (name: string, options: Record<string, unknown>[]) => ({
  id: "123456789012345678",
  name,
  type: 1,
  options,
});

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
