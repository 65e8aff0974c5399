import { closeSync, openSync, unlinkSync, writeSync } from "node:fs";
import type { SqliteDatabase } from "./database.js";
import { type DatabaseProbe, databaseState } from "./db-health.js";

/** How long the probe waits for another connection's write lock before calling the file busy. */
const PROBE_BUSY_MS = 250;
/** Bytes the probe writes beside the database: room for a few more transactions. */
const SPACE_PROBE_BYTES = 64 * 1024;
/** Above this many free pages the file has room inside it, so the probe does not take one more. */
const ROOMY_FREE_PAGES = 256;

/** The SQLite file's probe: fresh bytes beside it, then a committed write inside it. */
export class SqliteProbe implements DatabaseProbe {
  constructor(private readonly db: SqliteDatabase) {}

  busy(): boolean {
    return this.db.inTransaction;
  }

  write(now: number): void {
    this.probeSpace();
    this.probeWrite(now);
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
}

/** Thrown inside the probe's savepoint to give back the page it took. */
const GIVE_BACK = Symbol("give back the probe's page");
