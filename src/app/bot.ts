import { fileURLToPath } from "node:url";
import { Client, GatewayIntentBits, RESTEvents, Status } from "discord.js";
import { commandContext } from "../commands/context.js";
import { Dispatcher } from "../commands/dispatcher.js";
import { loadCommands } from "../commands/loader.js";
import type { Config } from "../config.js";
import type { RetryPolicy } from "../delivery/runner.js";
import { Scheduler } from "../delivery/scheduler.js";
import type { Logger } from "../logger.js";
import { startOpsServer } from "../ops/http.js";
import { Metrics } from "../ops/metrics.js";
import { inviteUrl } from "./invite.js";
import { buildCore, type Core } from "./wiring.js";

/** The folder of slash command files. */
export const COMMANDS_DIR = fileURLToPath(new URL("../../commands", import.meta.url));

/** How long a stop waits for deliveries in flight before it leaves them to the ledger. */
const DRAIN_MS = 7_000;

/** A running bot: gateway client, archive watcher, scheduler and (optionally) the ops endpoint. */
export interface RunningBot {
  core: Core;
  client: Client;
  scheduler: Scheduler;
  metrics: Metrics;
  /** The /healthz and /metrics port, when HTTP_PORT is set. */
  httpPort: number | null;
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
  let ready = false;
  let core: Core | null = null;
  const metrics = new Metrics({
    pendingDeliveries: () => core?.store.unfinishedDeliveries().length ?? 0,
    archive: () => ({
      digests: core?.archive.catalog().dates().length ?? 0,
      papers: core?.archive.catalog().paperCount ?? 0,
    }),
  });
  core = await buildCore(config, logger, () => botUserId, { ...options, observer: metrics });
  const built = core;
  built.rest.setToken(token);
  // Only the Guilds intent: the bot reads no messages and needs no privileged intent.
  const client = new Client({
    intents: [GatewayIntentBits.Guilds],
    rest: config.discordApiUrl ? { api: config.discordApiUrl } : {},
    allowedMentions: { parse: [] },
  });
  for (const rest of [client.rest, built.rest])
    rest.on(RESTEvents.RateLimited, () => metrics.discordRateLimited());
  const connected = new Promise<void>((resolve) => client.once("clientReady", () => resolve()));
  await client.login(token);
  await connected;
  botUserId = client.user?.id ?? null;
  logger.info({ user: client.user?.tag, guilds: client.guilds.cache.size }, "connected to Discord");
  if (built.store.subscriptions().length === 0 && botUserId) {
    logger.info(
      { invite: inviteUrl(config.applicationId ?? botUserId) },
      "no channel is subscribed yet: invite the bot, then use /config channel add",
    );
  }

  const scheduler = new Scheduler(
    built.store,
    built.service,
    logger.child({ subsystem: "scheduler" }),
    { catchUp: config.catchUp },
  );
  const commandLog = logger.child({ subsystem: "commands" });
  const context = commandContext({
    archive: built.archive,
    store: built.store,
    service: built.service,
    scheduler,
    config,
    logger: commandLog,
    ping: () => client.ws.ping,
  });
  context.refreshIndex();
  const dispatcher = new Dispatcher(
    await loadCommands(COMMANDS_DIR),
    context,
    commandLog,
    (command, kind, seconds) => metrics.commandSeconds.observe({ command, kind }, seconds),
  );
  let accepting = true;
  client.on("interactionCreate", (interaction) => {
    if (accepting) void dispatcher.handle(interaction);
  });
  built.archive.onDigest(() => setImmediate(() => context.refreshIndex()));
  built.archive.watch();
  if (config.postOnArrival) {
    built.archive.onDigest((date) => {
      if (built.archive.newest()?.date === date) void built.service.deliverNewest();
    });
  }
  await scheduler.start();
  ready = true;

  const ops =
    config.httpPort === undefined
      ? null
      : await startOpsServer(config.httpPort, config.httpHost, {
          health: () => ({
            ready,
            gateway: client.ws.status === Status.Ready,
            database: databaseWritable(built),
          }),
          metrics: async () => ({
            contentType: metrics.registry.contentType,
            body: await metrics.registry.metrics(),
          }),
        });
  if (ops) logger.info({ port: ops.port }, "serving /healthz and /metrics");

  return {
    core: built,
    client,
    scheduler,
    metrics,
    httpPort: ops?.port ?? null,
    stop: async () => {
      // Take no new work, let deliveries in flight finish (the ledger keeps the rest), then close.
      accepting = false;
      ready = false;
      scheduler.stop();
      built.archive.close();
      const drained = await built.service.idle(DRAIN_MS);
      if (!drained)
        logger.warn(
          "stopping with deliveries in flight; they resume from the ledger on the next start",
        );
      await ops?.close();
      await client.destroy();
      built.db.close();
    },
  };
}

function databaseWritable(core: Core): boolean {
  try {
    core.db.exec("BEGIN IMMEDIATE; ROLLBACK;");
    return true;
  } catch {
    return false;
  }
}
