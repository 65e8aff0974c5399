import { type ChildProcess, spawn } from "node:child_process";
import { copyFileSync, mkdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import pg from "pg";
import type { Store } from "../src/delivery/store.js";
import { subscriptionInput } from "../src/delivery/subscription.js";
import { openPostgresStore } from "../src/storage/postgres-connect.js";
import { type BotProcess, exited, spawnBot } from "../test/support/bot-process.js";
import { buildAsNpmStartDoes } from "../test/support/npm-start.js";
import { ROOT } from "../test/support/paths.js";
import { freePort } from "../test/support/ports.js";
import { postgresBinDir, startThrowawayCluster } from "../test/support/postgres.js";
import type { BenchRow } from "./table.js";

/** The Discord emulator as a process of its own, with its control API. */
interface EmulatorChild {
  apiUrl: string;
  token: string;
  control<T>(method: string, path: string, body?: unknown): Promise<T>;
  process: ChildProcess;
}

async function startEmulatorChild(): Promise<EmulatorChild> {
  const port = await freePort();
  const child = spawn(
    process.execPath,
    ["--import", "tsx", join(ROOT, "emulator", "cli.ts"), "--port", String(port)],
    { cwd: ROOT, stdio: ["ignore", "pipe", "inherit"] },
  );
  await new Promise<void>((resolve, reject) => {
    let out = "";
    child.stdout?.on("data", (chunk) => {
      out += String(chunk);
      if (out.includes("control API")) resolve();
    });
    child.once("exit", (code) => reject(new Error(`the emulator exited (${code})`)));
  });
  const base = `http://127.0.0.1:${port}`;
  return {
    apiUrl: `${base}/api`,
    token: "emulator-token",
    process: child,
    async control<T>(method: string, path: string, body?: unknown): Promise<T> {
      const response = await fetch(`${base}/_emulator/${path}`, {
        method,
        headers: { "content-type": "application/json" },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      });
      if (!response.ok) throw new Error(`${method} ${path}: ${response.status}`);
      return (await response.json()) as T;
    },
  };
}

/** CPU seconds (user + system) and peak RSS (MiB) of a live process, from /proc. */
function usage(pid: number | undefined): { cpuSeconds: number; peakMiB: number } {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    const ticks = Number(fields[11]) + Number(fields[12]); // utime, stime
    const status = readFileSync(`/proc/${pid}/status`, "utf8");
    const hwm = Number(/VmHWM:\s+(\d+)/.exec(status)?.[1] ?? 0);
    return { cpuSeconds: ticks / 100, peakMiB: hwm / 1024 };
  } catch {
    return { cpuSeconds: Number.NaN, peakMiB: Number.NaN };
  }
}

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function until(check: () => Promise<boolean>, ms: number, what: string): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`${what} within ${ms / 1000} s`);
    await pause(100);
  }
}

interface FanoutRun {
  workers: number;
  seconds: number;
  floorSeconds: number;
  requests: number;
  rateLimited: number;
  processes: { name: string; cpuSeconds: number; peakMiB: number }[];
  /** After a worker was killed mid-run: seconds until every delivery it held was claimed again. */
  takeoverSeconds: number | null;
  /** From spawning the workers to the first request Discord saw (not on the clock). */
  startupSeconds: number;
  /** Mean time from a grant in the proxy's queue to Discord's answer. */
  upstreamMs: number;
}

/**
 * The sample digest to `channels` channels (one server per 100), through `workers` worker
 * processes behind one REST proxy process, state in PostgreSQL, the emulator's global limit at
 * `globalPerSecond` (a bot Discord granted more than 50). The deliveries are recorded first by a
 * scheduler process; the clock runs from the first request Discord sees to the last delivery done.
 */
