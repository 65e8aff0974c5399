import type pg from "pg";
import type { DatabaseProbe } from "./db-health.js";

/** How long the probe's write may take before the database counts as not answering. */
export const PROBE_TIMEOUT_MS = 5000;

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
    try {
      // `query_timeout` per query is read by pg's client, though its types leave it out.
      const probe = {
        text: `INSERT INTO health_probe (id, checked_at) VALUES (1, $1)
               ON CONFLICT (id) DO UPDATE SET checked_at = excluded.checked_at`,
        values: [now],
        // A server that stopped answering (frozen, or the network dropping packets) never fails
        // the write by itself: the probe gives up, and the pool drops that connection.
        query_timeout: PROBE_TIMEOUT_MS,
      };
      await this.pool.query(probe);
    } catch (error) {
      if ((error as Error).message === "Query read timeout")
        throw new Error(
          `the database did not answer a write within ${PROBE_TIMEOUT_MS / 1000} s (server stopped or unreachable)`,
        );
      throw error;
    }
  }
}
