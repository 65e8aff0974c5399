import type pg from "pg";
import type { DatabaseProbe } from "./db-health.js";

/**
 * PostgreSQL's probe: one committed write to `health_probe`. A read-only server (a standby, or
 * default_transaction_read_only), a full disk or an unreachable server each fail it.
 */
export class PostgresProbe implements DatabaseProbe {
  constructor(private readonly pool: pg.Pool) {}

  busy(): boolean {
    return false; // the probe takes its own connection from the pool
  }

  async write(now: number): Promise<void> {
    await this.pool.query(
      `INSERT INTO health_probe (id, checked_at) VALUES (1, $1)
       ON CONFLICT (id) DO UPDATE SET checked_at = excluded.checked_at`,
      [now],
    );
  }
}
