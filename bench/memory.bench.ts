import { type ChildProcess, spawn } from "node:child_process";
import { mkdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { type Emulator, startEmulator } from "../emulator/server.js";
import { subscriptionInput } from "../src/delivery/subscription.js";
import { openDatabase } from "../src/storage/database.js";
import { SqliteStore } from "../src/storage/sqlite-store.js";
import { buildAsNpmStartDoes, npmStart } from "../test/support/npm-start.js";
import { freePort } from "../test/support/ports.js";
import type { BenchRow } from "./table.js";

const root = fileURLToPath(new URL("../", import.meta.url));
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** The most the bot may keep resident: 150 MB, in MiB. */
const LIMIT_MIB = 150e6 / 2 ** 20;

/** The resident set of a process, in MiB, from the kernel (Linux). */
function rssMiB(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, "utf8");
  const kb = Number(/^VmRSS:\s+(\d+)/m.exec(status)?.[1] ?? Number.NaN);
  return kb / 1024;
}

/** Starts `args` under Node from the project root; resolves once its output holds `ready`. */
async function start(args: string[], env: Record<string, string>, ready: string) {
  const child = spawn(process.execPath, args, {
    cwd: root,
    env: { PATH: process.env.PATH ?? "", ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  const collect = (chunk: unknown) => {
    output = (output + String(chunk)).slice(-20_000);
  };
  child.stdout?.on("data", collect);
  child.stderr?.on("data", collect);
  for (let waited = 0; !output.includes(ready); waited += 100) {
    if (child.exitCode !== null || waited > 120_000)
      throw new Error(`did not start (${args.join(" ")}): ${output.slice(-2000)}`);
    await sleep(100);
  }
  return child;
}

/**
 * The parse workers stop after 10 s without work (src/archive/parse-pool.ts); the bot's resident
 * set is read once they are gone, so a reading must hold still for longer than that.
 */
const STEADY_MS = 12_000;

/**
 * Waits until the process's RSS has stayed within 1 MiB for `STEADY_MS` (start-up, parse workers
 * and their memory gone), then reads it five times a second apart and gives the largest, beside
 * the largest seen while waiting.
 */
async function settledRss(child: ChildProcess): Promise<{ rss: number; peak: number }> {
  const pid = child.pid as number;
  let peak = rssMiB(pid);
  let steadyFrom = peak;
  for (let held = 0, waited = 0; held < STEADY_MS && waited < 180_000; waited += 1000) {
    await sleep(1000);
    const now = rssMiB(pid);
    peak = Math.max(peak, now);
    if (Math.abs(now - steadyFrom) <= 1) held += 1000;
    else [held, steadyFrom] = [0, now];
  }
  let most = 0;
  for (let i = 0; i < 5; i++, await sleep(1000)) most = Math.max(most, rssMiB(pid));
  return { rss: most, peak: Math.max(peak, most) };
}

async function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return;
  const gone = new Promise((resolve) => child.once("exit", resolve));
  child.kill("SIGTERM");
  await Promise.race([gone, sleep(12_000)]);
  if (child.exitCode === null) child.kill("SIGKILL");
}

/** Asks the bot a few lookups through the emulator, so the archive and its index are built. */
async function warm(emulator: Emulator, guildId: string, channelId: string): Promise<void> {
  const asks = [
    { type: 4, name: "paper", option: "query", value: "diffusion" },
    { type: 4, name: "author", option: "name", value: "zhang" },
    { type: 2, name: "search", option: "text", value: "확산 모델" },
  ];
  for (const ask of asks) {
    const { id } = emulator.ctx.interactions.create({
      guild_id: guildId,
      channel_id: channelId,
      type: ask.type,
      data: {
        id: "123456789012345678",
        name: ask.name,
        type: 1,
        options: [{ type: 3, name: ask.option, value: ask.value, focused: ask.type === 4 }],
      },
    });
    for (let i = 0; i < 600 && !emulator.ctx.interactions.get(id)?.callbacks[0]; i++)
      await sleep(100);
  }
}

/** A gauge from the bot's `/metrics`, in MiB. */
async function metricMiB(port: number, name: string): Promise<number> {
  const text = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
  const value = new RegExp(`^paperboy_${name}(?:\\{[^}]*\\})? (\\S+)$`, "m").exec(text)?.[1];
  return Number(value ?? Number.NaN) / 2 ** 20;
}

/** RSS (MiB) of the real bot in a child process with `servers` servers subscribed and `digestsDir` loaded. */
export async function botRss(digestsDir: string, dbPath: string, servers: number) {
  const emulator = await startEmulator({ heartbeatIntervalMs: 41_250 });
  const world = emulator.ctx.world;
  const store = new SqliteStore(openDatabase(dbPath));
  let first: [string, string] = ["", ""];
  for (let i = 0; i < Math.max(1, servers); i++) {
    const guild = world.createGuild(`Server ${i}`);
    const channel = world.createChannel(guild, "papers", 0);
    if (i === 0) first = [guild.id, channel.id];
    if (servers > 0) store.saveSubscription(subscriptionInput(channel.id, guild.id));
  }
  const port = await freePort();
  const env = {
    DISCORD_TOKEN: emulator.token,
    DISCORD_API_URL: emulator.apiUrl,
    DIGESTS_DIR: digestsDir,
    DATABASE_URL: dbPath,
    HTTP_PORT: String(port),
    CATCH_UP: "false",
    LOG_LEVEL: "info",
  };
  // Started exactly as `npm start` starts it (the same Node flags).
  const { env: startEnv, args } = npmStart();
  const bot = await start(args, { ...startEnv, ...env }, "connected to Discord");
  try {
    await warm(emulator, ...first);
    const { rss, peak } = await settledRss(bot);
    const heap = await metricMiB(port, "nodejs_heap_size_used_bytes");
    const external = await metricMiB(port, "nodejs_external_memory_bytes");
    return { rss, peak, heap, external };
  } finally {
    await stop(bot);
    await emulator.close();
  }
}

/**
 * RSS of the running bot with the whole archive and `servers` subscribed servers (the worst of
 * `runs` fresh starts), beside two baselines from the same run: a bare Node process with npm
 * start's flags that only loads discord.js, and the bot with an empty archive and no servers.
 */
export async function memoryBench(
  corpusDir: string,
  workDir: string,
  servers = 1000,
  runs = 3,
): Promise<BenchRow[]> {
  await buildAsNpmStartDoes();
  const { env, args } = npmStart();
  const load = "await import('discord.js'); console.log('ready'); setInterval(() => {}, 1e6);";
  const bare = await start([...args.slice(0, -1), "--input-type=module", "-e", load], env, "ready");
  const bareRss = (await settledRss(bare).finally(() => stop(bare))).rss;
  const empty = join(workDir, "memory-empty");
  mkdirSync(empty, { recursive: true });
  const idle = await botRss(empty, join(workDir, "memory-idle.db"), 0);
  let full = await botRss(corpusDir, join(workDir, "memory-full-0.db"), servers);
  for (let run = 1; run < runs; run++) {
    const next = await botRss(corpusDir, join(workDir, `memory-full-${run}.db`), servers);
    if (next.rss > full.rss) full = next;
  }
  const mib = (n: number) => `${n.toFixed(0)} MiB`;
  return [
    {
      name: `bot RSS, whole archive, ${servers} servers subscribed, worst of ${runs} starts`,
      value: full.rss,
      unit: "MiB",
      baseline: `bare Node + discord.js ${mib(bareRss)}; bot, empty archive, 0 servers ${mib(idle.rss)}; peak while starting ${mib(full.peak)}`,
      target: "≤ 150 MB (143 MiB)",
      pass: full.rss <= LIMIT_MIB,
    },
    {
      name: "  of which JS heap used / external",
      value: full.heap,
      unit: "MiB",
      baseline: `empty archive: ${mib(idle.heap)} / ${mib(idle.external)}; full: external ${mib(full.external)}`,
    },
  ];
}
