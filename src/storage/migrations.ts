/**
 * Schema steps, applied in order; the file's `user_version` counts how many ran.
 * Never edit a shipped step: append a new one, so existing files upgrade safely.
 */
export const MIGRATIONS: readonly string[] = [
  // 1: parsed digests cached by the SHA-256 of the file's bytes.
  `CREATE TABLE digest_cache (
     path TEXT PRIMARY KEY,
     content_hash TEXT NOT NULL,
     parser_version INTEGER NOT NULL,
     result_json TEXT NOT NULL,
     updated_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
   );`,
  // 2: server settings, channel subscriptions and the delivery ledger.
  `CREATE TABLE guild_settings (
     guild_id TEXT PRIMARY KEY,
     language TEXT,
     timezone TEXT,
     schedule TEXT,
     last_run_at TEXT,
     updated_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
   );
   CREATE TABLE subscriptions (
     channel_id TEXT PRIMARY KEY,
     guild_id TEXT NOT NULL,
     mode TEXT NOT NULL CHECK (mode IN ('embeds', 'thread', 'forum')),
     min_votes INTEGER,
     top_n INTEGER,
     include_keywords TEXT NOT NULL DEFAULT '[]',
     exclude_keywords TEXT NOT NULL DEFAULT '[]',
     mention_role_id TEXT,
     created_by TEXT,
     created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
     paused_reason TEXT,
     paused_at TEXT,
     pause_notified INTEGER NOT NULL DEFAULT 0
   );
   CREATE INDEX subscriptions_guild ON subscriptions (guild_id);
   CREATE TABLE deliveries (
     id INTEGER PRIMARY KEY AUTOINCREMENT,
     channel_id TEXT NOT NULL,
     guild_id TEXT,
     digest_date TEXT NOT NULL,
     kind TEXT NOT NULL CHECK (kind IN ('scheduled', 'manual')),
     mode TEXT NOT NULL,
     language TEXT NOT NULL,
     status TEXT NOT NULL DEFAULT 'pending',
     thread_id TEXT,
     error TEXT,
     created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
     finished_at TEXT
   );
   CREATE UNIQUE INDEX deliveries_once ON deliveries (channel_id, digest_date) WHERE kind = 'scheduled';
   CREATE INDEX deliveries_status ON deliveries (status);
   CREATE TABLE delivery_steps (
     delivery_id INTEGER NOT NULL REFERENCES deliveries (id) ON DELETE CASCADE,
     seq INTEGER NOT NULL,
     role TEXT NOT NULL,
     nonce TEXT NOT NULL,
     payload TEXT NOT NULL,
     status TEXT NOT NULL DEFAULT 'pending',
     discord_id TEXT,
     attempts INTEGER NOT NULL DEFAULT 0,
     last_error TEXT,
     PRIMARY KEY (delivery_id, seq)
   );`,
  // 3: named leases (one deliverer per database). A row is never deleted, so `token` (the fencing
  // token) only grows; `expires_at` is epoch milliseconds, 0 once released.
  `CREATE TABLE leases (
     name TEXT PRIMARY KEY,
     holder TEXT NOT NULL,
     token INTEGER NOT NULL,
     expires_at INTEGER NOT NULL,
     acquired_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
   );`,
  // 4: the forum tag a forum subscription's posts carry.
  `ALTER TABLE subscriptions ADD COLUMN forum_tag_id TEXT;`,
  // 5: when a step was first attempted (epoch ms), so a thread or forum post found after a crash
  // is adopted only if it was created at or after that moment (see src/delivery/adopt.ts).
  `ALTER TABLE delivery_steps ADD COLUMN first_attempt_at INTEGER;
   CREATE INDEX delivery_steps_discord ON delivery_steps (discord_id);
   CREATE INDEX deliveries_thread ON deliveries (thread_id);`,
  // 6: growing digests: the papers a delivery saw (JSON array of paper keys), and updates. The kind
  // column's CHECK cannot change without rebuilding the ledger, so an update is stored with kind
  // 'manual' and `update_of` (the scheduled delivery it adds to) set; `update_key` (its papers)
  // makes each update once-only per channel and date.
  `ALTER TABLE deliveries ADD COLUMN paper_keys TEXT;
   ALTER TABLE deliveries ADD COLUMN update_of INTEGER;
   ALTER TABLE deliveries ADD COLUMN update_key TEXT;
   CREATE UNIQUE INDEX deliveries_update_once ON deliveries (channel_id, digest_date, update_key)
     WHERE update_key IS NOT NULL;
   CREATE INDEX deliveries_channel_date ON deliveries (channel_id, digest_date);`,
  // 7: the health probe's row (src/storage/db-health.ts): a real write every few seconds, so
  // `/healthz` knows whether the database can still be written.
  `CREATE TABLE health_probe (
     id INTEGER PRIMARY KEY,
     checked_at INTEGER NOT NULL,
     filler BLOB
   );`,
  // 8: delivery claims (src/storage/sqlite-claims.ts): the worker sending a delivery holds it
  // until `claim_until` (epoch ms); `claim_token` grows with every claim, fencing a late one.
  `ALTER TABLE deliveries ADD COLUMN claim_holder TEXT;
   ALTER TABLE deliveries ADD COLUMN claim_token INTEGER NOT NULL DEFAULT 0;
   ALTER TABLE deliveries ADD COLUMN claim_until INTEGER NOT NULL DEFAULT 0;
   CREATE INDEX deliveries_pending ON deliveries (channel_id, id) WHERE status = 'pending';`,
  // 9: how a channel's papers look: rich embeds, or Components V2 cards.
  `ALTER TABLE subscriptions ADD COLUMN style TEXT NOT NULL DEFAULT 'embeds' CHECK (style IN ('embeds', 'cards'));`,
  // 10: personal alerts (src/alerts/): readers, what each follows, and when each digest arrived.
  // A follow alerts only for digests that arrived after it (`created_ms` < `arrived_ms`, both
  // the database's clock); an alert itself is a 'scheduled' delivery to channel 'dm:<user>'.
  `CREATE TABLE readers (
     user_id TEXT PRIMARY KEY,
     language TEXT NOT NULL,
     dm_channel_id TEXT,
     dms_closed_date TEXT,
     closed_notice INTEGER NOT NULL DEFAULT 0,
     created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
   );
   CREATE TABLE follows (
     id INTEGER PRIMARY KEY AUTOINCREMENT,
     user_id TEXT NOT NULL,
     kind TEXT NOT NULL CHECK (kind IN ('author', 'topic')),
     value TEXT NOT NULL,
     match_key TEXT NOT NULL,
     created_ms INTEGER NOT NULL,
     created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
   );
   CREATE UNIQUE INDEX follows_once ON follows (user_id, kind, match_key);
   CREATE TABLE alert_digests (
     digest_date TEXT PRIMARY KEY,
     arrived_ms INTEGER NOT NULL,
     matched_at TEXT
   );`,
];
