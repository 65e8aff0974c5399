import type { Language } from "../i18n.js";
import type { DeliveryMode, OutgoingMessage, PaperStyle } from "../render/digest-messages.js";
import type { PaperFilter } from "../render/select.js";

/** A server's own settings; unset values fall back to the configured defaults. */
export interface GuildSettings {
  guildId: string;
  language: Language;
  timezone: string;
  schedule: string;
  lastRunAt: string | null;
}

/** A channel that receives digests, with how and which papers. */
export interface ChannelSubscription extends PaperFilter {
  channelId: string;
  guildId: string;
  mode: DeliveryMode;
  mentionRoleId: string | null;
  /** The tag every forum post carries (forum mode; required where the forum requires tags). */
  forumTagId: string | null;
  /** How its papers look: rich embeds, or Components V2 cards. */
  style: PaperStyle;
  createdBy: string | null;
  createdAt: string;
  pausedReason: string | null;
  pauseNotified: boolean;
}

/**
 * Why a delivery exists: the schedule (exactly once per channel and digest), a person asking, or
 * papers added to a digest after its scheduled delivery (once per channel, date and set of papers).
 */
export type DeliveryKind = "scheduled" | "manual" | "update";
export type DeliveryStatus = "pending" | "done" | "failed" | "paused";

/**
 * How a delivery is sent: a channel's mode, or `dm` for a reader's alert (its channel is
 * `dm:<user id>`; its first step opens the direct-message channel, see src/alerts/).
 */
export type LedgerMode = DeliveryMode | "dm";

/** One digest going to one channel, as recorded in the ledger. */
export interface Delivery {
  id: number;
  channelId: string;
  guildId: string | null;
  digestDate: string;
  kind: DeliveryKind;
  mode: LedgerMode;
  language: Language;
  status: DeliveryStatus;
  threadId: string | null;
  error: string | null;
  createdAt: string;
  finishedAt: string | null;
  /** Keys (`paperKey`) of every paper the digest had when this was planned; null before they were kept. */
  paperKeys: string[] | null;
  /** For an update: the scheduled delivery it adds to. */
  updateOf: number | null;
}

/**
 * What one ledger step does: send the header, start its thread, open a forum post, open a
 * reader's direct-message channel, or send papers.
 */
export type StepRole = "header" | "thread" | "forum-post" | "dm-open" | "papers";
export type StepStatus = "pending" | "sent" | "skipped";

/** One planned message (or thread) of a delivery. */
export interface DeliveryStep {
  deliveryId: number;
  seq: number;
  role: StepRole;
  nonce: string;
  payload: OutgoingMessage & {
    thread_name?: string;
    applied_tags?: string[];
    /** `dm-open`: the reader, and their DM channel when it is already known. */
    recipient_id?: string;
    dm_channel_id?: string;
  };
  status: StepStatus;
  discordId: string | null;
  attempts: number;
  lastError: string | null;
  /** Epoch ms of the first attempt (null before it, and for steps recorded before migration 5). */
  firstAttemptAt: number | null;
}

/** A delivery to record, with its steps in order. */
export interface DeliveryPlan {
  channelId: string;
  guildId: string | null;
  digestDate: string;
  kind: DeliveryKind;
  mode: LedgerMode;
  language: Language;
  steps: { role: StepRole; payload: DeliveryStep["payload"] }[];
  /** Keys of every paper the digest has now (see `Delivery.paperKeys`). */
  paperKeys?: string[] | null;
  /** For an update: the delivery it adds to, where its thread is, and the key that makes it once-only. */
  update?: { of: number; threadId: string | null; key: string };
}
