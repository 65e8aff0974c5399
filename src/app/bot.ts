import { fileURLToPath } from "node:url";
import { Client, GatewayIntentBits } from "discord.js";
import { commandContext } from "../commands/context.js";
import { Dispatcher } from "../commands/dispatcher.js";
import { loadCommands } from "../commands/loader.js";
import type { Config } from "../config.js";
import type { RetryPolicy } from "../delivery/runner.js";
import { Scheduler } from "../delivery/scheduler.js";
import type { Logger } from "../logger.js";
import { buildCore, type Core } from "./wiring.js";

/** The folder of slash command files. */
export const COMMANDS_DIR = fileURLToPath(new URL("../../commands", import.meta.url));

/** A running bot: gateway client, archive watcher and scheduler. */
export interface RunningBot {
  core: Core;
  client: Client;
  scheduler: Scheduler;
  stop(): Promise<void>;
}

/** Starts the bot: logs in, resumes unfinished deliveries, catches up and schedules every server. */
export async function startBot(
  config: Config,
  logger: Logger,
  options: { retry?: RetryPolicy } = {},
): Promise<RunningBot> {
  const token = config.discordToken as string;
  let botUserId: string | null = null;
  const core = await buildCore(config, logger, () => botUserId, options);
  core.rest.setToken(token);
  // Only the Guilds intent: the bot reads no messages and needs no privileged intent.
  const client = new Client({
    intents: [GatewayIntentBits.Guilds],
    rest: config.discordApiUrl ? { api: config.discordApiUrl } : {},
    allowedMentions: { parse: [] },
  });
  const ready = new Promise<void>((resolve) => client.once("clientReady", () => resolve()));
  await client.login(token);
  await ready;
  botUserId = client.user?.id ?? null;
  logger.info({ user: client.user?.tag, guilds: client.guilds.cache.size }, "connected to Discord");

  const scheduler = new Scheduler(
    core.store,
    core.service,
    logger.child({ subsystem: "scheduler" }),
    { catchUp: config.catchUp },
  );
  const commands = await loadCommands(COMMANDS_DIR);
  const context = commandContext({
    archive: core.archive,
    store: core.store,
    service: core.service,
    scheduler,
    config,
    logger: logger.child({ subsystem: "commands" }),
    ping: () => client.ws.ping,
  });
  context.refreshIndex();
  const dispatcher = new Dispatcher(commands, context, logger.child({ subsystem: "commands" }));
  client.on("interactionCreate", (interaction) => void dispatcher.handle(interaction));
  core.archive.onDigest(() => setImmediate(() => context.refreshIndex()));
  core.archive.watch();
  if (config.postOnArrival) {
    core.archive.onDigest((date) => {
      if (core.archive.newest()?.date === date) void core.service.deliverNewest();
    });
  }
  await scheduler.start();

  return {
    core,
    client,
    scheduler,
    stop: async () => {
      scheduler.stop();
      core.archive.close();
      await client.destroy();
      core.db.close();
    },
  };
}
