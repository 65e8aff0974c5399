import { closeSync, openSync, unlinkSync, writeSync } from "node:fs";
import type { Logger } from "../logger.js";
import type { DatabasePart, DatabaseState } from "../ops/health.js";
import type { SqliteDatabase } from "./database.js";

/** How long the probe waits for another connection's write lock before calling the file busy. */
const PROBE_BUSY_MS = 250;
/** Bytes the probe writes beside the database: room for a few more transactions. */
const SPACE_PROBE_BYTES = 64 * 1024;
/** Above this many free pages the file has room inside it, so the probe does not take one more. */
const ROOMY_FREE_PAGES = 256;

/** What to do about each bad state, for the one log line that announces it. */
const ADVICE: Record<Exclude<DatabaseState, "ok">, string> = {
  busy: "another connection holds the database's write lock; Paperboy keeps retrying",
  "read-only": "make the database file and its folder writable by this user (check the mount)",
  full: "free disk space on the database's file system; pending work waits in the ledger",
  corrupt: "stop Paperboy and restore the database from a backup (PRAGMA integrity_check)",
  error: "the database's file could not be read or written; check the disk and the path",
};

/** Maps an error thrown by a database call (or the space probe) to a database state. */
export function databaseState(error: unknown): DatabaseState {
  const code = (error as { code?: unknown } | null)?.code;
  if (typeof code !== "string") return "error";
  if (code === "SQLITE_BUSY" || code.startsWith("SQLITE_BUSY_")) return "busy";
  if (code === "SQLITE_LOCKED" || code.startsWith("SQLITE_LOCKED_")) return "busy";
  if (code.startsWith("SQLITE_READONLY") || code === "EROFS") return "read-only";
  if (code === "SQLITE_FULL" || code === "ENOSPC" || code === "EDQUOT") return "full";
  if (code.startsWith("SQLITE_CORRUPT") || code === "SQLITE_NOTADB") return "corrupt";
  return "error";
}

/**
 * Whether the database can be written, learnt from the work's own writes (`report`, `ok`) and from
 * a real write probe every few seconds. Each change of state is logged once.
 */
export class DatabaseHealth {
  private state: DatabaseState = "ok";
  private message: string | null = null;
  private changedAt: number;
  private probedAt = Number.NEGATIVE_INFINITY;
  private readonly probeIntervalMs: number;
  private readonly now: () => number;

  constructor(
    private readonly db: SqliteDatabase,
    private readonly logger: Logger,
    options: { probeIntervalMs?: number; now?: () => number } = {},
  ) {
    this.probeIntervalMs = options.probeIntervalMs ?? 5000;
    this.now = options.now ?? Date.now;
    this.changedAt = this.now();
  }

  /** Classifies an error thrown by a database call, records it, logs a change once, returns the state. */
  report(error: unknown): DatabaseState {
    const state = databaseState(error);
    this.set(state, describe(error));
    return state;
  }

  /** A write succeeded. */
  ok(): void {
    this.set("ok", null);
  }

  /** The current part; does a real write probe at most every `probeIntervalMs`. */
  check(): DatabasePart {
    const now = this.now();
    // Inside another caller's open transaction a probe would commit or undo its work: wait.
    if (now - this.probedAt >= this.probeIntervalMs && !this.db.inTransaction) {
      this.probedAt = now;
      try {
        this.probeSpace();
        this.probeWrite(now);
        this.ok();
      } catch (error) {
        this.report(error);
      }
    }
    return {
      state: this.state,
      message: this.message,
      since: new Date(this.changedAt).toISOString(),
    };
  }

  /**
   * Writes new bytes beside the database: a write that reuses space SQLite already has (its WAL,
   * its free pages) succeeds on a full disk, so only a fresh allocation shows that it is full.
   */
  private probeSpace(): void {
    if (this.db.memory || this.db.name === "") return;
    const path = `${this.db.name}-health-probe`;
    let fd: number;
    try {
      fd = openSync(path, "w");
    } catch (error) {
      // A folder closed to new files can still hold a writable database: only a read-only file
      // system or a full disk says something about it.
      if (databaseState(error) === "error") return;
      throw error;
    }
    try {
      writeSync(fd, Buffer.alloc(SPACE_PROBE_BYTES));
    } finally {
      closeSync(fd);
      try {
        unlinkSync(path);
      } catch {
        // Already gone or never writable: nothing is left behind either way.
      }
    }
  }

  /**
   * A committed write to the database, plus (rolled back) one page beyond its free list, so a
   * read-only file, a held write lock, damage, or a file at its page limit each fail here.
   */
  private probeWrite(now: number): void {
    const db = this.db;
    const waited = db.pragma("busy_timeout", { simple: true }) as number;
    db.pragma(`busy_timeout = ${PROBE_BUSY_MS}`);
    try {
      const mark = db.prepare(
        "INSERT INTO health_probe (id, checked_at) VALUES (1, ?) ON CONFLICT (id) DO UPDATE SET checked_at = excluded.checked_at",
      );
      const grow = db.prepare(
        "INSERT INTO health_probe (id, checked_at, filler) VALUES (2, ?, zeroblob(?))",
      );
      const takeOnePageMore = db.transaction((bytes: number) => {
        grow.run(now, bytes);
        throw GIVE_BACK;
      });
      db.transaction(() => {
        mark.run(now);
        const free = db.pragma("freelist_count", { simple: true }) as number;
        if (free > ROOMY_FREE_PAGES) return;
        const pageSize = db.pragma("page_size", { simple: true }) as number;
        try {
          takeOnePageMore((free + 1) * pageSize);
        } catch (error) {
          if (error !== GIVE_BACK) throw error;
        }
      }).immediate();
    } finally {
      db.pragma(`busy_timeout = ${waited}`);
    }
  }

  private set(state: DatabaseState, message: string | null): void {
    this.message = message;
    if (state === this.state) return;
    const was = this.state;
    this.state = state;
    this.changedAt = this.now();
    if (state === "ok") {
      this.logger.info({ was }, "the database can be written again");
      return;
    }
    const log = state === "busy" ? this.logger.warn : this.logger.error;
    log.call(
      this.logger,
      { state, was, error: message },
      `the database cannot be written (${state}): ${ADVICE[state]}`,
    );
  }
}

/** Thrown inside the probe's savepoint to give back the page it took. */
const GIVE_BACK = Symbol("give back the probe's page");

function describe(error: unknown): string {
  const code = (error as { code?: unknown } | null)?.code;
  const message = error instanceof Error ? error.message : String(error);
  return typeof code === "string" && !message.startsWith(code) ? `${code}: ${message}` : message;
}
