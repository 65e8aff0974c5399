import { REST } from "discord.js";
import { Archive } from "../archive/archive.js";
import { SqliteDigestCache } from "../archive/cache.js";
import type { Config } from "../config.js";
import type { DeliveryObserver } from "../delivery/observer.js";
import { RestSender } from "../delivery/rest-sender.js";
import { DeliveryRunner, type RetryPolicy } from "../delivery/runner.js";
import { DISCORD_SEND_LIMITS, SendQueue } from "../delivery/send-queue.js";
import { DeliveryService, type DigestSource } from "../delivery/service.js";
import type { Logger } from "../logger.js";
import { openDatabase, type SqliteDatabase } from "../storage/database.js";
import { SqliteStore } from "../storage/sqlite-store.js";

/** The parts shared by the bot and the REST-only command line. */
export interface Core {
  db: SqliteDatabase;
  store: SqliteStore;
  archive: Archive;
  digests: DigestSource;
  rest: REST;
  queue: SendQueue;
  service: DeliveryService;
}

/** Builds storage, the archive and the delivery pipeline over a REST client (no gateway). */
export async function buildCore(
  config: Config,
  logger: Logger,
  botUserId: () => string | null = () => null,
  options: { retry?: RetryPolicy; observer?: DeliveryObserver } = {},
): Promise<Core> {
  const db = openDatabase(config.databasePath);
  const store = new SqliteStore(db);
  const archive = new Archive({
    dir: config.digestsDir,
    cache: new SqliteDigestCache(db),
    logger: logger.child({ subsystem: "archive" }),
  });
  await archive.load();
  const digests: DigestSource = {
    newest: () => archive.newest(),
    byDate: (date) => archive.catalog().digest(date),
  };
  const rest = new REST({
    version: "10",
    ...(config.discordApiUrl ? { api: config.discordApiUrl } : {}),
  });
  if (config.discordToken) rest.setToken(config.discordToken);
  const queue = new SendQueue(
    { ...DISCORD_SEND_LIMITS, globalPerSecond: config.sendRatePerSecond },
    Date.now,
    () => options.observer?.queueWaited(),
  );
  const sender = new RestSender(rest, botUserId);
  const deliveryLog = logger.child({ subsystem: "delivery" });
  const runner = new DeliveryRunner({
    store,
    sender,
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
  });
  return { db, store, archive, digests, rest, queue, service };
}
