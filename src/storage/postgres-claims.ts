import type { Claim, ClaimStore } from "../delivery/store.js";
import { CLAIM_ORDER, CLAIMABLE, countsOf } from "./claim-sql.js";
import { PostgresFollows } from "./postgres-follows.js";
import { type PgDeliveryRow, toDelivery } from "./postgres-rows.js";
import { PG_NOW_MS } from "./postgres-schema.js";

type ClaimRow = PgDeliveryRow & { claim_token: string };

/**
 * `ClaimStore` in PostgreSQL. A claim takes its rows with `FOR UPDATE SKIP LOCKED`, so workers
 * claiming at once each get other deliveries without waiting on one another.
 */
export class PostgresClaims extends PostgresFollows implements ClaimStore {
  async claimDeliveries(holder: string, ttlMs: number, limit: number): Promise<Claim[]> {
    const { rows } = await this.pool.query<ClaimRow>(
      `WITH now AS (SELECT ${PG_NOW_MS} AS ms),
       picked AS (
         SELECT d.id FROM deliveries d, now
         WHERE ${CLAIMABLE.replaceAll("$now", "now.ms")}
         ORDER BY ${CLAIM_ORDER} LIMIT $3
         FOR UPDATE OF d SKIP LOCKED)
       UPDATE deliveries SET claim_holder = $1, claim_token = claim_token + 1,
         claim_until = (SELECT ms FROM now) + $2
       FROM picked WHERE deliveries.id = picked.id
       RETURNING deliveries.*`,
      [holder, ttlMs, limit],
    );
    return rows
      .map((row) => ({ delivery: toDelivery(row), token: Number(row.claim_token) }))
      .sort((a, b) => a.delivery.id - b.delivery.id);
  }

  async renewClaims(
    holder: string,
    claims: readonly { id: number; token: number }[],
    ttlMs: number,
  ): Promise<number[]> {
    if (claims.length === 0) return [];
    const { rows } = await this.pool.query<{ id: string }>(
      `UPDATE deliveries SET claim_until = ${PG_NOW_MS} + $2
       FROM unnest($3::bigint[], $4::bigint[]) AS held (id, token)
       WHERE deliveries.id = held.id AND deliveries.claim_token = held.token
         AND deliveries.claim_holder = $1 AND deliveries.claim_until > ${PG_NOW_MS}
       RETURNING deliveries.id`,
      [holder, ttlMs, claims.map((c) => c.id), claims.map((c) => c.token)],
    );
    return rows.map((row) => Number(row.id));
  }

  async releaseClaim(holder: string, id: number, token: number, retryInMs: number): Promise<void> {
    await this.pool.query(
      `UPDATE deliveries SET claim_holder = NULL, claim_until = ${PG_NOW_MS} + $4
       WHERE id = $2 AND claim_token = $3 AND claim_holder = $1`,
      [holder, id, token, retryInMs],
    );
  }

  async claimCounts(): Promise<{ holders: Record<string, number>; unclaimed: number }> {
    const { rows } = await this.pool.query<{ holder: string | null; n: string }>(
      `SELECT CASE WHEN claim_until > ${PG_NOW_MS} THEN claim_holder END AS holder, count(*) AS n
       FROM deliveries WHERE status = 'pending' GROUP BY 1`,
    );
    return countsOf(rows.map((row) => ({ holder: row.holder, n: Number(row.n) })));
  }
}
