import type pg from "pg";
import type { CacheEntry, DigestCache } from "../archive/cache.js";
import { PARSER_VERSION, type ParseResult } from "../digest/parse.js";
import type { Logger } from "../logger.js";
import { PG_NOW } from "./postgres-schema.js";

/** One stored digest file's result, as every process reads it. */
export interface StoredDigest {
  path: string;
  contentHash: string;
  result: ParseResult;
}

/** How often writes the database refused are tried again. */
const RETRY_MS = 10_000;

/**
 * The parsed digests in PostgreSQL: the parse cache of the process that reads the digests folder,
 * and what a process without the folder serves (see `DatabaseDigestFeed`). The archive asks
 * synchronously, so what the table held at start is read once up front; writes go to the
 * database in the background, and one the database refused is tried again until it lands.
 */
export class PostgresDigestCache implements DigestCache {
  /** Path → the stored row's hash and JSON (dropped once handed out: the archive keeps it). */
  private readonly known = new Map<string, { hash: string; json: string | null }>();
  /** Writes not yet in the database: a result to store, or null to delete. */
  private readonly unsent = new Map<string, CacheEntry | null>();
  private flushing: Promise<void> | null = null;
  private retry: NodeJS.Timeout | null = null;
  private failing = false;

  private constructor(
    private readonly pool: pg.Pool,
    private readonly logger: Logger,
  ) {}

  /** Reads what the table holds for this parser version. */
  static async load(pool: pg.Pool, logger: Logger): Promise<PostgresDigestCache> {
    const cache = new PostgresDigestCache(pool, logger);
    const { rows } = await pool.query<{ path: string; content_hash: string; result_json: string }>(
      "SELECT path, content_hash, result_json FROM digests WHERE parser_version = $1",
      [PARSER_VERSION],
    );
    for (const row of rows)
      cache.known.set(row.path, { hash: row.content_hash, json: row.result_json });
    return cache;
  }

  get(path: string, contentHash: string): ParseResult | null {
    const row = this.known.get(path);
    if (!row || row.hash !== contentHash || row.json === null) return null;
    const { json } = row;
    row.json = null;
    try {
      return JSON.parse(json) as ParseResult;
    } catch {
      return null; // a damaged row is parsed again
    }
  }

  putMany(entries: readonly CacheEntry[]): void {
    for (const entry of entries) {
      this.known.set(entry.path, { hash: entry.contentHash, json: null });
      this.unsent.set(entry.path, entry);
    }
    void this.flush();
  }

  remove(path: string): void {
    this.known.delete(path);
    this.unsent.set(path, null);
    void this.flush();
  }

  /** Resolves once every write so far is in the database, or has failed and waits to be retried. */
  async flush(): Promise<void> {
    while (this.flushing) await this.flushing;
    if (this.unsent.size === 0) return;
    this.flushing = this.send().finally(() => {
      this.flushing = null;
    });
    await this.flushing;
  }

  /** Stops retrying (the process is stopping; what was not written is parsed again next time). */
  close(): void {
    if (this.retry) clearTimeout(this.retry);
    this.retry = null;
  }

  private async send(): Promise<void> {
    const batch = [...this.unsent];
    this.unsent.clear();
    try {
      for (const [path, entry] of batch) {
        if (entry === null) await this.pool.query("DELETE FROM digests WHERE path = $1", [path]);
        else await this.upsert(entry);
      }
      if (this.failing) this.logger.info("stored digests reach the database again");
      this.failing = false;
    } catch (error) {
      // Put back whatever a later write has not replaced meanwhile, and try again later.
      for (const [path, entry] of batch) if (!this.unsent.has(path)) this.unsent.set(path, entry);
      if (!this.failing)
        this.logger.warn(
          { err: error },
          "could not store parsed digests in the database; other processes see them once it can",
        );
      this.failing = true;
      this.retry ??= setTimeout(() => {
        this.retry = null;
        void this.flush();
      }, RETRY_MS);
      this.retry.unref();
    }
  }

  private async upsert(entry: CacheEntry): Promise<void> {
    const date = entry.result.ok ? entry.result.digest.date : null;
    await this.pool.query(
      `INSERT INTO digests (path, digest_date, content_hash, parser_version, result_json)
       VALUES ($1, $2, $3, $4, $5)
       ON CONFLICT (path) DO UPDATE SET digest_date = excluded.digest_date,
         content_hash = excluded.content_hash, parser_version = excluded.parser_version,
         result_json = excluded.result_json, updated_at = ${PG_NOW}`,
      [
        entry.path,
        date,
        entry.contentHash,
        PARSER_VERSION,
        entry.json ?? JSON.stringify(entry.result),
      ],
    );
  }
}

/** Every stored digest's path and hash (this parser version), to see what changed since. */
export async function storedDigestVersions(pool: pg.Pool): Promise<Map<string, string>> {
  const { rows } = await pool.query<{ path: string; content_hash: string }>(
    "SELECT path, content_hash FROM digests WHERE parser_version = $1",
    [PARSER_VERSION],
  );
  return new Map(rows.map((row) => [row.path, row.content_hash]));
}

/** The stored results of `paths` (this parser version); a damaged row is left out. */
export async function storedDigests(
  pool: pg.Pool,
  paths: readonly string[],
): Promise<StoredDigest[]> {
  if (paths.length === 0) return [];
  const { rows } = await pool.query<{ path: string; content_hash: string; result_json: string }>(
    "SELECT path, content_hash, result_json FROM digests WHERE parser_version = $1 AND path = ANY($2)",
    [PARSER_VERSION, paths],
  );
  const stored: StoredDigest[] = [];
  for (const row of rows) {
    try {
      stored.push({
        path: row.path,
        contentHash: row.content_hash,
        result: JSON.parse(row.result_json),
      });
    } catch {
      // A damaged row is skipped: the process that reads the folder writes it again on a change.
    }
  }
  return stored;
}
