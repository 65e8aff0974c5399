import { DefaultRestOptions, REST } from "discord.js";
import { Alerts } from "../alerts/alerts.js";
import { Archive } from "../archive/archive.js";
import { DatabaseDigestFeed } from "../archive/database-feed.js";
import type { DigestParser } from "../archive/parse-pool.js";
import type { Config } from "../config.js";
import type { PermissionChecker } from "../delivery/channel-health.js";
import { fencedRequests, fencedSender } from "../delivery/fenced-sender.js";
import type { DeliveryObserver } from "../delivery/observer.js";
import { followRateLimits } from "../delivery/rate-feedback.js";
import { RestSender } from "../delivery/rest-sender.js";
import { DeliveryRunner, type RetryPolicy } from "../delivery/runner.js";
import { DISCORD_SEND_LIMITS, SendQueue } from "../delivery/send-queue.js";
import { DeliveryService, type DigestSource } from "../delivery/service.js";
import { DEFAULT_REST_TIMEOUT_MS, SETTLE_TIMEOUTS } from "../delivery/step.js";
import type { Store } from "../delivery/store.js";
import type { Logger } from "../logger.js";
import type { SqliteDatabase } from "../storage/database.js";
import type { DatabaseHealth } from "../storage/db-health.js";
import { openStore } from "./open-store.js";

/** The parts shared by the bot and the REST-only command line. */
export interface Core {
  /** The SQLite file when that holds the state; null on PostgreSQL. */
  db: SqliteDatabase | null;
  store: Store;
  /** Closes the database (the SQLite file, or the PostgreSQL pool). */
  closeStore(): Promise<void>;
  /** Follows the digests folder (or the digests stored in the database) for new and changed ones. */
  watchDigests(): void;
  /** Whether the database can be written, from a probe and from every store call's errors. */
  databaseHealth: DatabaseHealth;
  archive: Archive;
  digests: DigestSource;
  rest: REST;
  queue: SendQueue;
  runner: DeliveryRunner;
  service: DeliveryService;
  /** Readers' alerts: digests' arrivals, and matching them against what readers follow. */
  alerts: Alerts;
  /** Settles once every digest file is read (at once unless `loadInBackground`); never rejects. */
  archiveLoaded: Promise<void>;
}

