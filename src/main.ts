import { type RunningBot, startBot } from "./app/bot.js";
import { guardProcess } from "./app/guard.js";
import { tryLoadConfig } from "./config.js";
import { createLogger } from "./logger.js";
import { fullCollection, startHeapCompactor } from "./ops/heap-compactor.js";

/** Paperboy's entry point: `npm start`. */
async function main(): Promise<void> {
  const loaded = tryLoadConfig();
  if (!loaded.ok) {
    console.error(loaded.message);
    process.exit(1);
  }
  const config = loaded.config;
  if (!config.discordToken) {
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
  let bot: RunningBot | null = null;
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
  bot = await startBot(config, logger);
  compactor?.collectSoon(); // the archive is loaded and indexed: start-up is over
  if (stopping) await bot.stop().then(() => process.exit(0));
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
