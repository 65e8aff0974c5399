import { startBot } from "./app/bot.js";
import { guardProcess } from "./app/guard.js";
import { listenError } from "./app/preflight.js";
import { startScheduler } from "./app/scheduler-role.js";
import { startWorker } from "./app/worker-role.js";
import { type Config, tryLoadConfig } from "./config.js";
import { DEFAULT_REST_TIMEOUT_MS } from "./delivery/step.js";
import { createLogger, type Logger } from "./logger.js";
import { fullCollection, startHeapCompactor } from "./ops/heap-compactor.js";
import { startRestProxy } from "./ops/rest-proxy.js";

/** Paperboy's entry point: `npm start`. */
async function main(): Promise<void> {
  const loaded = tryLoadConfig();
  if (!loaded.ok) {
    console.error(loaded.message);
    process.exit(1);
  }
  const config = loaded.config;
  if (config.role === "rest-proxy") {
    // Forwards the other processes' requests with their own token: it needs none of its own.
    await runRestProxy(config, createLogger({ level: config.logLevel }));
    return;
  }
  // A scheduler only records deliveries: it never talks to Discord.
  if (!config.discordToken && config.role !== "scheduler") {
    console.error(
      "DISCORD_TOKEN is missing: create a bot at https://discord.com/developers/applications (Bot → Reset Token) and put it in .env",
    );
    process.exit(1);
  }
  const logger = createLogger({ level: config.logLevel });
  guardProcess(logger);
  // npm start passes --expose-gc for this: garbage left by loading is given back to the system.
  const gc = (globalThis as { gc?: () => void }).gc;
  const compactor = gc
    ? startHeapCompactor({
        collect: fullCollection(gc),
        logger: logger.child({ subsystem: "memory" }),
      })
    : null;
  // Signals are handled from the start: a stop during start-up waits for it, then stops cleanly.
  let bot: { stop(): Promise<void> } | null = null;
  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, "stopping");
    const force = setTimeout(() => process.exit(1), 10_000);
    force.unref();
    if (bot) void bot.stop().then(() => process.exit(0));
  };
  process.on("SIGINT", () => stop("SIGINT"));
  process.on("SIGTERM", () => stop("SIGTERM"));
  bot =
    config.role === "worker"
      ? await startWorker(config, logger)
      : config.role === "scheduler"
        ? await startScheduler(config, logger)
        : await startBot(config, logger);
  compactor?.collectSoon(); // the archive is loaded and indexed: start-up is over
  if (stopping) await bot.stop().then(() => process.exit(0));
}

/** The `rest-proxy` role: serves until SIGTERM or SIGINT. */
async function runRestProxy(config: Config, logger: Logger): Promise<void> {
  guardProcess(logger);
  const proxy = await startRestProxy({
    port: config.restProxyPort,
    host: config.httpHost,
    upstream: config.discordApiUrl,
    globalPerSecond: config.sendRatePerSecond,
    timeoutMs: DEFAULT_REST_TIMEOUT_MS,
    logger: logger.child({ subsystem: "rest-proxy" }),
  }).catch((error: unknown) => {
    throw listenError("REST_PROXY_PORT", config.httpHost, config.restProxyPort, error);
  });
  const stop = (signal: string) => {
    logger.info({ signal }, "stopping");
    void proxy.close().then(() => process.exit(0));
  };
  process.once("SIGINT", () => stop("SIGINT"));
  process.once("SIGTERM", () => stop("SIGTERM"));
}

main().catch((error: unknown) => {
  const code = (error as { code?: unknown }).code;
  if (code === "TokenInvalid") {
    console.error(
      "DISCORD_TOKEN was refused by Discord: reset it at https://discord.com/developers/applications (your app → Bot → Reset Token) and update .env",
    );
  } else {
    console.error(error instanceof Error ? error.message : error);
  }
  process.exit(1);
});
