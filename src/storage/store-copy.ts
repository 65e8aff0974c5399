import type { ParseResult } from "../digest/parse.js";
import type { Row, Session, Side } from "./store-copy-sides.js";

/** One table as copied: the same rows and columns in both databases (see postgres-schema.ts). */
interface Table {
  sqlite: string;
  postgres: string;
  columns: readonly string[];
  /** The primary key, the order rows are paged in. */
  key: readonly string[];
  /** A column only the PostgreSQL table has, and its value for a row that comes from SQLite. */
  postgresOnly?: { column: string; fill(row: Row): unknown };
}

/**
 * Every table Paperboy keeps rows in, deliveries before the steps that reference them. Not
 * health_probe: its one row is rewritten every few seconds by whichever process runs.
 */
export const TABLES: readonly Table[] = [
  {
    sqlite: "guild_settings",
    postgres: "guild_settings",
    columns: ["guild_id", "language", "timezone", "schedule", "last_run_at", "updated_at"],
    key: ["guild_id"],
  },
  {
    sqlite: "subscriptions",
    postgres: "subscriptions",
    columns: [
      "channel_id",
      "guild_id",
      "mode",
      "min_votes",
      "top_n",
      "include_keywords",
      "exclude_keywords",
      "mention_role_id",
      "forum_tag_id",
      "style",
      "created_by",
      "created_at",
      "paused_reason",
      "paused_at",
      "pause_notified",
    ],
    key: ["channel_id"],
  },
  {
    sqlite: "deliveries",
    postgres: "deliveries",
    columns: [
      "id",
      "channel_id",
      "guild_id",
      "digest_date",
      "kind",
      "mode",
      "language",
      "status",
      "thread_id",
      "error",
      "created_at",
      "finished_at",
      "paper_keys",
      "update_of",
      "update_key",
      "claim_holder",
      "claim_token",
      "claim_until",
    ],
    key: ["id"],
  },
  {
    sqlite: "delivery_steps",
    postgres: "delivery_steps",
    columns: [
      "delivery_id",
      "seq",
      "role",
      "nonce",
      "payload",
      "status",
      "discord_id",
      "attempts",
      "last_error",
      "first_attempt_at",
    ],
    key: ["delivery_id", "seq"],
  },
  {
    sqlite: "leases",
    postgres: "leases",
    columns: ["name", "holder", "token", "expires_at", "acquired_at"],
    key: ["name"],
  },
  {
    sqlite: "readers",
    postgres: "readers",
    columns: [
      "user_id",
      "language",
      "dm_channel_id",
      "dms_closed_date",
      "closed_notice",
      "created_at",
    ],
    key: ["user_id"],
  },
  {
    sqlite: "follows",
    postgres: "follows",
    columns: ["id", "user_id", "kind", "value", "match_key", "created_ms", "created_at"],
    key: ["id"],
  },
  {
    sqlite: "alert_digests",
    postgres: "alert_digests",
    columns: ["digest_date", "arrived_ms", "matched_at"],
    key: ["digest_date"],
  },
  {
    // The parse cache: PostgreSQL's also keeps the digest's date (as postgres-digests.ts does).
    sqlite: "digest_cache",
    postgres: "digests",
    columns: ["path", "content_hash", "parser_version", "result_json", "updated_at"],
    key: ["path"],
    postgresOnly: { column: "digest_date", fill: (row) => parsedDate(String(row.result_json)) },
  },
];

/** The date of a cached parse result; null for a failed parse (or a damaged row). */
function parsedDate(json: string): string | null {
  try {
    const result = JSON.parse(json) as ParseResult;
    return result.ok ? result.digest.date : null;
  } catch {
    return null;
  }
}

/** Rows read and written at a time: bounded memory and statement size, whatever the ledger's. */
const BATCH = 1000;

/** One figure on both sides: a table's row count, or a check. */
export interface Figure {
  name: string;
  source: string;
  target: string;
}

export interface CopyReport {
  /** Rows per table, in TABLES order. */
  tables: Figure[];
  /** Cheap checks of content: the highest delivery id, the number of sent steps. */
  checks: Figure[];
}

