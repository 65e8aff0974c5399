import type { Lease, LeaseStore } from "../delivery/store.js";
import { SqliteClaims } from "./sqlite-claims.js";

/** The database's clock in epoch milliseconds, so every process compares against one clock. */
const NOW_MS = "CAST(unixepoch('subsec') * 1000 AS INTEGER)";

interface LeaseRow {
  name: string;
  holder: string;
  token: number;
  expires_at: number;
}

const fromLeaseRow = (row: LeaseRow): Lease => ({
  name: row.name,
  holder: row.holder,
  token: row.token,
  expiresAt: row.expires_at,
});

/** `LeaseStore` in the SQLite file: each call is one `BEGIN IMMEDIATE` transaction. */
export class SqliteLeases extends SqliteClaims implements LeaseStore {
  async acquireLease(
    name: string,
    holder: string,
    ttlMs: number,
    replacing?: string,
  ): Promise<Lease> {
    // IMMEDIATE takes the write lock before reading, so two processes cannot both see it free.
    return this.db
      .transaction((): Lease => {
        const now = this.now();
        const row = this.row(name);
        if (!row) {
          this.db
            .prepare("INSERT INTO leases (name, holder, token, expires_at) VALUES (?, ?, 1, ?)")
            .run(name, holder, now + ttlMs);
        } else if (row.expires_at <= now || (replacing !== undefined && row.holder === replacing)) {
          this.db
            .prepare(
              `UPDATE leases SET holder = ?, token = token + 1, expires_at = ?,
               acquired_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now') WHERE name = ?`,
            )
            .run(holder, now + ttlMs, name);
        } else if (row.holder === holder) {
          this.db.prepare("UPDATE leases SET expires_at = ? WHERE name = ?").run(now + ttlMs, name);
        }
        return fromLeaseRow(this.row(name) as LeaseRow);
      })
      .immediate();
  }

  async renewLease(
    name: string,
    holder: string,
    token: number,
    ttlMs: number,
  ): Promise<Lease | null> {
    return this.db
      .transaction((): Lease | null => {
        const now = this.now();
        const renewed = this.db
          .prepare(
            "UPDATE leases SET expires_at = ? WHERE name = ? AND holder = ? AND token = ? AND expires_at > ?",
          )
          .run(now + ttlMs, name, holder, token, now);
        return renewed.changes > 0 ? fromLeaseRow(this.row(name) as LeaseRow) : null;
      })
      .immediate();
  }

  async releaseLease(name: string, holder: string, token: number): Promise<boolean> {
    return this.db
      .transaction((): boolean => {
        const released = this.db
          .prepare(
            `UPDATE leases SET expires_at = 0 WHERE name = ? AND holder = ? AND token = ? AND expires_at > ${NOW_MS}`,
          )
          .run(name, holder, token);
        return released.changes > 0;
      })
      .immediate();
  }

  async lease(name: string): Promise<Lease | null> {
    const row = this.row(name);
    return row ? fromLeaseRow(row) : null;
  }

  private row(name: string): LeaseRow | undefined {
    return this.db.prepare<[string], LeaseRow>("SELECT * FROM leases WHERE name = ?").get(name);
  }

  private now(): number {
    return (this.db.prepare(`SELECT ${NOW_MS} AS now`).get() as { now: number }).now;
  }
}
