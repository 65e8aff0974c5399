import { existsSync } from "node:fs";
import { resolve } from "node:path";
import Database from "better-sqlite3";
import pg from "pg";
import { openDatabase, type SqliteDatabase } from "./database.js";
import { hidePassword, isPostgresUrl, redactUrl } from "./postgres-connect.js";
import { text } from "./postgres-ledger.js";
import { inTransaction, migratePostgres } from "./postgres-schema.js";

/** Where a store is: a SQLite file or a PostgreSQL URL. */
export type StoreLocation = { kind: "sqlite"; path: string } | { kind: "postgres"; url: string };

export type Row = Record<string, unknown>;

/**
 * One connection inside one transaction, in either database's dialect. Integers come back as
 * BigInt on both sides, so ids and epoch milliseconds cross over exactly and compare as text.
 */
export interface Session {
  readonly kind: StoreLocation["kind"];
  /** The first column of the first row, as text ("" for null). */
  scalar(sql: string): Promise<string>;
  /** Up to `size` rows after the row `after` (keyset paging), in `key` order. */
  page(
    table: string,
    columns: readonly string[],
    key: readonly string[],
    after: Row | null,
    size: number,
  ): Promise<Row[]>;
  insert(table: string, columns: readonly string[], rows: readonly Row[]): Promise<void>;
  exec(sql: string): Promise<void>;
}

/** An opened store: reads take a consistent snapshot, writes are all or nothing. */
export interface Side {
  /** For messages: the path, or the URL without its password. */
  readonly where: string;
  transaction<T>(mode: "read" | "write", work: (session: Session) => Promise<T>): Promise<T>;
  close(): Promise<void>;
}

/** A SQLite path (optionally `sqlite:` or `file:`), or a `postgres://`/`postgresql://` URL. */
export function parseLocation(value: string): StoreLocation {
  if (isPostgresUrl(value)) return { kind: "postgres", url: value.trim() };
  // `sqlite:///abs/x.db` → `/abs/x.db`, `sqlite://x.db` and `sqlite:x.db` → `x.db`.
  const path = value.replace(/^(?:sqlite|file):(?:\/\/)?/i, "");
  return { kind: "sqlite", path };
}

/** True when both name one database (the same file, or the same server and database). */
export function sameDatabase(a: StoreLocation, b: StoreLocation): boolean {
  if (a.kind === "sqlite") return b.kind === "sqlite" && resolve(a.path) === resolve(b.path);
  if (b.kind === "sqlite") return false;
  const key = (url: string): string => {
    try {
      const parsed = new URL(url);
      // pg reads `?host=` over the URL's host (a socket folder, another server).
      const host = parsed.searchParams.get("host") ?? parsed.hostname.toLowerCase();
      const local = host === "localhost" || host === "127.0.0.1" || host === "[::1]";
      return `${local ? "localhost" : host}:${parsed.port || "5432"}${parsed.pathname}`;
    } catch {
      return redactUrl(url);
    }
  };
  return key(a.url) === key(b.url);
}

/**
 * Opens a store and brings its schema up to date. A source (`mustExist`) must already be a
 * Paperboy database: a missing file or an unrelated database is an error, never given tables.
 */
export async function openSide(
  location: StoreLocation,
  mustExist: boolean,
  /** A target holding other tables (not Paperboy's) is written to only with --force. */
  force = false,
): Promise<Side> {
  if (location.kind === "postgres") return openPostgres(location.url, mustExist, force);
  const { path } = location;
  if (mustExist && !existsSync(path)) throw new Error(`${path}: no such file`);
  try {
    if (mustExist) {
      const peek = new Database(path, { readonly: true, fileMustExist: true });
      try {
        if (peek.pragma("user_version", { simple: true }) === 0) {
          throw new Error(`${path} is not a Paperboy database (its schema version is 0)`);
        }
      } finally {
        peek.close();
      }
    }
    if (!mustExist && !force && existsSync(path)) {
      const peek = new Database(path, { readonly: true, fileMustExist: true });
      try {
        const tables = peek
          .prepare<[], { n: number }>(
            "SELECT count(*) AS n FROM sqlite_master WHERE type = 'table'",
          )
          .get();
        const foreign = peek.pragma("user_version", { simple: true }) === 0 && (tables?.n ?? 0) > 0;
        if (foreign) throw new Error(FOREIGN_TARGET);
      } finally {
        peek.close();
      }
    }
    return sqliteSide(path, openDatabase(path));
  } catch (error) {
    // SQLite's own messages ("file is not a database") do not say which file.
    const message = (error as Error).message;
    throw new Error(message.includes(path) ? message : `${path}: ${message}`);
  }
}

/** Why a target holding someone else's tables is refused. */
const FOREIGN_TARGET =
  "holds tables but is not a Paperboy database; give --force to add Paperboy's tables to it anyway";

const placeholders = (count: number, from = 0, mark = (i: number) => `$${i}`): string =>
  `(${Array.from({ length: count }, (_, i) => mark(from + i + 1)).join(", ")})`;

