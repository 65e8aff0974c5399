import { fileURLToPath } from "node:url";
import { Client, GatewayIntentBits, PermissionFlagsBits, RESTEvents, Status } from "discord.js";
import { commandContext } from "../commands/context.js";
import { Dispatcher } from "../commands/dispatcher.js";
import { loadCommands } from "../commands/loader.js";
import type { Config } from "../config.js";
import { NEEDED_PERMISSIONS, type NeededPermission } from "../delivery/channel-health.js";
import { DeliveryLease } from "../delivery/lease.js";
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
  /** The deliverer lease: only its holder delivers from the database. */
  lease: DeliveryLease;
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
  let lease: DeliveryLease | null = null;
  const canSend = () => lease?.canSend() ?? false;
  const metrics = new Metrics({
    leaseHeld: () => lease?.role === "deliverer",
    pendingDeliveries: () => core?.store.unfinishedDeliveries().length ?? 0,
    archive: () => ({
      digests: core?.archive.catalog().dates().length ?? 0,
      papers: core?.archive.catalog().paperCount ?? 0,
    }),
  });
  let gateway: Client | null = null;
  core = await buildCore(config, logger, () => botUserId, {
    ...options,
    observer: metrics,
    canSend,
    permissions: { granted: (channelId) => cachedPermissions(gateway, channelId) },
  });
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
  gateway = client;
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
  // Discord sends every interaction to every process logged in with the token, so the deliverer
  // answers (and `/repost` delivers there); a standby staying silent avoids a racing second reply.
  client.on("interactionCreate", (interaction) => {
    if (accepting && lease?.role === "deliverer") void dispatcher.handle(interaction);
  });
  built.archive.onDigest(() => setImmediate(() => context.refreshIndex()));
  built.archive.watch();
  // A changed digest sends its added papers as updates at once; new digests only on arrival.
  built.archive.onDigest((date) => {
    if (canSend()) void built.service.digestChanged(date, config.postOnArrival);
  });
  // Only the lease holder schedules, catches up and resumes; a standby starts all that on takeover.
  const deliveryLease = new DeliveryLease({
    store: built.store,
    logger: logger.child({ subsystem: "lease" }),
    ttlMs: config.deliveryLeaseMs,
    onAcquired: () => scheduler.start(),
    onLost: () => scheduler.stop(),
  });
  lease = deliveryLease;
  await deliveryLease.start();
  ready = true;

  const ops =
    config.httpPort === undefined
      ? null
      : await startOpsServer(config.httpPort, config.httpHost, {
          health: () => ({
            ready,
            gateway: client.ws.status === Status.Ready,
            database: databaseWritable(built),
            role: deliveryLease.role,
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
    lease: deliveryLease,
    metrics,
    httpPort: ops?.port ?? null,
    stop: async () => {
      // Take no new work, let deliveries in flight finish (the ledger keeps the rest), then close.
      accepting = false;
      ready = false;
      deliveryLease.retire();
      scheduler.stop();
      built.archive.close();
      const drained = await built.service.idle(DRAIN_MS);
      if (!drained)
        logger.warn(
          "stopping with deliveries in flight; they resume from the ledger on the next start",
        );
      // Released only after the drain, so the standby does not resume what is still being sent.
      deliveryLease.release();
      await ops?.close();
      await client.destroy();
      built.db.close();
    },
  };
}

/** The bot's permissions in a channel from the gateway's cache; null when it is not cached. */
function cachedPermissions(
  client: Client | null,
  channelId: string,
): ReadonlySet<NeededPermission> | null {
  const channel = client?.channels.cache.get(channelId);
  const me = client?.user;
  if (!channel || !me || !("permissionsFor" in channel)) return null;
  const permissions = channel.permissionsFor(me);
  if (!permissions) return null;
  return new Set(NEEDED_PERMISSIONS.filter((name) => permissions.has(PermissionFlagsBits[name])));
}

function databaseWritable(core: Core): boolean {
  try {
    core.db.exec("BEGIN IMMEDIATE; ROLLBACK;");
    return true;
  } catch {
    return false;
  }
}
