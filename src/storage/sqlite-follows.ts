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
import type { SqliteDatabase } from "./database.js";
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

const NOW_MS = "CAST(unixepoch('subsec') * 1000 AS INTEGER)";

/** `FollowStore` in the SQLite file; the base of the store's class chain. */
export class SqliteFollows implements FollowStore {
  constructor(protected readonly db: SqliteDatabase) {}

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
    return this.db
      .transaction((): AddFollowResult => {
        this.db
          .prepare(
            `INSERT INTO readers (user_id, language) VALUES (?, ?)
             ON CONFLICT (user_id) DO UPDATE SET language = excluded.language`,
          )
          .run(input.userId, input.language);
        const existing = this.db
          .prepare<[string, string, string], FollowRow>(
            "SELECT * FROM follows WHERE user_id = ? AND kind = ? AND match_key = ?",
          )
          .get(input.userId, input.kind, input.key);
        if (existing) return { status: "exists", follow: toFollow(existing) };
        const { n } = this.db
          .prepare<[string], { n: number }>("SELECT count(*) AS n FROM follows WHERE user_id = ?")
          .get(input.userId) as { n: number };
        if (n >= max) return { status: "full", count: n };
        const row = this.db
          .prepare<[string, string, string, string], FollowRow>(
            `INSERT INTO follows (user_id, kind, value, match_key, created_ms)
             VALUES (?, ?, ?, ?, ${NOW_MS}) RETURNING *`,
          )
          .get(input.userId, input.kind, input.value, input.key) as FollowRow;
        return { status: "added", follow: toFollow(row) };
      })
      .immediate();
  }

  async follows(userId: string): Promise<Follow[]> {
    return this.db
      .prepare<[string], FollowRow>("SELECT * FROM follows WHERE user_id = ? ORDER BY id")
      .all(userId)
      .map(toFollow);
  }

  async removeFollow(userId: string, id: number): Promise<Follow | null> {
    const row = this.db
      .prepare<[number, string], FollowRow>(
        "DELETE FROM follows WHERE id = ? AND user_id = ? RETURNING *",
      )
      .get(id, userId);
    return row ? toFollow(row) : null;
  }

  async allFollows(): Promise<Follow[]> {
    return this.db.prepare<[], FollowRow>("SELECT * FROM follows ORDER BY id").all().map(toFollow);
  }

  async reader(userId: string): Promise<Reader | null> {
    const row = this.db
      .prepare<[string], ReaderRow>("SELECT * FROM readers WHERE user_id = ?")
      .get(userId);
    return row ? toReader(row) : null;
  }

  async readers(): Promise<Reader[]> {
    return this.db.prepare<[], ReaderRow>("SELECT * FROM readers").all().map(toReader);
  }

  async setReaderLanguage(userId: string, language: Language): Promise<void> {
    this.db.prepare("UPDATE readers SET language = ? WHERE user_id = ?").run(language, userId);
  }

  async setDmChannel(userId: string, channelId: string): Promise<void> {
    this.db
      .prepare("UPDATE readers SET dm_channel_id = ? WHERE user_id = ?")
      .run(channelId, userId);
  }

  async markDmsClosed(userId: string, digestDate: string): Promise<void> {
    this.db
      .prepare("UPDATE readers SET dms_closed_date = ?, closed_notice = 1 WHERE user_id = ?")
      .run(digestDate, userId);
  }

  async markDmsOpen(userId: string): Promise<void> {
    this.db
      .prepare(
        "UPDATE readers SET dms_closed_date = NULL, closed_notice = 0 WHERE user_id = ? AND dms_closed_date IS NOT NULL",
      )
      .run(userId);
  }

  async takeClosedNotice(userId: string): Promise<string | null> {
    const row = this.db
      .prepare<[string], { dms_closed_date: string | null }>(
        "UPDATE readers SET closed_notice = 0 WHERE user_id = ? AND closed_notice = 1 RETURNING dms_closed_date",
      )
      .get(userId);
    return row?.dms_closed_date ?? null;
  }

  async noteArrivals(dates: readonly string[]): Promise<void> {
    if (dates.length === 0) return;
    const insert = this.db.prepare(
      `INSERT INTO alert_digests (digest_date, arrived_ms) VALUES (?, ${NOW_MS}) ON CONFLICT DO NOTHING`,
    );
    this.db.transaction(() => {
      for (const date of dates) insert.run(date);
    })();
  }

  async alertDigests(): Promise<AlertDigest[]> {
    return this.db
      .prepare<[], { digest_date: string; arrived_ms: number; matched_at: string | null }>(
        "SELECT * FROM alert_digests ORDER BY digest_date",
      )
      .all()
      .map((r) => ({
        date: r.digest_date,
        arrivedMs: r.arrived_ms,
        matched: r.matched_at !== null,
      }));
  }

  async markMatched(date: string): Promise<void> {
    this.db
      .prepare(
        "UPDATE alert_digests SET matched_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now') WHERE digest_date = ?",
      )
      .run(date);
  }

  async alertCounts(): Promise<AlertCounts> {
    const totals = this.db
      .prepare<[], { followers: number; follows: number }>(
        "SELECT count(DISTINCT user_id) AS followers, count(*) AS follows FROM follows",
      )
      .get();
    const byStatus = this.db.prepare<[], { status: string; n: number }>(ALERT_STATUS_SQL).all();
    return alertCountsOf(totals, byStatus);
  }

  async readerData(userId: string): Promise<ReaderData> {
    const alerts = this.db
      .prepare<[string], AlertRow>(
        "SELECT digest_date, status, created_at, finished_at FROM deliveries WHERE channel_id = ? ORDER BY digest_date, id",
      )
      .all(alertChannel(userId))
      .map(toAlert);
    return {
      userId,
      reader: await this.reader(userId),
      follows: await this.follows(userId),
      alerts,
    };
  }

  async deleteReader(
    userId: string,
  ): Promise<{ follows: number; alerts: number; reader: boolean }> {
    return this.db
      .transaction(() => {
        const follows = this.db
          .prepare("DELETE FROM follows WHERE user_id = ?")
          .run(userId).changes;
        const alerts = this.db
          .prepare("DELETE FROM deliveries WHERE channel_id = ?")
          .run(alertChannel(userId)).changes;
        const reader =
          this.db.prepare("DELETE FROM readers WHERE user_id = ?").run(userId).changes > 0;
        return { follows, alerts, reader };
      })
      .immediate();
  }
}
