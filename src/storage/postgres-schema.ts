import type pg from "pg";

/**
 * The time as SQLite writes it (`strftime('%Y-%m-%dT%H:%M:%fZ', 'now')`), so both backends hand
 * out identical strings that sort the same. clock_timestamp(), not now(): now() is fixed for a
 * whole transaction, SQLite's 'now' for one statement only.
 */
export const PG_NOW = `to_char(clock_timestamp() AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;

/** The database's clock in epoch milliseconds, so every process compares against one clock. */
export const PG_NOW_MS = "(extract(epoch from clock_timestamp()) * 1000)::bigint";

/**
 * Schema steps, applied in order; `schema_version` counts how many ran. Never edit a shipped step:
 * append a new one, so existing databases upgrade safely.
 *
 * The tables hold the same rows as SQLite's final shape (src/storage/migrations.ts), so rows can
 * be copied between the backends untranslated: an update is kind 'manual' with `update_of` set,
 * `pause_notified` is 0 or 1. Text that is sorted or compared is `COLLATE "C"`, SQLite's byte
 * order, whatever collation the database was created with.
 */
export const PG_MIGRATIONS: readonly string[] = [
  // 1: server settings, channel subscriptions and the delivery ledger.
  `CREATE TABLE guild_settings (
     guild_id text PRIMARY KEY,
     language text,
     timezone text,
     schedule text,
     last_run_at text,
     updated_at text NOT NULL DEFAULT (${PG_NOW})
   );
   CREATE TABLE subscriptions (
     channel_id text COLLATE "C" PRIMARY KEY,
     guild_id text NOT NULL,
     mode text NOT NULL CHECK (mode IN ('embeds', 'thread', 'forum')),
     min_votes integer,
     top_n integer,
     include_keywords text NOT NULL DEFAULT '[]',
     exclude_keywords text NOT NULL DEFAULT '[]',
     mention_role_id text,
     forum_tag_id text,
     created_by text,
     created_at text COLLATE "C" NOT NULL DEFAULT (${PG_NOW}),
     paused_reason text,
     paused_at text,
     pause_notified integer NOT NULL DEFAULT 0
   );
   CREATE INDEX subscriptions_guild ON subscriptions (guild_id);
   CREATE TABLE deliveries (
     id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
     channel_id text NOT NULL,
     guild_id text,
     digest_date text COLLATE "C" NOT NULL,
     kind text NOT NULL CHECK (kind IN ('scheduled', 'manual')),
     mode text NOT NULL,
     language text NOT NULL,
     status text NOT NULL DEFAULT 'pending',
     thread_id text,
     error text,
     created_at text COLLATE "C" NOT NULL DEFAULT (${PG_NOW}),
     finished_at text COLLATE "C",
     paper_keys text,
     update_of bigint,
     update_key text
   );
   CREATE UNIQUE INDEX deliveries_once ON deliveries (channel_id, digest_date) WHERE kind = 'scheduled';
   CREATE UNIQUE INDEX deliveries_update_once ON deliveries (channel_id, digest_date, update_key)
     WHERE update_key IS NOT NULL;
   CREATE INDEX deliveries_status ON deliveries (status);
   CREATE INDEX deliveries_thread ON deliveries (thread_id);
   CREATE INDEX deliveries_channel_date ON deliveries (channel_id, digest_date);
   CREATE TABLE delivery_steps (
     delivery_id bigint NOT NULL REFERENCES deliveries (id) ON DELETE CASCADE,
     seq integer NOT NULL,
     role text NOT NULL,
     nonce text NOT NULL,
     payload text NOT NULL,
     status text NOT NULL DEFAULT 'pending',
     discord_id text,
     attempts integer NOT NULL DEFAULT 0,
     last_error text,
     first_attempt_at bigint,
     PRIMARY KEY (delivery_id, seq)
   );
   CREATE INDEX delivery_steps_discord ON delivery_steps (discord_id);`,
  // 2: named leases (one deliverer per database). A row is never deleted, so `token` (the fencing
  // token) only grows; `expires_at` is epoch milliseconds, 0 once released.
  `CREATE TABLE leases (
     name text PRIMARY KEY,
     holder text NOT NULL,
     token bigint NOT NULL,
     expires_at bigint NOT NULL,
     acquired_at text NOT NULL DEFAULT (${PG_NOW})
   );`,
  // 3: parsed digests, shared by every process (SQLite keeps them in digest_cache).
  `CREATE TABLE digests (
     path text PRIMARY KEY,
     digest_date text COLLATE "C",
     content_hash text NOT NULL,
     parser_version integer NOT NULL,
     result_json text NOT NULL,
     updated_at text NOT NULL DEFAULT (${PG_NOW})
   );
   CREATE INDEX digests_date ON digests (digest_date);`,
  // 4: the health probe's row (src/storage/postgres-probe.ts): a real write every few seconds, so
  // `/healthz` knows whether the database can still be written.
  `CREATE TABLE health_probe (
     id integer PRIMARY KEY,
     checked_at bigint NOT NULL
   );`,
  // 5: delivery claims (src/storage/postgres-claims.ts): the worker sending a delivery holds it
  // until `claim_until` (epoch ms); `claim_token` grows with every claim, fencing a late one.
  `ALTER TABLE deliveries ADD COLUMN claim_holder text,
     ADD COLUMN claim_token bigint NOT NULL DEFAULT 0,
     ADD COLUMN claim_until bigint NOT NULL DEFAULT 0;
   CREATE INDEX deliveries_pending ON deliveries (channel_id, id) WHERE status = 'pending';`,
  // 6: how a channel's papers look: rich embeds, or Components V2 cards.
  `ALTER TABLE subscriptions ADD COLUMN style text NOT NULL DEFAULT 'embeds' CHECK (style IN ('embeds', 'cards'));`,
  // 7: personal alerts (src/alerts/), as SQLite's step 10.
  `CREATE TABLE readers (
     user_id text PRIMARY KEY,
     language text NOT NULL,
     dm_channel_id text,
     dms_closed_date text COLLATE "C",
     closed_notice integer NOT NULL DEFAULT 0,
     created_at text COLLATE "C" NOT NULL DEFAULT (${PG_NOW})
   );
   CREATE TABLE follows (
     id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
     user_id text NOT NULL,
     kind text NOT NULL CHECK (kind IN ('author', 'topic')),
     value text NOT NULL,
     match_key text NOT NULL,
     created_ms bigint NOT NULL,
     created_at text COLLATE "C" NOT NULL DEFAULT (${PG_NOW})
   );
   CREATE UNIQUE INDEX follows_once ON follows (user_id, kind, match_key);
   CREATE INDEX follows_user ON follows (user_id, id);
   CREATE TABLE alert_digests (
     digest_date text COLLATE "C" PRIMARY KEY,
     arrived_ms bigint NOT NULL,
     matched_at text
   );`,
];

/** Any constant, the same in every process: the advisory lock that serialises migrations. */
const MIGRATION_LOCK = 7_061_706_572;

/**
 * Runs `work` in one transaction on one client: committed when it resolves, rolled back when it
 * throws. A checked-out client has no error listener of the pool's, so one is kept while it is
 * ours: a connection lost mid-transaction must reject the query, not crash the process.
 */
export async function inTransaction<T>(
  pool: pg.Pool,
  work: (client: pg.PoolClient) => Promise<T>,
): Promise<T> {
  const client = await pool.connect();
  let lost: Error | undefined;
  const onError = (error: Error) => {
    lost = error;
  };
  client.on("error", onError);
  try {
    await client.query("BEGIN");
    const result = await work(client);
    await client.query("COMMIT");
    client.removeListener("error", onError);
    client.release();
    return result;
  } catch (error) {
    try {
      if (lost) throw lost;
      await client.query("ROLLBACK");
      client.removeListener("error", onError);
      client.release();
    } catch (broken) {
      // A client that cannot roll back is broken: destroyed rather than handed out again.
      client.removeListener("error", onError);
      client.release(broken as Error);
    }
    throw error;
  }
}

/**
 * Applies every step newer than the database's version, all in one transaction holding an
 * advisory lock: a second process starting at the same time waits, then finds nothing to do.
 * Returns the version the database is at.
 */
export async function migratePostgres(pool: pg.Pool): Promise<number> {
  return inTransaction(pool, async (client) => {
    await client.query(`SELECT pg_advisory_xact_lock(${MIGRATION_LOCK})`);
    // Created only when missing: CREATE TABLE IF NOT EXISTS still needs the CREATE privilege,
    // which a role that only uses an already migrated database may well lack.
    const found = await client.query("SELECT to_regclass('schema_version') AS t");
    if (found.rows[0]?.t === null) {
      await client.query(
        `CREATE TABLE schema_version (
           one boolean PRIMARY KEY DEFAULT true CHECK (one),
           version integer NOT NULL
         )`,
      );
    }
    const { rows } = await client.query<{ version: number }>("SELECT version FROM schema_version");
    const current = rows[0]?.version ?? 0;
    if (current > PG_MIGRATIONS.length) {
      throw new Error(
        `database schema version ${current} is newer than this Paperboy (${PG_MIGRATIONS.length}); upgrade Paperboy`,
      );
    }
    for (const step of PG_MIGRATIONS.slice(current)) await client.query(step);
    if (current < PG_MIGRATIONS.length) {
      await client.query(
        `INSERT INTO schema_version (version) VALUES ($1)
         ON CONFLICT (one) DO UPDATE SET version = excluded.version`,
        [PG_MIGRATIONS.length],
      );
    }
    return PG_MIGRATIONS.length;
  });
}