async function fanoutRun(options: {
  workers: number;
  channels: number;
  globalPerSecond: number;
  databaseUrl: string;
  digestsDir: string;
  killOne: boolean;
}): Promise<FanoutRun> {
  const { workers, channels, globalPerSecond, databaseUrl, digestsDir } = options;
  const emulator = await startEmulatorChild();
  const started: BotProcess[] = [];
  const connection = await openPostgresStore({
    url: databaseUrl,
    poolSize: 4,
    statementTimeoutMs: 60_000,
  });
  const store: Store = connection.store;
  try {
    await emulator.control("POST", "rate-limits", {
      enabled: true,
      global_per_s: globalPerSecond,
    });
    for (let g = 0; g * 100 < channels; g++) {
      const { id: guildId } = await emulator.control<{ id: string }>("POST", "guilds", {
        name: `Fan-out ${g}`,
      });
      const ids = await Promise.all(
        Array.from({ length: Math.min(100, channels - g * 100) }, (_, c) =>
          emulator.control<{ id: string }>("POST", `guilds/${guildId}/channels`, {
            name: `papers-${c}`,
            type: 0,
          }),
        ),
      );
      for (const { id } of ids) await store.saveSubscription(subscriptionInput(id, guildId));
      await store.saveGuildSettings(guildId, {
        schedule: "0 9 * * *",
        timezone: "UTC",
        lastRunAt: new Date(Date.now() - 2 * 86_400_000).toISOString(),
      });
    }
    const common = {
      DISCORD_TOKEN: emulator.token,
      DATABASE_URL: databaseUrl,
      DIGESTS_DIR: digestsDir,
      CATCH_UP: "true",
    };
    // Recorded before the clock starts: this measures sending, not scheduling.
    const scheduler = spawnBot({ ...common, ROLE: "scheduler" }, "warn");
    started.push(scheduler);
    await until(
      async () => (await store.unfinishedDeliveries()).length >= channels,
      300_000,
      `the scheduler did not record ${channels} deliveries`,
    );
    scheduler.process.kill("SIGTERM");
    await exited(scheduler.process);

    const proxyPort = await freePort();
    const proxy = spawnBot(
      {
        ROLE: "rest-proxy",
        REST_PROXY_PORT: String(proxyPort),
        DISCORD_API_URL: emulator.apiUrl,
        SEND_RATE_PER_SECOND: String(globalPerSecond),
        DISCORD_TOKEN: "",
        DATABASE_URL: "",
      },
      "warn",
    );
    started.push(proxy);
    await until(
      async () =>
        (await fetch(`http://127.0.0.1:${proxyPort}/healthz`).catch(() => null))?.ok === true,
      30_000,
      "the proxy did not start",
    );
    // A started proxy holds everything for one window (its predecessor's sends may still count).
    await pause(1_100);
    const before = await emulator.control<{ requests: number }>("GET", "stats");
    const spawnedAt = performance.now();
    const pool: BotProcess[] = [];
    for (let i = 0; i < workers; i++) {
      const worker = spawnBot(
        {
          ...common,
          ROLE: "worker",
          DISCORD_API_URL: "http://127.0.0.1:9/api",
          REST_PROXY_URL: `http://127.0.0.1:${proxyPort}`,
          // Every worker may use the whole limit (one left alone goes at full speed); the proxy
          // holds the one global limit for all of them.
          SEND_RATE_PER_SECOND: String(globalPerSecond),
          DELIVERY_LEASE_SECONDS: "10",
        },
        "warn",
      );
      pool.push(worker);
      started.push(worker);
    }
    // The clock starts at the first request Discord sees: this measures sending, not start-up.
    await until(
      async () =>
        (await emulator.control<{ requests: number }>("GET", "stats")).requests > before.requests,
      60_000,
      "no worker sent anything",
    );
    const start = performance.now();
    const startupSeconds = (start - spawnedAt) / 1000;
    let takeoverSeconds: number | null = null;
    if (options.killOne) takeoverSeconds = await killOneAndTime(databaseUrl, pool);
    await until(
      async () => (await store.unfinishedDeliveries()).length === 0,
      600_000,
      "the workers did not finish",
    );
    const seconds = (performance.now() - start) / 1000;
    const after = await emulator.control<{
      requests: number;
      rate_limited: { user: number; global: number; shared: number };
    }>("GET", "stats");
    const requests = after.requests - before.requests;
    const metrics = await (await fetch(`http://127.0.0.1:${proxyPort}/metrics`)).text();
    const metric = (name: string) =>
      Number(new RegExp(`^${name} ([\\d.e+-]+)$`, "m").exec(metrics)?.[1] ?? Number.NaN);
    const upstreamMs =
      (metric("paperboy_proxy_upstream_seconds_sum") /
        metric("paperboy_proxy_upstream_seconds_count")) *
      1000;
    const rl = after.rate_limited;
    const processes = [
      ...pool.map((w, i) => ({ name: `worker ${i + 1}`, ...usage(w.process.pid) })),
      { name: "rest-proxy", ...usage(proxy.process.pid) },
      { name: "emulator (Discord)", ...usage(emulator.process.pid) },
    ];
    return {
      workers,
      seconds,
      floorSeconds: requests / globalPerSecond,
      requests,
      rateLimited: rl.user + rl.global + rl.shared,
      processes,
      takeoverSeconds,
      startupSeconds,
      upstreamMs,
    };
  } finally {
    for (const proc of started) proc.process.kill("SIGKILL");
    emulator.process.kill("SIGKILL");
    await connection.close();
  }
}

