import { join } from "node:path";
import type { Store } from "../../src/delivery/store.js";
import { openDatabase } from "../../src/storage/database.js";
import { openPostgresStore } from "../../src/storage/postgres-connect.js";
import { SqliteStore } from "../../src/storage/sqlite-store.js";
import { postgresBinDir, startThrowawayCluster, type ThrowawayCluster } from "./postgres.js";

/** A database Paperboy can keep its state in, for tests that run on each. */
export interface StoreBackend {
  name: "SQLite" | "PostgreSQL";
  /** False when this machine cannot run it (no PostgreSQL binaries): its tests are skipped. */
  available: boolean;
  /** A DATABASE_URL naming a new, empty database (a file in `dir`, or a new PostgreSQL database). */
  databaseUrl(dir: string): Promise<string>;
  /** The store in that database, as another process would open it. */
  open(url: string): Promise<{ store: Store; close(): Promise<void> }>;
  /** Stops what the backend started (a PostgreSQL server); call it in `afterAll`. */
  stop(): Promise<void>;
}

export const sqliteBackend: StoreBackend = {
  name: "SQLite",
  available: true,
  databaseUrl: async (dir) => join(dir, "state.db"),
  open: async (path) => {
    const db = openDatabase(path);
    return {
      store: new SqliteStore(db),
      close: async () => {
        db.close();
      },
    };
  },
  stop: async () => {},
};

/** A throwaway PostgreSQL server, started on first use; a new database per `databaseUrl`. */
export function postgresBackend(): StoreBackend {
  let cluster: Promise<ThrowawayCluster> | null = null;
  let databases = 0;
  return {
    name: "PostgreSQL",
    available: postgresBinDir() !== null,
    databaseUrl: async () => {
      cluster ??= startThrowawayCluster();
      databases += 1;
      return (await cluster).database(`paperboy_${process.pid}_${databases}`);
    },
    open: async (url) => {
      const connection = await openPostgresStore({ url, poolSize: 4, statementTimeoutMs: 30_000 });
      return { store: connection.store, close: connection.close };
    },
    stop: async () => {
      if (cluster) (await cluster).stop();
      cluster = null;
    },
  };
}
