import type { Claim, ClaimStore } from "../delivery/store.js";
import { CLAIM_ORDER, CLAIMABLE, countsOf } from "./claim-sql.js";
import { type DeliveryRow, fromRow } from "./rows.js";
import { SqliteFollows } from "./sqlite-follows.js";

/** The database's clock in epoch milliseconds, as the leases use it. */
const NOW_MS = "CAST(unixepoch('subsec') * 1000 AS INTEGER)";

/**
 * `ClaimStore` in the SQLite file: each claim is one `BEGIN IMMEDIATE` transaction, which holds
 * the file's write lock from its first read, so two processes never claim the same delivery.
 */
export class SqliteClaims extends SqliteFollows implements ClaimStore {
  async claimDeliveries(holder: string, ttlMs: number, limit: number): Promise<Claim[]> {
    return this.db
      .transaction((): Claim[] => {
        const now = this.claimClock();
        const rows = this.db
          .prepare<{ now: number; limit: number }, DeliveryRow>(
            `SELECT d.* FROM deliveries d WHERE ${CLAIMABLE.replaceAll("$now", "@now")}
             ORDER BY ${CLAIM_ORDER} LIMIT @limit`,
          )
          .all({ now, limit });
        const claim = this.db.prepare<[string, number, number], { claim_token: number }>(
          `UPDATE deliveries SET claim_holder = ?, claim_token = claim_token + 1, claim_until = ?
           WHERE id = ? RETURNING claim_token`,
        );
        return rows.map((row) => ({
          delivery: fromRow.delivery(row),
          token: (claim.get(holder, now + ttlMs, row.id) as { claim_token: number }).claim_token,
        }));
      })
      .immediate();
  }

  async renewClaims(
    holder: string,
    claims: readonly { id: number; token: number }[],
    ttlMs: number,
  ): Promise<number[]> {
    return this.db
      .transaction((): number[] => {
        const now = this.claimClock();
        const renew = this.db.prepare(
          `UPDATE deliveries SET claim_until = ?
           WHERE id = ? AND claim_token = ? AND claim_holder = ? AND claim_until > ?`,
        );
        return claims
          .filter((c) => renew.run(now + ttlMs, c.id, c.token, holder, now).changes === 1)
          .map((c) => c.id);
      })
      .immediate();
  }

  async releaseClaim(holder: string, id: number, token: number, retryInMs: number): Promise<void> {
    this.db
      .prepare(
        `UPDATE deliveries SET claim_holder = NULL, claim_until = ${NOW_MS} + ?
         WHERE id = ? AND claim_token = ? AND claim_holder = ?`,
      )
      .run(retryInMs, id, token, holder);
  }

  async claimCounts(): Promise<{ holders: Record<string, number>; unclaimed: number }> {
    const rows = this.db
      .prepare<[], { holder: string | null; n: number }>(
        `SELECT CASE WHEN claim_until > ${NOW_MS} THEN claim_holder END AS holder, count(*) AS n
         FROM deliveries WHERE status = 'pending' GROUP BY 1`,
      )
      .all();
    return countsOf(rows);
  }

  private claimClock(): number {
    return (this.db.prepare(`SELECT ${NOW_MS} AS now`).get() as { now: number }).now;
  }
}
