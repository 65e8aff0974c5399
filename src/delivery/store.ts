import type {
  ChannelSubscription,
  Delivery,
  DeliveryPlan,
  DeliveryStep,
  GuildSettings,
} from "./model.js";

/** A subscription as an admin sets it (the store fills in the bookkeeping). */
export type SubscriptionInput = Omit<
  ChannelSubscription,
  "createdAt" | "pausedReason" | "pauseNotified"
>;

/**
 * Everything Paperboy keeps. Small on purpose, so that a PostgreSQL implementation can follow
 * the SQLite one; every method is synchronous because SQLite's are (an async store would wrap).
 */
export interface Store extends LeaseStore {
  guildSettings(guildId: string): Partial<GuildSettings> | null;
  saveGuildSettings(guildId: string, settings: Partial<Omit<GuildSettings, "guildId">>): void;

  subscriptions(guildId?: string): ChannelSubscription[];
  subscription(channelId: string): ChannelSubscription | null;
  saveSubscription(input: SubscriptionInput): void;
  removeSubscription(channelId: string): boolean;
  /** Pauses a channel; returns false when it was already paused. */
  pauseSubscription(channelId: string, reason: string): boolean;
  markPauseNotified(channelId: string): void;

  /**
   * Records a delivery and its steps atomically; a second scheduled one for the same channel and
   * date, or a second update with the same channel, date and key, returns null.
   */
  createDelivery(plan: DeliveryPlan): Delivery | null;
  findScheduledDelivery(channelId: string, digestDate: string): Delivery | null;
  // Catch-up and growing digests.
  /** The latest digest date a channel has a scheduled delivery of (whatever its status); null for none. */
  lastScheduledDate(channelId: string): string | null;
  /** Every delivery (all kinds) to a channel of digests dated `sinceDate` or later, oldest first. */
  channelDeliveries(channelId: string, sinceDate: string): Delivery[];
  delivery(id: number): Delivery | null;
  /** Deliveries still pending, oldest first (of one channel, when given). */
  unfinishedDeliveries(channelId?: string): Delivery[];
  lastDeliveries(limit: number): Delivery[];
  /** When the newest delivery that finished done finished (ISO time); null when none has. */
  lastDeliveredAt(): string | null;
  steps(deliveryId: number): DeliveryStep[];
  /** Counts an attempt before it is sent, so a crash mid-send is known on restart. */
  recordAttempt(deliveryId: number, seq: number): void;
  stepError(deliveryId: number, seq: number, error: string): void;
  markStep(
    deliveryId: number,
    seq: number,
    status: "sent" | "skipped",
    discordId: string | null,
    error?: string | null,
  ): void;
  setThread(deliveryId: number, threadId: string): void;
  finishDelivery(
    deliveryId: number,
    status: "done" | "failed" | "paused",
    error: string | null,
  ): void;

  // Exactly-once checks (src/delivery/adopt.ts, verify.ts).
  /** Sets a step's first attempt time (epoch ms) unless it is already set. */
  noteFirstAttempt(deliveryId: number, seq: number, atMs: number): void;
  /** The delivery that recorded this thread or forum post as its own, if any. */
  threadOwner(threadId: string): number | null;
  /** True when some step of any delivery recorded this Discord message as sent. */
  messageRecorded(messageId: string): boolean;
}

/**
 * A named lease, held by one process at a time. `token` (the fencing token) grows by one every
 * time a new holding starts, so work stamped with an older token can be refused.
 */
export interface Lease {
  name: string;
  holder: string;
  token: number;
  /** Epoch milliseconds (the database's clock); 0 once released. */
  expiresAt: number;
}

/** The part of the store that keeps leases; every method is one atomic transaction. */
export interface LeaseStore {
  /**
   * Takes the lease when it is free, expired, released or held by `replacing` (a holder known to
   * be dead): a new holding, token + 1. Extends it when `holder` holds it now. Returns the lease
   * as it stands: its `holder` tells who won.
   */
  acquireLease(name: string, holder: string, ttlMs: number, replacing?: string): Lease;
  /** Extends a holding that is still live; null when it has expired, was released or was taken. */
  renewLease(name: string, holder: string, token: number, ttlMs: number): Lease | null;
  /** Ends a holding at once, so a standby can take over; false when it was no longer ours. */
  releaseLease(name: string, holder: string, token: number): boolean;
  lease(name: string): Lease | null;
}

/** True for an error from the database itself (busy, read-only, full, damaged), not from a bug. */
export function isDatabaseError(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === "string" && code.startsWith("SQLITE_");
}
