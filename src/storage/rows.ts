import type {
  ChannelSubscription,
  Delivery,
  DeliveryPlan,
  DeliveryStep,
  GuildSettings,
} from "../delivery/model.js";
import type { Language } from "../i18n.js";

export interface SubscriptionRow {
  channel_id: string;
  guild_id: string;
  mode: ChannelSubscription["mode"];
  min_votes: number | null;
  top_n: number | null;
  include_keywords: string;
  exclude_keywords: string;
  mention_role_id: string | null;
  forum_tag_id: string | null;
  style: ChannelSubscription["style"];
  created_by: string | null;
  created_at: string;
  paused_reason: string | null;
  pause_notified: number;
}

export interface DeliveryRow {
  id: number;
  channel_id: string;
  guild_id: string | null;
  digest_date: string;
  kind: Delivery["kind"];
  mode: Delivery["mode"];
  language: Language;
  status: Delivery["status"];
  thread_id: string | null;
  error: string | null;
  created_at: string;
  finished_at: string | null;
  paper_keys: string | null;
  update_of: number | null;
}

export interface StepRow {
  delivery_id: number;
  seq: number;
  role: DeliveryStep["role"];
  nonce: string;
  payload: string;
  status: DeliveryStep["status"];
  discord_id: string | null;
  attempts: number;
  last_error: string | null;
  first_attempt_at: number | null;
}

export interface SettingsRow {
  guild_id: string;
  language: Language | null;
  timezone: string | null;
  schedule: string | null;
  last_run_at: string | null;
}

/**
 * A plan's `deliveries` row, in column order: channel_id, guild_id, digest_date, kind, mode,
 * language, paper_keys, update_of, update_key, thread_id. Both stores insert exactly this.
 */
export function deliveryValues(plan: DeliveryPlan): (string | number | null)[] {
  return [
    plan.channelId,
    plan.guildId,
    plan.digestDate,
    // Stored as 'manual' with update_of set: the kind column's CHECK predates updates.
    plan.kind === "update" ? "manual" : plan.kind,
    plan.mode,
    plan.language,
    plan.paperKeys ? JSON.stringify(plan.paperKeys) : null,
    plan.update?.of ?? null,
    plan.update?.key ?? null,
    plan.update?.threadId ?? null,
  ];
}

/** Row → domain object conversions. */
export const fromRow = {
  subscription: (row: SubscriptionRow): ChannelSubscription => ({
    channelId: row.channel_id,
    guildId: row.guild_id,
    mode: row.mode,
    minVotes: row.min_votes,
    topN: row.top_n,
    includeKeywords: JSON.parse(row.include_keywords) as string[],
    excludeKeywords: JSON.parse(row.exclude_keywords) as string[],
    mentionRoleId: row.mention_role_id,
    forumTagId: row.forum_tag_id,
    style: row.style,
    createdBy: row.created_by,
    createdAt: row.created_at,
    pausedReason: row.paused_reason,
    pauseNotified: row.pause_notified === 1,
  }),
  delivery: (row: DeliveryRow): Delivery => ({
    id: row.id,
    channelId: row.channel_id,
    guildId: row.guild_id,
    digestDate: row.digest_date,
    // The kind column's CHECK predates updates (see migrations): an update is the row with update_of.
    kind: row.update_of === null ? row.kind : "update",
    mode: row.mode,
    language: row.language,
    status: row.status,
    threadId: row.thread_id,
    error: row.error,
    createdAt: row.created_at,
    finishedAt: row.finished_at,
    paperKeys: row.paper_keys === null ? null : (JSON.parse(row.paper_keys) as string[]),
    updateOf: row.update_of,
  }),
  step: (row: StepRow): DeliveryStep => ({
    deliveryId: row.delivery_id,
    seq: row.seq,
    role: row.role,
    nonce: row.nonce,
    payload: JSON.parse(row.payload) as DeliveryStep["payload"],
    status: row.status,
    discordId: row.discord_id,
    attempts: row.attempts,
    lastError: row.last_error,
    firstAttemptAt: row.first_attempt_at ?? null,
  }),
  settings: (row: SettingsRow): Partial<GuildSettings> => ({
    guildId: row.guild_id,
    ...(row.language ? { language: row.language } : {}),
    ...(row.timezone ? { timezone: row.timezone } : {}),
    ...(row.schedule ? { schedule: row.schedule } : {}),
    lastRunAt: row.last_run_at,
  }),
};
