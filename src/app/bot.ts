import { type Client, RESTEvents, Status } from "discord.js";
import { digestSyncFor } from "../archive/digest-sync.js";
import type { DigestParser } from "../archive/parse-pool.js";
import type { ProcessState } from "../commands/command.js";
import { commandContext } from "../commands/context.js";
import { Dispatcher } from "../commands/dispatcher.js";
import { loadCommands } from "../commands/loader.js";
import type { Config } from "../config.js";
import { DeliveryLease } from "../delivery/lease.js";
import type { RetryPolicy } from "../delivery/runner.js";
import { Scheduler } from "../delivery/scheduler.js";
import type { Logger } from "../logger.js";
import { GatewayHealth } from "../ops/gateway-health.js";
import type { DatabasePart, HealthSnapshot } from "../ops/health.js";
import { startOpsServer } from "../ops/http.js";
import { ledgerMetricSources, Metrics } from "../ops/metrics.js";
import { COMMANDS_DIR } from "../paths.js";
import type { DatabaseHealth } from "../storage/db-health.js";
import { cachedPermissions, gatewayClient, gatewayRefusal, loginFailure } from "./gateway.js";
import { GuildHydrator, withoutGateway } from "./gatewayless.js";
import { HttpInteractions } from "./http-interactions.js";
import { inviteUrl, userInstallUrl } from "./invite.js";
import { checkDigestsDir, listenError } from "./preflight.js";
import { buildCore, type Core, digestArrived, noteArrivals } from "./wiring.js";

/** The folder of slash command files. */

/** How long a stop waits for deliveries in flight before it leaves them to the ledger. */
const DRAIN_MS = 7_000;
/** How long the gateway may be away (reconnecting) before `/healthz` says so. */
const GATEWAY_GRACE_MS = 60_000;

/** A running bot: gateway client, archive watcher, scheduler and (optionally) the ops endpoint. */
export interface RunningBot {
  core: Core;
  client: Client;
  scheduler: Scheduler;
  /** The deliverer lease: only its holder delivers from the database (null: the `gateway` role). */
  lease: DeliveryLease | null;
  metrics: Metrics;
  /** The /healthz and /metrics port, when HTTP_PORT is set. */
  httpPort: number | null;
  /** The port interactions are POSTed to, when INTERACTIONS_HTTP_PORT is set. */
  interactionsPort: number | null;
  /** What /healthz reports now. */
  health(): HealthSnapshot;
  stop(): Promise<void>;
}

/**
 * Starts the bot. Everything that can be checked is checked before logging in (the ops port, the
 * digests folder, the database), each failure a `StartupError` naming its setting; `/healthz`
 * answers "starting" from the first second. Then the gateway connects while the digests folder
 * is read: the command handler is in place before it connects, and an interaction that comes
 * before the archive is ready is acknowledged and answered once it is. Deliveries start once
 * both are done, every server's at once; the returned promise settles then.
 */
