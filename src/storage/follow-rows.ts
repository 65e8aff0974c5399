import {
  type AlertCounts,
  type AlertRecord,
  DMS_CLOSED,
  type Follow,
  type FollowKind,
  type Reader,
} from "../alerts/model.js";
import type { Language } from "../i18n.js";

/** Rows as both databases return them (PostgreSQL's bigint columns arrive as strings). */
export interface FollowRow {
  id: number | string;
  user_id: string;
  kind: FollowKind;
  value: string;
  match_key: string;
  created_ms: number | string;
  created_at: string;
}

export interface ReaderRow {
  user_id: string;
  language: Language;
  dm_channel_id: string | null;
  dms_closed_date: string | null;
  closed_notice: number;
}

export interface AlertRow {
  digest_date: string;
  status: string;
  created_at: string;
  finished_at: string | null;
}

export const toFollow = (row: FollowRow): Follow => ({
  id: Number(row.id),
  userId: row.user_id,
  kind: row.kind,
  value: row.value,
  key: row.match_key,
  createdMs: Number(row.created_ms),
  createdAt: row.created_at,
});

export const toReader = (row: ReaderRow): Reader => ({
  userId: row.user_id,
  language: row.language,
  dmChannelId: row.dm_channel_id,
  dmsClosedDate: row.dms_closed_date,
  closedNotice: Number(row.closed_notice) === 1,
});

export const toAlert = (row: AlertRow): AlertRecord => ({
  digestDate: row.digest_date,
  status: row.status,
  createdAt: row.created_at,
  finishedAt: row.finished_at,
});

/** Alert deliveries by outcome (the ledger's rows whose channel is `dm:<user>`). */
export const ALERT_STATUS_SQL = `SELECT CASE WHEN status = 'failed' AND error LIKE '${DMS_CLOSED}%' THEN 'refused' ELSE status END AS status,
  count(*) AS n FROM deliveries WHERE channel_id LIKE 'dm:%' GROUP BY 1`;

/** Counts from the follow totals and the alert deliveries by status. */
export function alertCountsOf(
  totals: { followers: number | string; follows: number | string } | undefined,
  byStatus: readonly { status: string; n: number | string }[],
): AlertCounts {
  const of = (status: string) => Number(byStatus.find((r) => r.status === status)?.n ?? 0);
  return {
    followers: Number(totals?.followers ?? 0),
    follows: Number(totals?.follows ?? 0),
    sent: of("done"),
    refused: of("refused"),
    failed: of("failed") + of("paused"),
    pending: of("pending"),
  };
}
