import type pg from "pg";
import type { Lease, LeaseStore } from "../delivery/store.js";
import { PostgresClaims } from "./postgres-claims.js";
import { inTransaction, PG_NOW, PG_NOW_MS } from "./postgres-schema.js";

/** bigint columns arrive as strings from `pg`; tokens and epoch ms fit a JS number. */
interface LeaseRow {
  name: string;
  holder: string;
  token: string;
  expires_at: string;
}

const fromLeaseRow = (row: LeaseRow): Lease => ({
  name: row.name,
  holder: row.holder,
  token: Number(row.token),
  expiresAt: Number(row.expires_at),
});

/**
 * `LeaseStore` in PostgreSQL, with the semantics of src/storage/sqlite-lease.ts. Each call is one
 * transaction that first locks the lease's row (`FOR UPDATE`), then reads the database's clock:
 * read before the lock, the clock could be as old as the wait for it.
 */
/** Leases on top of the claims: one class chain, so the store needs no delegating methods. */
export class PostgresLeases extends PostgresClaims implements LeaseStore {
  async acquireLease(
    name: string,
    holder: string,
    ttlMs: number,
    replacing?: string,
  ): Promise<Lease> {
    return inTransaction(this.pool, async (client) => {
      // A missing row is created here; when two processes race to create it, the unique key makes
      // the second wait for the first and then insert nothing, so it goes on to the locked path.
      const inserted = await client.query<LeaseRow>(
        `INSERT INTO leases (name, holder, token, expires_at) VALUES ($1, $2, 1, ${PG_NOW_MS} + $3)
         ON CONFLICT (name) DO NOTHING RETURNING *`,
        [name, holder, ttlMs],
      );
      if (inserted.rows[0]) return fromLeaseRow(inserted.rows[0]);
      // Rows are never deleted, and the insert above waited for any racing one to commit.
      const row = (await lockedRow(client, name)) as LeaseRow;
      const now = await clock(client);
      if (Number(row.expires_at) <= now || (replacing !== undefined && row.holder === replacing)) {
        const taken = await client.query<LeaseRow>(
          `UPDATE leases SET holder = $2, token = token + 1, expires_at = $3, acquired_at = ${PG_NOW}
           WHERE name = $1 RETURNING *`,
          [name, holder, now + ttlMs],
        );
        return fromLeaseRow(taken.rows[0] as LeaseRow);
      }
      if (row.holder === holder) {
        const extended = await client.query<LeaseRow>(
          "UPDATE leases SET expires_at = $2 WHERE name = $1 RETURNING *",
          [name, now + ttlMs],
        );
        return fromLeaseRow(extended.rows[0] as LeaseRow);
      }
      return fromLeaseRow(row);
    });
  }

  async renewLease(
    name: string,
    holder: string,
    token: number,
    ttlMs: number,
  ): Promise<Lease | null> {
    return inTransaction(this.pool, async (client) => {
      const row = await lockedRow(client, name);
      if (!row) return null;
      const now = await clock(client);
      if (row.holder !== holder || Number(row.token) !== token || Number(row.expires_at) <= now) {
        return null;
      }
      const renewed = await client.query<LeaseRow>(
        "UPDATE leases SET expires_at = $2 WHERE name = $1 RETURNING *",
        [name, now + ttlMs],
      );
      return fromLeaseRow(renewed.rows[0] as LeaseRow);
    });
  }

  async releaseLease(name: string, holder: string, token: number): Promise<boolean> {
    return inTransaction(this.pool, async (client) => {
      const row = await lockedRow(client, name);
      if (!row) return false;
      const now = await clock(client);
      if (row.holder !== holder || Number(row.token) !== token || Number(row.expires_at) <= now) {
        return false;
      }
      await client.query("UPDATE leases SET expires_at = 0 WHERE name = $1", [name]);
      return true;
    });
  }

  async lease(name: string): Promise<Lease | null> {
    const { rows } = await this.pool.query<LeaseRow>("SELECT * FROM leases WHERE name = $1", [
      name,
    ]);
    return rows[0] ? fromLeaseRow(rows[0]) : null;
  }

  protected async one<R extends pg.QueryResultRow>(
    sql: string,
    params: unknown[],
  ): Promise<R | undefined> {
    return (await this.pool.query<R>(sql, params)).rows[0];
  }

  protected async changed(sql: string, params: unknown[]): Promise<boolean> {
    return ((await this.pool.query(sql, params)).rowCount ?? 0) > 0;
  }
}

async function lockedRow(client: pg.PoolClient, name: string): Promise<LeaseRow | undefined> {
  const { rows } = await client.query<LeaseRow>("SELECT * FROM leases WHERE name = $1 FOR UPDATE", [
    name,
  ]);
  return rows[0];
}

async function clock(client: pg.PoolClient): Promise<number> {
  const { rows } = await client.query<{ now: string }>(`SELECT ${PG_NOW_MS} AS now`);
  return Number(rows[0]?.now);
}