/** `SELECT … ORDER BY key LIMIT size`, after the row `after` when given. */
function pageSql(
  table: string,
  columns: readonly string[],
  key: readonly string[],
  after: Row | null,
  size: number,
  mark: (i: number) => string,
): string {
  const keys = key.join(", ");
  const where = after ? ` WHERE (${keys}) > ${placeholders(key.length, 0, mark)}` : "";
  return `SELECT ${columns.join(", ")} FROM ${table}${where} ORDER BY ${keys} LIMIT ${size}`;
}

function sqliteSide(path: string, db: SqliteDatabase): Side {
  const mark = () => "?";
  const session: Session = {
    kind: "sqlite",
    async scalar(sql) {
      return String(db.prepare(sql).pluck().safeIntegers().get() ?? "");
    },
    async page(table, columns, key, after, size) {
      const sql = pageSql(table, columns, key, after, size, mark);
      const params = after ? key.map((column) => after[column]) : [];
      return db
        .prepare(sql)
        .safeIntegers()
        .all(...params) as Row[];
    },
    async insert(table, columns, rows) {
      const statement = db.prepare(
        `INSERT INTO ${table} (${columns.join(", ")}) VALUES ${placeholders(columns.length, 0, mark)}`,
      );
      for (const row of rows) statement.run(columns.map((column) => row[column] ?? null));
    },
    async exec(sql) {
      db.exec(sql);
    },
  };
  return {
    where: path,
    async transaction(mode, work) {
      // IMMEDIATE takes the write lock at once; a plain BEGIN's first read fixes the snapshot.
      db.exec(mode === "write" ? "BEGIN IMMEDIATE" : "BEGIN");
      try {
        const result = await work(session);
        db.exec("COMMIT");
        return result;
      } catch (error) {
        if (db.inTransaction) db.exec("ROLLBACK");
        throw error;
      }
    },
    async close() {
      db.close();
    },
  };
}

// bigint (oid 20) as BigInt, not pg's default string, to match SQLite's safeIntegers().
const types = {
  getTypeParser: ((oid: number, format?: "text" | "binary") =>
    oid === 20
      ? (value: string) => BigInt(value)
      : pg.types.getTypeParser(oid, format)) as typeof pg.types.getTypeParser,
};

async function openPostgres(url: string, mustExist: boolean, force: boolean): Promise<Side> {
  const where = redactUrl(url);
  const pool = new pg.Pool({
    connectionString: url,
    max: 2,
    application_name: "paperboy store copy",
    connectionTimeoutMillis: 10_000,
  });
  pool.on("error", () => {}); // an idle client's error surfaces again on its next query
  try {
    try {
      await pool.query("SELECT 1");
    } catch (error) {
      // Node's AggregateError (every address of a host refused) has an empty message.
      const { message, code } = error as { message?: string; code?: string };
      const cause = hidePassword(message || code || String(error), url);
      throw new Error(`cannot connect to ${where}: ${cause}`);
    }
    if (mustExist) {
      const { rows } = await pool.query("SELECT to_regclass('schema_version') IS NOT NULL AS ok");
      if (!rows[0]?.ok) throw new Error(`${where} is not a Paperboy database (no schema_version)`);
    } else if (!force) {
      const { rows } = await pool.query(
        `SELECT to_regclass('schema_version') IS NULL AND EXISTS (
           SELECT 1 FROM information_schema.tables WHERE table_schema = current_schema()
         ) AS foreign`,
      );
      if (rows[0]?.foreign) throw new Error(`${where} ${FOREIGN_TARGET}`);
    }
    await migratePostgres(pool);
  } catch (error) {
    await pool.end().catch(() => {});
    throw error;
  }
  const sessionOf = (client: pg.PoolClient): Session => {
    const query = async (sql: string, values: unknown[] = []) =>
      (await client.query<Row>({ text: sql, values, types })).rows;
    return {
      kind: "postgres",
      async scalar(sql) {
        const row = (await query(sql))[0];
        return String((row && Object.values(row)[0]) ?? "");
      },
      async page(table, columns, key, after, size) {
        const params = after ? key.map((column) => after[column]) : [];
        return query(
          pageSql(table, columns, key, after, size, (i) => `$${i}`),
          params,
        );
      },
      async insert(table, columns, rows) {
        if (rows.length === 0) return;
        const tuples = rows.map((_, r) => placeholders(columns.length, r * columns.length));
        // PostgreSQL text cannot hold NUL: replaced as PostgresStore does (see text()).
        const values = rows.flatMap((row) =>
          columns.map((column) => {
            const value = row[column] ?? null;
            return typeof value === "string" ? text(value) : value;
          }),
        );
        // OVERRIDING SYSTEM VALUE lets the copied ids into `GENERATED ALWAYS` identity columns.
        await query(
          `INSERT INTO ${table} (${columns.join(", ")}) OVERRIDING SYSTEM VALUE VALUES ${tuples.join(", ")}`,
          values,
        );
      },
      async exec(sql) {
        await query(sql);
      },
    };
  };
  return {
    where,
    transaction: (mode, work) =>
      inTransaction(pool, async (client) => {
        // One snapshot for every page and count of the source, however long the copy takes.
        if (mode === "read") {
          await client.query("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY");
        }
        return work(sessionOf(client));
      }),
    close: () => pool.end(),
  };
}