/** Builds storage, the archive and the delivery pipeline over a REST client (no gateway). */
export async function buildCore(
  config: Config,
  logger: Logger,
  botUserId: () => string | null = () => null,
  options: {
    retry?: RetryPolicy;
    observer?: DeliveryObserver;
    /** The deliverer lease's check: without it (the command line) every send may go. */
    canSend?: () => boolean;
    /** The bot's channel permissions from the gateway's cache (the bot; not the command line). */
    permissions?: PermissionChecker;
    /** The REST client's request timeout (default 15 s, as @discordjs/rest's). */
    restTimeoutMs?: number;
    /** Read the digests folder after returning (the bot, which connects meanwhile). */
    loadInBackground?: boolean;
    /** Where digest files are parsed; by default worker threads. */
    parser?: DigestParser;
    /** Record deliveries for workers instead of sending them (see `ServiceDeps.recordOnly`). */
    recordOnly?: boolean;
    /** Read no digests (a worker sends what the ledger holds, and needs none). */
    withoutDigests?: boolean;
  } = {},
): Promise<Core> {
  // Checked before anything else: a bad DATABASE_URL is one line naming it, the path and the fix.
  const opened = await openStore(config, logger);
  const { db, store, databaseHealth } = opened;
  const archive = new Archive({
    dir: config.digestsDir,
    ...(opened.cache ? { cache: opened.cache } : {}),
    logger: logger.child({ subsystem: "archive" }),
    ...(options.parser ? { parser: options.parser } : {}),
  });
  // Without the folder, the digests other processes stored in PostgreSQL are served instead.
  const feed =
    config.digestsSource === "database" && opened.storedDigests
      ? new DatabaseDigestFeed(
          archive,
          opened.storedDigests,
          logger.child({ subsystem: "archive" }),
          config.digestsPollMs,
        )
      : null;
  const read = options.withoutDigests ? Promise.resolve() : feed ? feed.load() : archive.load();
  const loading = read.then(
    () => {},
    (error: unknown) => {
      archive.close();
      feed?.close();
      throw error;
    },
  );
  if (!options.loadInBackground) {
    try {
      await loading;
    } catch (error) {
      await opened.close();
      throw error;
    }
  }
  const archiveLoaded = loading.catch((error: unknown) => {
    logger.error({ err: error, dir: config.digestsDir }, "could not read the digests folder");
  });
  const digests: DigestSource = {
    newest: () => archive.newest(),
    byDate: (date) => archive.catalog().digest(date),
    dates: () => archive.catalog().dates(),
  };
  // Behind the REST proxy, the proxy's queue keeps the token's global limit for every process;
  // this one keeps its channels' pacing (and its fairness among them) alone.
  const behindProxy = config.restApiUrl !== config.discordApiUrl;
  const restOptions = {
    version: "10",
    timeout: options.restTimeoutMs ?? DEFAULT_REST_TIMEOUT_MS,
    // The REST client's own global limit (50 by default) follows a bot granted a higher one.
    // Behind the proxy it is the proxy's alone: a second count here, in fixed one-second windows,
    // would stop this process for up to a second whenever the proxy's grants bunch up.
    globalRequestsPerSecond: behindProxy ? Number.POSITIVE_INFINITY : config.sendRatePerSecond,
    ...(config.restApiUrl ? { api: config.restApiUrl } : {}),
    // A fenced send's requests are checked again as they leave, retries and rate-limit waits included.
    makeRequest: fencedRequests(DefaultRestOptions.makeRequest),
  };
  const rest = new REST(restOptions);
  // Forum posts carry no nonce: their client never resends blindly (see RestSender).
  const once = new REST({ ...restOptions, retries: 0 });
  if (config.discordToken) {
    rest.setToken(config.discordToken);
    once.setToken(config.discordToken);
  }
  const queue = new SendQueue(
    {
      ...DISCORD_SEND_LIMITS,
      globalPerSecond: behindProxy ? Number.POSITIVE_INFINITY : config.sendRatePerSecond,
    },
    Date.now,
    () => options.observer?.queueWaited(),
  );
  followRateLimits(rest, queue);
  followRateLimits(once, queue);
  const sender = new RestSender(rest, botUserId, once);
  const deliveryLog = logger.child({ subsystem: "delivery" });
  const { canSend } = options;
  const runner = new DeliveryRunner({
    store,
    sender: canSend ? fencedSender(sender, canSend) : sender,
    reader: sender,
    ...(options.permissions ? { permissions: options.permissions } : {}),
    ...(canSend ? { canSend } : {}),
    settleMs: restOptions.timeout * SETTLE_TIMEOUTS,
    queue,
    logger: deliveryLog,
    ...(options.retry ? { retry: options.retry } : {}),
    ...(options.observer ? { observer: options.observer } : {}),
  });
  const service = new DeliveryService({
    store,
    digests,
    runner,
    sender,
    logger: deliveryLog,
    defaults: config.defaults,
    catchUpDays: config.catchUpDays,
    retryBackoff: config.deliveryRetry,
    ...(options.recordOnly ? { recordOnly: true } : {}),
  });
  return {
    db,
    store,
    closeStore: async () => {
      feed?.close();
      await opened.close();
    },
    watchDigests: () => (feed ? feed.watch() : archive.watch()),
    databaseHealth,
    archive,
    digests,
    rest,
    queue,
    runner,
    service,
    alerts: new Alerts({
      store,
      digests,
      logger: logger.child({ subsystem: "alerts" }),
      run: (delivery) => service.run(delivery),
      catchUpDays: config.catchUpDays,
    }),
    archiveLoaded,
  };
}

/**
 * Records digests' arrival for readers' alerts; never throws (a database error is logged, and the
 * digest is recorded when it is seen again, at the latest on the next start).
 */
export async function noteArrivals(
  core: Pick<Core, "alerts">,
  dates: readonly string[],
  logger: Logger,
): Promise<void> {
  try {
    await core.alerts.noteArrivals(dates);
  } catch (error) {
    logger.warn({ err: error, digests: dates.length }, "could not record digests' arrival");
  }
}

/**
 * What the process that delivers does when a digest appears or changes: the channels' pass
 * (papers added go out as updates; new digests too with `postOnArrival`), then, once the
 * arrival is recorded, readers' alerts, so they come after the channels' deliveries. Never throws.
 */
export async function digestArrived(
  core: Pick<Core, "service" | "alerts">,
  date: string,
  arrivalNoted: Promise<void>,
  postOnArrival: boolean,
): Promise<void> {
  await core.service.digestChanged(date, postOnArrival);
  await arrivalNoted;
  await core.alerts.matchPending();
}
