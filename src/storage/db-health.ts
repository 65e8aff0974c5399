import type { Logger } from "../logger.js";
import type { DatabasePart, DatabaseState } from "../ops/health.js";
import type { SqliteDatabase } from "./database.js";
import { SqliteProbe } from "./sqlite-probe.js";

/** What to do about each bad state, for the one log line that announces it. */
const ADVICE: Record<Exclude<DatabaseState, "ok">, string> = {
  busy: "another connection holds the database's write lock; Paperboy keeps retrying",
  "read-only": "make the database file and its folder writable by this user (check the mount)",
  full: "free disk space on the database's file system; pending work waits in the ledger",
  corrupt: "stop Paperboy and restore the database from a backup (PRAGMA integrity_check)",
  error:
    "the database could not be read or written: for a SQLite file check the disk and the path; for PostgreSQL check that the server runs and is reachable",
};

/** A real write that shows whether the database can be written; throws its error when not. */
export interface DatabaseProbe {
  /** True while a caller's transaction is open on the same connection (no probe then). */
  busy(): boolean;
  write(now: number): void | Promise<void>;
}

/** Maps an error thrown by a database call (or the space probe) to a database state. */
export function databaseState(error: unknown): DatabaseState {
  const code = (error as { code?: unknown } | null)?.code;
  if (typeof code !== "string") return "error";
  const postgres = postgresState(code);
  if (postgres) return postgres;
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

  private readonly probe: DatabaseProbe;
  private probing = false;

  constructor(
    database: SqliteDatabase | DatabaseProbe,
    private readonly logger: Logger,
    options: { probeIntervalMs?: number; now?: () => number } = {},
  ) {
    this.probe = "write" in database ? database : new SqliteProbe(database);
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

  /**
   * The current part; starts a real write probe at most every `probeIntervalMs`. SQLite's probe
   * answers at once; a server's (PostgreSQL) lands in the state when it finishes.
   */
  check(): DatabasePart {
    const now = this.now();
    // Inside another caller's open transaction a probe would commit or undo its work: wait.
    if (now - this.probedAt >= this.probeIntervalMs && !this.probing && !this.probe.busy()) {
      this.probedAt = now;
      try {
        const written = this.probe.write(now);
        if (written instanceof Promise) {
          this.probing = true;
          written
            .then(
              () => this.ok(),
              (error: unknown) => this.report(error),
            )
            .finally(() => {
              this.probing = false;
            });
        } else this.ok();
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

/**
 * PostgreSQL's SQLSTATE codes that name a state: 25006 a read-only transaction (a standby, or
 * default_transaction_read_only), 53100 disk full, XX001/XX002 damaged data, and waits that
 * ran out (lock timeout 55P03, statement timeout 57014, deadlock 40P01).
 */
function postgresState(code: string): DatabaseState | null {
  if (code === "25006") return "read-only";
  if (code === "53100") return "full";
  if (code === "XX001" || code === "XX002") return "corrupt";
  if (code === "55P03" || code === "57014" || code === "40P01") return "busy";
  return null;
}

function describe(error: unknown): string {
  const code = (error as { code?: unknown } | null)?.code;
  const message = error instanceof Error ? error.message : String(error);
  return typeof code === "string" && !message.startsWith(code) ? `${code}: ${message}` : message;
}