/**
 * Kills the first worker once it holds 20 claims; returns the seconds until every delivery it held
 * was claimed by another worker (or finished).
 */
async function killOneAndTime(databaseUrl: string, pool: BotProcess[]): Promise<number> {
  const victim = pool[0] as BotProcess;
  const holder = `%:${victim.process.pid}:%`;
  const db = new pg.Client({ connectionString: databaseUrl });
  await db.connect();
  try {
    const held = async (ids?: number[]) =>
      (
        await db.query<{ id: string }>(
          `SELECT id FROM deliveries WHERE status = 'pending' AND claim_holder LIKE $1
           ${ids ? "AND id = ANY($2)" : ""}`,
          ids ? [holder, ids] : [holder],
        )
      ).rows.map((row) => Number(row.id));
    let ids: number[] = [];
    await until(
      async () => {
        ids = await held();
        return ids.length >= 20;
      },
      60_000,
      "the first worker never held 20 claims",
    );
    victim.process.kill("SIGKILL");
    const killedAt = performance.now();
    ids = await held(); // what it held when it died
    await until(async () => (await held(ids)).length === 0, 120_000, "no takeover");
    return (performance.now() - killedAt) / 1000;
  } finally {
    await db.end();
  }
}

/**
 * `npm run bench`'s scale-out figures: the fan-out with 1, 2 and 4 workers (each ≤ 1.05× the
 * global-limit floor, no 429), CPU seconds and peak RSS per process, and a worker's takeover time.
 */
export async function workersFanoutBench(
  samplePath: string,
  workDir: string,
  channels = Number(process.env.BENCH_FANOUT_CHANNELS ?? 10_000),
  globalPerSecond = Number(process.env.BENCH_FANOUT_GLOBAL_PER_SECOND ?? 100),
): Promise<BenchRow[] | null> {
  if (postgresBinDir() === null) return null;
  await buildAsNpmStartDoes();
  const digestsDir = join(workDir, "workers-digests");
  mkdirSync(digestsDir, { recursive: true });
  copyFileSync(samplePath, join(digestsDir, "2024-02-20.md"));
  const cluster = await startThrowawayCluster();
  const rows: BenchRow[] = [];
  try {
    let run = 0;
    for (const workers of [1, 2, 4]) {
      const result = await fanoutRun({
        workers,
        channels,
        globalPerSecond,
        databaseUrl: cluster.database(`workers_${workers}_${run++}`),
        digestsDir,
        killOne: false,
      });
      const ratio = result.seconds / result.floorSeconds;
      rows.push({
        name: `${channels} channels, ${workers} worker${workers > 1 ? "s" : ""} behind the proxy (${result.requests} requests)`,
        value: result.seconds,
        unit: "s",
        baseline: `floor ${result.floorSeconds.toFixed(1)} s (${globalPerSecond}/s): ${ratio.toFixed(3)}×, ${result.rateLimited} 429s; proxy grant to answer ${result.upstreamMs.toFixed(0)} ms mean; start-up ${result.startupSeconds.toFixed(1)} s before the clock`,
        target: "≤ 1.05× floor, 0 429s",
        pass: ratio <= 1.05 && result.rateLimited === 0,
      });
      for (const p of result.processes)
        rows.push({
          name: `  ${p.name}: CPU seconds`,
          value: p.cpuSeconds,
          unit: "s",
          baseline: `peak RSS ${p.peakMiB.toFixed(0)} MiB; ${((p.cpuSeconds / result.requests) * 1000).toFixed(3)} ms CPU per request`,
        });
    }
    const killed = await fanoutRun({
      workers: 2,
      channels,
      globalPerSecond,
      databaseUrl: cluster.database(`workers_kill_${run++}`),
      digestsDir,
      killOne: true,
    });
    rows.push({
      name: "a worker SIGKILLed mid-run: its deliveries claimed again after",
      value: killed.takeoverSeconds ?? Number.NaN,
      unit: "s",
      baseline: "claim period 10 s (DELIVERY_LEASE_SECONDS)",
      target: "≤ claim period + 2 s",
      pass: (killed.takeoverSeconds ?? Number.POSITIVE_INFINITY) <= 12,
    });
    rows.push({
      name: "  that run, 2 workers then 1: whole fan-out",
      value: killed.seconds,
      unit: "s",
      baseline: `floor ${killed.floorSeconds.toFixed(1)} s, ${killed.rateLimited} 429s`,
    });
  } finally {
    cluster.stop();
  }
  return rows;
}