/** The target holds rows and no `force` was given; nothing was changed. */
export class TargetNotEmptyError extends Error {
  constructor(readonly tables: Figure[]) {
    super(`the target is not empty: ${tables.map((t) => `${t.name} ${t.target}`).join(", ")}`);
  }
}

/** The copy did not match its source; it was rolled back. */
export class CopyMismatchError extends Error {
  constructor(readonly report: CopyReport) {
    super("the copy does not match its source");
  }
}

const tableIn = (table: Table, session: Session): string =>
  session.kind === "sqlite" ? table.sqlite : table.postgres;

const columnsIn = (table: Table, session: Session): readonly string[] =>
  session.kind === "postgres" && table.postgresOnly
    ? [...table.columns, table.postgresOnly.column]
    : table.columns;

/**
 * Copies every row of `from` into `to`, ids and all, in one transaction on `to` read from one
 * snapshot of `from`, then checks the result before committing: on any error or mismatch `to`
 * is left as it was. A target holding rows is refused unless `force`, which empties it first.
 */
export async function copyStore(
  from: Side,
  to: Side,
  options: { force?: boolean; batchSize?: number } = {},
): Promise<CopyReport> {
  const size = options.batchSize ?? BATCH;
  return from.transaction("read", (source) =>
    to.transaction("write", async (target) => {
      const before = await figures(source, target);
      const occupied = before.tables.filter((table) => table.target !== "0");
      if (occupied.length > 0) {
        if (!options.force) throw new TargetNotEmptyError(occupied);
        // Reversed: steps go before the deliveries they reference.
        for (const table of [...TABLES].reverse()) {
          await target.exec(`DELETE FROM ${tableIn(table, target)}`);
        }
      }
      for (const table of TABLES) await copyTable(table, source, target, size);
      if (target.kind === "postgres") {
        // Explicit ids do not move the identity: the next delivery must get max(id) + 1, not 1.
        for (const table of ["deliveries", "follows"])
          await target.exec(
            `SELECT setval(pg_get_serial_sequence('${table}', 'id'), coalesce(max(id), 0) + 1, false) FROM ${table}`,
          );
      }
      const report = await figures(source, target);
      const all = [...report.tables, ...report.checks];
      if (all.some((figure) => figure.source !== figure.target)) {
        throw new CopyMismatchError(report);
      }
      return report;
    }),
  );
}

/** Keyset paging: each page starts after the last key of the one before, so no OFFSET scans. */
async function copyTable(table: Table, source: Session, target: Session, size: number) {
  const fill = target.kind === "postgres" ? table.postgresOnly : undefined;
  let after: Row | null = null;
  for (;;) {
    const rows = await source.page(
      tableIn(table, source),
      columnsIn(table, source),
      table.key,
      after,
      size,
    );
    if (rows.length === 0) return;
    // A row from PostgreSQL already has the column (PG → PG keeps it as it was).
    const filled = fill
      ? rows.map((row) => (fill.column in row ? row : { ...row, [fill.column]: fill.fill(row) }))
      : rows;
    await target.insert(tableIn(table, target), columnsIn(table, target), filled);
    if (rows.length < size) return;
    after = rows[rows.length - 1] as Row;
  }
}

/** Row counts per table and the checks, read on both sides (integers compare as text). */
async function figures(source: Session, target: Session): Promise<CopyReport> {
  const figure = async (name: string, sql: (session: Session) => string): Promise<Figure> => ({
    name,
    source: await source.scalar(sql(source)),
    target: await target.scalar(sql(target)),
  });
  const tables: Figure[] = [];
  for (const table of TABLES) {
    const name = tableIn(table, source);
    const shown = name === tableIn(table, target) ? name : `${name} → ${tableIn(table, target)}`;
    tables.push(
      await figure(shown, (session) => `SELECT count(*) FROM ${tableIn(table, session)}`),
    );
  }
  const checks = [
    await figure("highest delivery id", () => "SELECT max(id) FROM deliveries"),
    await figure("sent steps", () => "SELECT count(*) FROM delivery_steps WHERE status = 'sent'"),
  ];
  return { tables, checks };
}
