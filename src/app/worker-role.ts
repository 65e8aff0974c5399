import { readdirSync } from "node:fs";
import { getPriority, setPriority } from "node:os";
import { type APIUser, Routes } from "discord.js";
import type { Config } from "../config.js";
import { newHolderId } from "../delivery/lease.js";
import { DeliveryWorker } from "../delivery/worker.js";
import type { Logger } from "../logger.js";
import type { HealthSnapshot } from "../ops/health.js";
import { startOpsServer } from "../ops/http.js";
import { ledgerMetricSources, Metrics } from "../ops/metrics.js";
import { listenError } from "./preflight.js";
import { buildCore, type Core } from "./wiring.js";

/** How long a stop waits for deliveries under way before giving their claims back. */
const DRAIN_MS = 7_000;

/**
 * How many steps a worker lowers its own CPU priority (its nice value). Sending is throughput
 * work; on a machine it shares with the REST proxy, a gateway or PostgreSQL, their answers come
 * first, so the proxy's time from grant to answer, which paces every send, stays short.
 */
export const WORKER_NICE_STEPS = 10;

/**
 * Lowers this process's CPU priority by `WORKER_NICE_STEPS` (to 19 at most), every thread of it
 * on Linux, where a priority belongs to a thread; never throws.
 */
export function yieldProcessor(logger: Logger): void {
  try {
    const before = getPriority();
    const after = Math.min(19, before + WORKER_NICE_STEPS);
    let threads: number[] = [];
    try {
      threads = readdirSync("/proc/self/task").map(Number);
    } catch {
      // Not Linux: the process's priority is the one to lower.
    }
    if (threads.length === 0) setPriority(after);
    for (const thread of threads) setPriority(thread, after);
    logger.debug({ nice: after }, "worker runs at a lower CPU priority");
  } catch (error) {
    logger.debug({ err: error }, "could not lower the worker's CPU priority");
  }
}

/** A process without a gateway session (a worker or a scheduler). */
export interface HeadlessProcess {
  core: Core;
  metrics: Metrics;
  /** The /healthz and /metrics port, when HTTP_PORT is set. */
  httpPort: number | null;
  health(): HealthSnapshot;
  stop(): Promise<void>;
}

/** `/healthz` of a process without a gateway: starting, then its database's state and its role. */
export function headlessHealth(
  ready: boolean,
  core: Core | null,
  role: HealthSnapshot["role"],
): HealthSnapshot {
  const database = core?.databaseHealth.check() ?? {
    state: "ok" as const,
    message: "not opened yet",
    since: new Date().toISOString(),
  };
  return { starting: !ready, database, role };
}

/** The ops endpoint and metrics of a process without a gateway. */
export async function headlessOps(
  config: Config,
  health: () => HealthSnapshot,
  metrics: Metrics,
): Promise<{ port: number | null; close(): Promise<void> }> {
  if (config.httpPort === undefined) return { port: null, close: async () => {} };
  const ops = await startOpsServer(config.httpPort, config.httpHost, {
    health,
    gatewayGraceMs: 0,
    metrics: async () => ({
      contentType: metrics.registry.contentType,
      body: await metrics.registry.metrics(),
    }),
  }).catch((error: unknown) => {
    throw listenError("HTTP_PORT", config.httpHost, config.httpPort as number, error);
  });
  return ops;
}

/**
 * The `worker` role: no gateway and no digests; claims deliveries the scheduler and the gateways
 * recorded, and sends them through the REST client (usually to the shared REST proxy).
 */
export async function startWorker(config: Config, logger: Logger): Promise<HeadlessProcess> {
  let core: Core | null = null;
  let worker: DeliveryWorker | null = null;
  let ready = false;
  yieldProcessor(logger);
  const health = () => headlessHealth(ready, core, "worker");
  const metrics = new Metrics({
    ...ledgerMetricSources(() => core?.store ?? null),
    archive: () => ({ digests: 0, papers: 0 }),
    workerClaims: () => worker?.claims ?? 0,
  });
  const ops = await headlessOps(config, health, metrics);
  let botUserId: string | null = null;
  try {
    core = await buildCore(config, logger, () => botUserId, {
      observer: metrics,
      withoutDigests: true,
    });
  } catch (error) {
    await ops.close();
    throw error;
  }
  const built = core;
  built.rest.on("rateLimited", () => metrics.discordRateLimited());
  try {
    // Whose messages are the bot's, for checking what an interrupted send left behind.
    botUserId = ((await built.rest.get(Routes.user())) as APIUser).id;
  } catch (error) {
    await built.closeStore();
    await ops.close();
    throw error;
  }
  const holder = newHolderId();
  worker = new DeliveryWorker({
    store: built.store,
    run: (delivery, fence) => built.runner.run(delivery, fence),
    logger: logger.child({ subsystem: "worker" }),
    holder,
    claimMs: config.deliveryLeaseMs,
    concurrency: config.workerConcurrency,
    backoff: config.deliveryRetry,
  });
  worker.start();
  ready = true;
  logger.info({ holder, concurrency: config.workerConcurrency }, "sending deliveries as a worker");
  const running = worker;
  return {
    core: built,
    metrics,
    httpPort: ops.port,
    health,
    stop: async () => {
      ready = false;
      if (!(await running.stop(DRAIN_MS)))
        logger.warn("stopping with deliveries under way; other workers finish them");
      await ops.close();
      await built.closeStore();
    },
  };
}
