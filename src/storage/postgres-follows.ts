import type pg from "pg";
import type {
  AddFollowResult,
  AlertCounts,
  AlertDigest,
  Follow,
  FollowStore,
  Reader,
  ReaderData,
} from "../alerts/model.js";
import { alertChannel } from "../alerts/model.js";
import type { Language } from "../i18n.js";
import {
  ALERT_STATUS_SQL,
  type AlertRow,
  alertCountsOf,
  type FollowRow,
  type ReaderRow,
  toAlert,
  toFollow,
  toReader,
} from "./follow-rows.js";
import { inTransaction, PG_NOW, PG_NOW_MS } from "./postgres-schema.js";

/** `FollowStore` in PostgreSQL, method for method SqliteFollows; the base of the store's chain. */
export class PostgresFollows implements FollowStore {
  constructor(protected readonly pool: pg.Pool) {}

  async addFollow(
    input: {
      userId: string;
      kind: Follow["kind"];
      value: string;
      key: string;
      language: Language;
    },
    max: number,
  ): Promise<AddFollowResult> {
    return inTransaction(this.pool, async (client) => {
      // The reader's row is locked first: two follows of one reader at once count one by one.
      await client.query(
        `INSERT INTO readers (user_id, language) VALUES ($1, $2)
         ON CONFLICT (user_id) DO UPDATE SET language = excluded.language`,
        [input.userId, input.language],
      );
      await client.query("SELECT 1 FROM readers WHERE user_id = $1 FOR UPDATE", [input.userId]);
      const existing = await client.query<FollowRow>(
        "SELECT * FROM follows WHERE user_id = $1 AND kind = $2 AND match_key = $3",
        [input.userId, input.kind, input.key],
      );
      if (existing.rows[0]) return { status: "exists", follow: toFollow(existing.rows[0]) };
      const counted = await client.query<{ n: string }>(
        "SELECT count(*) AS n FROM follows WHERE user_id = $1",
        [input.userId],
      );
      const n = Number(counted.rows[0]?.n ?? 0);
      if (n >= max) return { status: "full", count: n };
      const inserted = await client.query<FollowRow>(
        `INSERT INTO follows (user_id, kind, value, match_key, created_ms)
         VALUES ($1, $2, $3, $4, ${PG_NOW_MS}) RETURNING *`,
        [input.userId, input.kind, input.value, input.key],
      );
      return { status: "added", follow: toFollow(inserted.rows[0] as FollowRow) };
    });
  }

  async follows(userId: string): Promise<Follow[]> {
    const { rows } = await this.pool.query<FollowRow>(
      "SELECT * FROM follows WHERE user_id = $1 ORDER BY id",
      [userId],
    );
    return rows.map(toFollow);
  }

  async removeFollow(userId: string, id: number): Promise<Follow | null> {
    const { rows } = await this.pool.query<FollowRow>(
      "DELETE FROM follows WHERE id = $1 AND user_id = $2 RETURNING *",
      [id, userId],
    );
    return rows[0] ? toFollow(rows[0]) : null;
  }

  async allFollows(): Promise<Follow[]> {
    const { rows } = await this.pool.query<FollowRow>("SELECT * FROM follows ORDER BY id");
    return rows.map(toFollow);
  }

  async reader(userId: string): Promise<Reader | null> {
    const { rows } = await this.pool.query<ReaderRow>("SELECT * FROM readers WHERE user_id = $1", [
      userId,
    ]);
    return rows[0] ? toReader(rows[0]) : null;
  }

  async readers(): Promise<Reader[]> {
    const { rows } = await this.pool.query<ReaderRow>("SELECT * FROM readers");
    return rows.map(toReader);
  }

  async setReaderLanguage(userId: string, language: Language): Promise<void> {
    await this.pool.query("UPDATE readers SET language = $1 WHERE user_id = $2", [
      language,
      userId,
    ]);
  }

  async setDmChannel(userId: string, channelId: string): Promise<void> {
    await this.pool.query("UPDATE readers SET dm_channel_id = $1 WHERE user_id = $2", [
      channelId,
      userId,
    ]);
  }

  async markDmsClosed(userId: string, digestDate: string): Promise<void> {
    await this.pool.query(
      "UPDATE readers SET dms_closed_date = $1, closed_notice = 1 WHERE user_id = $2",
      [digestDate, userId],
    );
  }

  async markDmsOpen(userId: string): Promise<void> {
    await this.pool.query(
      "UPDATE readers SET dms_closed_date = NULL, closed_notice = 0 WHERE user_id = $1 AND dms_closed_date IS NOT NULL",
      [userId],
    );
  }

  async takeClosedNotice(userId: string): Promise<string | null> {
    const { rows } = await this.pool.query<{ dms_closed_date: string | null }>(
      "UPDATE readers SET closed_notice = 0 WHERE user_id = $1 AND closed_notice = 1 RETURNING dms_closed_date",
      [userId],
    );
    return rows[0]?.dms_closed_date ?? null;
  }

  async noteArrivals(dates: readonly string[]): Promise<void> {
    if (dates.length === 0) return;
    await this.pool.query(
      `INSERT INTO alert_digests (digest_date, arrived_ms)
       SELECT d, ${PG_NOW_MS} FROM unnest($1::text[]) AS d ON CONFLICT DO NOTHING`,
      [[...dates]],
    );
  }

  async alertDigests(): Promise<AlertDigest[]> {
    const { rows } = await this.pool.query<{
      digest_date: string;
      arrived_ms: string;
      matched_at: string | null;
    }>("SELECT * FROM alert_digests ORDER BY digest_date");
    return rows.map((r) => ({
      date: r.digest_date,
      arrivedMs: Number(r.arrived_ms),
      matched: r.matched_at !== null,
    }));
  }

  async markMatched(date: string): Promise<void> {
    await this.pool.query(
      `UPDATE alert_digests SET matched_at = ${PG_NOW} WHERE digest_date = $1`,
      [date],
    );
  }

  async alertCounts(): Promise<AlertCounts> {
    const totals = await this.pool.query<{ followers: string; follows: string }>(
      "SELECT count(DISTINCT user_id) AS followers, count(*) AS follows FROM follows",
    );
    const byStatus = await this.pool.query<{ status: string; n: string }>(ALERT_STATUS_SQL);
    return alertCountsOf(totals.rows[0], byStatus.rows);
  }

  async readerData(userId: string): Promise<ReaderData> {
    const { rows } = await this.pool.query<AlertRow>(
      "SELECT digest_date, status, created_at, finished_at FROM deliveries WHERE channel_id = $1 ORDER BY digest_date, id",
      [alertChannel(userId)],
    );
    return {
      userId,
      reader: await this.reader(userId),
      follows: await this.follows(userId),
      alerts: rows.map(toAlert),
    };
  }

  async deleteReader(
    userId: string,
  ): Promise<{ follows: number; alerts: number; reader: boolean }> {
    return inTransaction(this.pool, async (client) => {
      const follows = await client.query("DELETE FROM follows WHERE user_id = $1", [userId]);
      const alerts = await client.query("DELETE FROM deliveries WHERE channel_id = $1", [
        alertChannel(userId),
      ]);
      const reader = await client.query("DELETE FROM readers WHERE user_id = $1", [userId]);
      return {
        follows: follows.rowCount ?? 0,
        alerts: alerts.rowCount ?? 0,
        reader: (reader.rowCount ?? 0) > 0,
      };
    });
  }
}