export async function startBot(
  config: Config,
  logger: Logger,
  options: { retry?: RetryPolicy; parser?: DigestParser } = {},
): Promise<RunningBot> {
  const token = config.discordToken as string;
  // The `gateway` role records deliveries (a `/repost`) for the workers, and never sends them.
  const deliversHere = config.role === "all";
  const gatewayless = config.shards.count === "none";
  const startedAt = new Date().toISOString();
  let botUserId: string | null = null;
  let ready = false;
  let core: Core | null = null;
  let lease: DeliveryLease | null = null;
  let databaseHealth: DatabaseHealth | null = null;
  const gatewayHealth = new GatewayHealth();
  // A process that reads the folder keeps it fed from the repository, when one is configured.
  const digestSync = digestSyncFor(config, logger);
  const health = (): HealthSnapshot => ({
    starting: !ready,
    database: databaseHealth?.check() ?? notOpenYet(startedAt),
    gateway: gatewayHealth.part(),
    role: lease?.role ?? (deliversHere ? "standby" : "gateway"),
    ...(digestSync ? { digestSync: digestSync.state() } : {}),
  });
  let client: Client | null = null;
  const metrics = new Metrics({
    ...(deliversHere ? { leaseHeld: () => lease?.role === "deliverer" } : {}),
    shards: () => shardStates(client),
    ...ledgerMetricSources(() => core?.store ?? null),
    archive: () => ({
      digests: core?.archive.catalog().dates().length ?? 0,
      papers: core?.archive.catalog().paperCount ?? 0,
    }),
  });
  const ops =
    config.httpPort === undefined
      ? null
      : await startOpsServer(config.httpPort, config.httpHost, {
          health,
          gatewayGraceMs: GATEWAY_GRACE_MS,
          metrics: async () => ({
            contentType: metrics.registry.contentType,
            body: await metrics.registry.metrics(),
          }),
        }).catch((error: unknown) => {
          throw listenError("HTTP_PORT", config.httpHost, config.httpPort as number, error);
        });
  if (ops) logger.info({ port: ops.port }, "serving /healthz and /metrics");
  try {
    if (config.digestsSource === "folder")
      checkDigestsDir(config.digestsDir, config.digestSync !== null);
    core = await buildCore(config, logger, () => botUserId, {
      ...options,
      observer: metrics,
      canSend: () => lease?.canSend() ?? false,
      permissions: {
        granted: (channelId) => (client ? cachedPermissions(client, channelId) : null),
      },
      // The gateway connects while the folder is read: what comes in meanwhile is deferred.
      loadInBackground: true,
      recordOnly: !deliversHere,
    });
  } catch (error) {
    await ops?.close();
    throw error;
  }
  const built = core;
  databaseHealth = built.databaseHealth;
  const overHttp = config.interactionsHttp
    ? new HttpInteractions(config.interactionsHttp.publicKey, logger.child({ subsystem: "http" }))
    : null;
  client = gatewayClient(config, gatewayHealth, overHttp?.makeRequest);
  const gateway = client;
  for (const rest of [gateway.rest, built.rest])
    rest.on(RESTEvents.RateLimited, () => metrics.discordRateLimited());

  const scheduler = new Scheduler(
    built.store,
    built.service,
    logger.child({ subsystem: "scheduler" }),
    { catchUp: config.catchUp },
  );
  // The `scheduler` processes schedule; this one only answers commands.
  if (!deliversHere) scheduler.stop();
  const commandLog = logger.child({ subsystem: "commands" });
  // Interactions being answered; the search index's rebuild waits between its slices for them.
  let answering = 0;
  const context = commandContext({
    answering: () => answering > 0,
    ...(digestSync ? { digestSync: () => digestSync.state() } : {}),
    archive: built.archive,
    store: built.store,
    service: built.service,
    scheduler,
    config,
    logger: commandLog,
    ping: () => gateway.ws.ping,
    health,
    processState: async () => ({
      role: config.role,
      delivering: lease?.role === "deliverer",
      leaseToken: lease?.token ?? null,
      shards: shardStates(gateway),
      restProxy:
        config.restApiUrl && config.restApiUrl !== config.discordApiUrl
          ? new URL(config.restApiUrl).host
          : null,
      pendingDeliveries: (await built.store.unfinishedDeliveries()).length,
      claims: await built.store.claimCounts(),
      rateLimitWaits: await metrics.rateLimitWaits(),
    }),
  });
  let archiveReady = false;
  // Once the folder is read: the search index over it, then watching it for changes.
  // Never rejects: a failed index build is logged, and the first lookup builds it again.
  const archiveWhenReady = built.archiveLoaded
    .then(() => context.refreshIndex())
    .catch((error: unknown) => logger.error({ err: error }, "could not build the search index"))
    // Before any command is answered: a follow made from now on alerts only for later digests.
    .then(() => noteArrivals(built, built.archive.catalog().dates(), logger))
    .then(() => {
      built.watchDigests();
      archiveReady = true;
      logger.info({ papers: built.archive.catalog().paperCount }, "digest archive ready");
    });
  const dispatcher = new Dispatcher(
    await loadCommands(COMMANDS_DIR),
    context,
    commandLog,
    (command, kind, seconds) => metrics.commandSeconds.observe({ command, kind }, seconds),
    { isReady: () => archiveReady, ready: archiveWhenReady },
  );
  let accepting = true;
  // In place before logging in: an interaction in the first second after connecting is answered.
  // Discord sends a server's interactions to every session of the shard that holds the server.
  // Processes that each run every shard all get it: the deliverer answers (and `/repost`
  // delivers there), a standby staying silent avoids a racing second reply. A process running
  // some of the shards is the only one to get its servers' interactions, and answers them.
  // A `gateway` process answers every interaction its shards receive.
  const ownShards = !deliversHere || ("ids" in config.shards && config.shards.ids !== undefined);
  gateway.on("interactionCreate", (interaction) => {
    // One that came over HTTP is this process's alone to answer.
    const mine = ownShards || lease?.role === "deliverer" || overHttp?.owns(interaction) === true;
    if (!accepting || !mine) return;
    answering++;
    void dispatcher.handle(interaction).finally(() => answering--);
  });
  built.archive.onDigest(() => setImmediate(() => context.refreshIndex()));
  digestSync?.start();
  // A changed digest sends its added papers as updates at once; new digests only on arrival.
  // Arrivals a standby saw: the deliverer may have died before recording their deliveries, so
  // a takeover brings every channel up to date with them (exactly once: the ledger decides).
  const arrivedWhileStandingBy = new Set<string>();
  built.archive.onDigest((date) => {
    const arrived = noteArrivals(built, [date], logger);
    if (lease?.canSend()) void digestArrived(built, date, arrived, config.postOnArrival);
    else arrivedWhileStandingBy.add(date);
  });
  let connected = false;
  // Only the lease holder schedules, catches up and resumes; a standby starts all that on takeover.
  // Deliveries start once connected, when the gateway's cache can tell the bot's permissions.
  const startDelivering = () => {
    if (!(connected && archiveReady && lease?.role === "deliverer")) return;
    void scheduler.start();
    for (const date of arrivedWhileStandingBy) {
      arrivedWhileStandingBy.delete(date);
      void built.service.digestChanged(date, config.postOnArrival);
    }
    // Digests that arrived while no one delivered (or whose matching a crash cut short).
    built.alerts.start();
  };
  const deliveryLease = deliversHere
    ? new DeliveryLease({
        store: built.store,
        logger: logger.child({ subsystem: "lease" }),
        ttlMs: config.deliveryLeaseMs,
        onAcquired: () => startDelivering(),
        onLost: () => {
          scheduler.stop();
          built.alerts.stop();
        },
      })
    : null;
  lease = deliveryLease;
  const stop = async () => {
    // Take no new work, let deliveries in flight finish (the ledger keeps the rest), then close.
    accepting = false;
    ready = false;
    deliveryLease?.retire();
    scheduler.stop();
    built.alerts.stop();
    digestSync?.stop();
    built.archive.close();
    const drained = await built.service.idle(DRAIN_MS);
    if (!drained)
      logger.warn(
        "stopping with deliveries in flight; they resume from the ledger on the next start",
      );
    // Released only after the drain, so the standby does not resume what is still being sent.
    await deliveryLease?.release();
    await ops?.close();
    await overHttp?.close();
    await gateway.destroy();
    await built.closeStore();
  };
  await deliveryLease?.start();
  try {
    // A refusal the client will not retry (too many servers on a shard, say) ends the start-up.
    const whenConnected = new Promise<void>((resolve, reject) => {
      gateway.once("clientReady", () => resolve());
      gateway.on("shardDisconnect", (event, shardId) => {
        const refusal = gatewayRefusal(config, event.code, shardId);
        if (!refusal) return;
        if (connected) logger.error({ shardId, code: event.code }, refusal.message);
        else reject(refusal);
      });
    });
    if (gatewayless) {
      // Commands over HTTP only: no session, the servers read over REST as their commands come.
      await withoutGateway(gateway, token);
      gatewayHealth.connected();
    } else {
      await gateway.login(token);
      await whenConnected;
    }
  } catch (error) {
    await stop();
    throw loginFailure(config, error);
  }
  botUserId = gateway.user?.id ?? null;
  connected = true;
  let interactionsPort: number | null = null;
  if (overHttp && config.interactionsHttp) {
    const { port } = config.interactionsHttp;
    const hydrator = gatewayless
      ? new GuildHydrator(gateway, logger.child({ subsystem: "http" }))
      : null;
    const prepare = hydrator
      ? (guildId: string | undefined) => hydrator.ensure(guildId)
      : undefined;
    const listening = await overHttp
      .listen(port, config.httpHost, gateway, prepare)
      .catch(async (error) => {
        await stop();
        throw listenError("INTERACTIONS_HTTP_PORT", config.httpHost, port, error);
      });
    logger.info({ port: listening }, "answering interactions over HTTP");
    interactionsPort = listening;
  }
  logger.info(
    { user: gateway.user?.tag, guilds: gateway.guilds.cache.size },
    "connected to Discord",
  );
  if ((await built.store.subscriptions()).length === 0 && botUserId) {
    const applicationId = config.applicationId ?? botUserId;
    logger.info(
      { invite: inviteUrl(applicationId), forYourself: userInstallUrl(applicationId) },
      "no channel is subscribed yet: add the bot to a server (invite), then use /config channel add; readers may add it for themselves (forYourself) to use its reader commands anywhere",
    );
  }
  await archiveWhenReady;
  startDelivering();
  ready = true;

  return {
    core: built,
    client: gateway,
    scheduler,
    lease: deliveryLease,
    metrics,
    httpPort: ops?.port ?? null,
    interactionsPort,
    health,
    stop,
  };
}

/** Each gateway shard of this process: ready or not, and its heartbeat ping (-1 before one). */
function shardStates(client: Client | null): ProcessState["shards"] {
  if (!client) return [];
  return [...client.ws.shards.values()].map((shard) => ({
    id: shard.id,
    ready: shard.status === Status.Ready,
    pingMs: shard.ping,
  }));
}

function notOpenYet(since: string): DatabasePart {
  return { state: "ok", message: "not opened yet", since };
}
