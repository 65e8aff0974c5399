import { join } from "node:path";
import Database from "better-sqlite3";
import pg from "pg";
import { afterAll, afterEach, beforeAll, describe, expect, test } from "vitest";
import type { DeliveryPlan } from "../../src/delivery/model.js";
import { isDatabaseError, type Store } from "../../src/delivery/store.js";
import { openDatabase } from "../../src/storage/database.js";
import { MIGRATIONS } from "../../src/storage/migrations.js";
import { openPostgresStore, type PostgresConnection } from "../../src/storage/postgres-connect.js";
import { migratePostgres, PG_MIGRATIONS } from "../../src/storage/postgres-schema.js";
import { SqliteStore, stepNonce } from "../../src/storage/sqlite-store.js";
import { postgresBackend } from "../support/backends.js";
import { tempDir } from "../support/paths.js";
import { POSTGRES_SKIP_LINE, postgresBinDir, REQUIRE_POSTGRES } from "../support/postgres.js";
import { type OpenStores, storeContract } from "./store-contract.js";

const postgresAvailable = postgresBinDir() !== null;

// One cluster for the whole file, started by the first suite that needs it; a database per test.
const postgres = postgresBackend();
afterAll(() => postgres.stop());
const freshDatabase = (): Promise<string> => postgres.databaseUrl("");

/** What a test opened, closed after it. */
const opened: { close(): unknown }[] = [];
afterEach(async () => {
  for (const handle of opened.splice(0)) await handle.close();
});

const openSqlite: OpenStores = async () => {
  const path = join(tempDir(), "store.db");
  const [a, b] = [openDatabase(path), openDatabase(path)];
  opened.push(a, b);
  return [new SqliteStore(a), new SqliteStore(b)];
};

/** Connects to `url` as Paperboy does, closed after the test. */
async function connect(url: string, statementTimeoutMs = 10_000): Promise<PostgresConnection> {
  const connection = await openPostgresStore({ url, poolSize: 4, statementTimeoutMs });
  opened.push(connection);
  return connection;
}

// Both "processes" start at once, so each test also migrates one database twice concurrently.
const openPostgres: OpenStores = async () => {
  const url = await freshDatabase();
  const [a, b] = await Promise.all([connect(url), connect(url)]);
  return [a.store, b.store] as [Store, Store];
};

const PLAN: DeliveryPlan = {
  channelId: "123456789012345678",
  guildId: null,
  digestDate: "2024-02-20",
  kind: "scheduled",
  mode: "embeds",
  language: "ko",
  steps: [
    { role: "header", payload: { content: "h", embeds: [], allowed_mentions: { parse: [] } } },
  ],
};

