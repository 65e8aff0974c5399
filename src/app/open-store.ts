import { type DigestCache, SqliteDigestCache } from "../archive/cache.js";
import type { StoredDigestSource } from "../archive/database-feed.js";
import type { Config } from "../config.js";
import type { Store } from "../delivery/store.js";
import type { Logger } from "../logger.js";
import type { SqliteDatabase } from "../storage/database.js";
import { DatabaseHealth } from "../storage/db-health.js";
import type { PostgresConnection } from "../storage/postgres-connect.js";
import { SqliteStore } from "../storage/sqlite-store.js";
import { watchedStore } from "../storage/watched-store.js";
import { openCheckedDatabase, StartupError } from "./preflight.js";

/** The store a process works with, whichever database holds it. */
export interface OpenedStore {
  store: Store;
  /** Whether the database can be written, from a probe and from every store call's errors. */
  databaseHealth: DatabaseHealth;
  /**
   * Where parse results are remembered across restarts: the SQLite file, or PostgreSQL's stored
   * digests, which other processes serve from (`storedDigests`).
   */
  cache: DigestCache | undefined;
  /** The digests processes store in PostgreSQL, for a process without the folder; null on SQLite. */
  storedDigests: StoredDigestSource | null;
  /** The SQLite file when that is the store; null on PostgreSQL. */
  db: SqliteDatabase | null;
  /** Which database, for logs: the SQLite path, or the PostgreSQL URL without its password. */
  where: string;
  close(): Promise<void>;
}

/**
 * Opens the database `DATABASE_URL` names and proves it usable before anything else starts; a
 * failure is one `StartupError` line naming DATABASE_URL (its password hidden) and the fix.
 */
export async function openStore(config: Config, logger: Logger): Promise<OpenedStore> {
  const healthLog = logger.child({ subsystem: "database" });
  if (config.postgres) {
    // Loaded only here: a SQLite deployment never loads the PostgreSQL client.
    const { openPostgresStore, redactUrl } = await import("../storage/postgres-connect.js");
    const { PostgresProbe } = await import("../storage/postgres-probe.js");
    const digests = await import("../storage/postgres-digests.js");
    const { url } = config.postgres;
    const shown = redactUrl(url);
    let connection: PostgresConnection;
    try {
      connection = await openPostgresStore(config.postgres);
    } catch (error) {
      const message = (error as Error).message ?? String(error);
      if (/newer than this Paperboy/.test(message))
        throw new StartupError(
          "DATABASE_URL",
          shown,
          message,
          "Run the Paperboy version that migrated it (or a newer one), or point DATABASE_URL at another database",
        );
      // The message is already free of the password (openPostgresStore scrubs it).
      throw new StartupError(
        "DATABASE_URL",
        shown,
        message.replace(
          /^cannot connect to the PostgreSQL database in DATABASE_URL \([^)]*\): /,
          "cannot connect: ",
        ),
        "Check that the server runs and accepts connections from here, and the user, password and database name in DATABASE_URL",
      );
    }
    const databaseHealth = new DatabaseHealth(new PostgresProbe(connection.pool), healthLog);
    const { pool } = connection;
    // A process without the folder only reads what others stored: it has nothing to cache.
    let cache: Awaited<ReturnType<typeof digests.PostgresDigestCache.load>> | undefined;
    try {
      if (config.digestsSource === "folder")
        cache = await digests.PostgresDigestCache.load(
          pool,
          logger.child({ subsystem: "archive" }),
        );
    } catch (error) {
      await connection.close();
      throw new StartupError(
        "DATABASE_URL",
        shown,
        `cannot read the stored digests (${(error as Error).message})`,
        "Check that this user may read and write the digests table",
      );
    }
    return {
      store: watchedStore(connection.store, (error) => databaseHealth.report(error)),
      databaseHealth,
      cache,
      storedDigests: {
        versions: () => digests.storedDigestVersions(pool),
        read: (paths) => digests.storedDigests(pool, paths),
      },
      db: null,
      where: shown,
      close: async () => {
        // What was parsed last reaches the other processes before the connections go.
        await cache?.flush();
        cache?.close();
        await connection.close();
      },
    };
  }
  const db = openCheckedDatabase(config.databasePath);
  const databaseHealth = new DatabaseHealth(db, healthLog);
  return {
    store: watchedStore(new SqliteStore(db), (error) => databaseHealth.report(error)),
    databaseHealth,
    cache: new SqliteDigestCache(db),
    storedDigests: null,
    db,
    where: config.databasePath,
    close: async () => {
      if (db.open) db.close();
    },
  };
}