async function waitFor(condition: () => boolean | Promise<boolean>): Promise<void> {
  for (let i = 0; i < 100 && !(await condition()); i++) {
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

test("PostgreSQL binaries are present when CI requires them", () => {
  if (!postgresAvailable) console.log(POSTGRES_SKIP_LINE);
  if (REQUIRE_POSTGRES) expect(postgresAvailable, POSTGRES_SKIP_LINE).toBe(true);
});

const backends = [
  { name: "SQLite file", open: openSqlite, available: true },
  { name: "PostgreSQL", open: openPostgres, available: postgresAvailable },
];

for (const backend of backends) {
  describe.skipIf(!backend.available)(`the store contract on ${backend.name}`, () => {
    if (backend.name === "PostgreSQL") beforeAll(() => postgres.databaseUrl(""), 120_000);
    storeContract(backend.open);
  });
}

test("nonces are deterministic, at most 25 characters, and differ by channel, delivery and step", () => {
  expect(stepNonce("1", "2024-02-20", 1, 0)).toBe(stepNonce("1", "2024-02-20", 1, 0));
  expect(stepNonce("123456789012345678", "2024-02-20", 99999, 99).length).toBeLessThanOrEqual(25);
  const all = new Set([
    stepNonce("1", "d", 1, 0),
    stepNonce("2", "d", 1, 0),
    stepNonce("1", "e", 1, 0),
    stepNonce("1", "d", 2, 0),
    stepNonce("1", "d", 1, 1),
  ]);
  expect(all.size).toBe(5);
});

describe("the SQLite schema", () => {
  test("upgrades a file written by the first schema and keeps its rows", async () => {
    const path = join(tempDir(), "old.db");
    const raw = new Database(path);
    raw.exec(MIGRATIONS[0] as string);
    raw.pragma("user_version = 1");
    raw
      .prepare(
        "INSERT INTO digest_cache (path, content_hash, parser_version, result_json) VALUES ('a.md', 'h', 1, '{}')",
      )
      .run();
    raw.close();
    const db = openDatabase(path);
    opened.push(db);
    expect(db.pragma("user_version", { simple: true })).toBe(MIGRATIONS.length);
    expect(db.prepare("SELECT count(*) AS n FROM digest_cache").get()).toEqual({ n: 1 });
    expect(await new SqliteStore(db).subscriptions()).toEqual([]);
  });
});

describe.skipIf(!postgresAvailable)("the PostgreSQL schema and connection", () => {
  beforeAll(() => postgres.databaseUrl(""), 120_000);

  /** A pool of its own (not Paperboy's options), ended after the test. */
  const rawPool = (url: string) => {
    const pool = new pg.Pool({ connectionString: url, max: 2 });
    opened.push({ close: () => pool.end() });
    return pool;
  };

  test("processes migrating one database at once make one schema, at the newest version", async () => {
    const url = await freshDatabase();
    const pools = Array.from({ length: 4 }, () => rawPool(url));
    const versions = await Promise.all(pools.map((pool) => migratePostgres(pool)));
    expect(versions).toEqual(pools.map(() => PG_MIGRATIONS.length));
    const pool = pools[0] as pg.Pool;
    const { rows } = await pool.query("SELECT version FROM schema_version");
    expect(rows).toEqual([{ version: PG_MIGRATIONS.length }]);
    const tables = await pool.query<{ name: string }>(
      "SELECT table_name AS name FROM information_schema.tables WHERE table_schema = 'public' ORDER BY 1",
    );
    expect(tables.rows.map((t) => t.name)).toEqual([
      "alert_digests",
      "deliveries",
      "delivery_steps",
      "digests",
      "follows",
      "guild_settings",
      "health_probe",
      "leases",
      "readers",
      "schema_version",
      "subscriptions",
    ]);
    expect(await migratePostgres(pool)).toBe(PG_MIGRATIONS.length);
  });

  test("a database migrated by a newer Paperboy is refused with one line saying so", async () => {
    const url = await freshDatabase();
    const pool = rawPool(url);
    await migratePostgres(pool);
    await pool.query("UPDATE schema_version SET version = version + 1");
    const expected = `database schema version ${PG_MIGRATIONS.length + 1} is newer than this Paperboy (${PG_MIGRATIONS.length}); upgrade Paperboy`;
    await expect(migratePostgres(pool)).rejects.toThrow(new Error(expected));
    await expect(connect(url)).rejects.toThrow(new Error(expected));
    expect((await pool.query("SELECT version FROM schema_version")).rows).toHaveLength(1);
  });

  test("a role that may use the tables but not create any opens a migrated database", async () => {
    const url = await freshDatabase();
    const owner = rawPool(url);
    await migratePostgres(owner);
    await owner.query(`CREATE ROLE paperboy_app LOGIN;
      REVOKE CREATE ON SCHEMA public FROM PUBLIC;
      GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO paperboy_app`);
    const { store } = await connect(url.replace("//paperboy@", "//paperboy_app@"));
    expect(await store.createDelivery(PLAN)).toMatchObject({ status: "pending" });
  });

  test("connects with the pool size, statement timeout and application name asked for", async () => {
    const connection = await connect(await freshDatabase(), 200);
    const { pool } = connection;
    expect(pool.options.max).toBe(4);
    const { rows } = await pool.query("SELECT current_setting('application_name') AS name");
    expect(rows[0]?.name).toBe("paperboy");
    const timedOut = await pool.query("SELECT pg_sleep(2)").catch((error: unknown) => error);
    expect(timedOut).toMatchObject({ code: "57014" });
    expect(isDatabaseError(timedOut)).toBe(true);
    await connection.close();
    await connection.close();
    expect(pool.ended).toBe(true);
  });

  test("an idle connection the server drops is reported, not fatal, and replaced", async () => {
    const url = await freshDatabase();
    const connection = await connect(url);
    await connection.store.subscriptions();
    expect(connection.lastPoolError()).toBeNull();
    const admin = rawPool(url);
    // Without the pool's error listener, this kills the test process with an unhandled error.
    await admin.query(
      `SELECT pg_terminate_backend(pid) FROM pg_stat_activity
       WHERE application_name = 'paperboy' AND datname = current_database()`,
    );
    await waitFor(() => connection.lastPoolError() !== null);
    expect(connection.lastPoolError()).toBeInstanceOf(Error);
    expect(await connection.store.subscriptions()).toEqual([]);
  });

  test("a connection lost in the middle of recording a delivery fails that call only", async () => {
    const url = await freshDatabase();
    const { store } = await connect(url);
    const admin = rawPool(url);
    const locker = await admin.connect();
    // The delivery's insert waits for this lock, inside its transaction, when its connection dies.
    await locker.query("BEGIN; LOCK TABLE deliveries IN EXCLUSIVE MODE");
    const recording = store.createDelivery(PLAN).catch((error: unknown) => error);
    await waitFor(async () => {
      const { rows } = await admin.query(
        `SELECT count(*)::int AS n FROM pg_stat_activity
         WHERE application_name = 'paperboy' AND wait_event_type = 'Lock'`,
      );
      return rows[0]?.n === 1;
    });
    await admin.query(
      `SELECT pg_terminate_backend(pid) FROM pg_stat_activity
       WHERE application_name = 'paperboy' AND datname = current_database()`,
    );
    const lost = await recording;
    expect(lost).toMatchObject({ code: "57P01" });
    expect(isDatabaseError(lost)).toBe(true);
    await locker.query("ROLLBACK");
    locker.release();
    expect(await store.createDelivery(PLAN)).toMatchObject({ status: "pending" });
  });
});
