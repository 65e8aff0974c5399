import type { FollowStore } from "../alerts/model.js";
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
 * Everything Paperboy keeps, in SQLite (src/storage/sqlite-store.ts) or PostgreSQL
 * (src/storage/postgres-store.ts). Every method is asynchronous because PostgreSQL's are; the
 * SQLite one answers at once. Exactly-once rests on the database's constraints and transactions,
 * never on this process's memory, so several processes may share one store.
 */
export interface Store extends LeaseStore, ClaimStore, FollowStore {
  guildSettings(guildId: string): Promise<Partial<GuildSettings> | null>;
  saveGuildSettings(
    guildId: string,
    settings: Partial<Omit<GuildSettings, "guildId">>,
  ): Promise<void>;

  subscriptions(guildId?: string): Promise<ChannelSubscription[]>;
  subscription(channelId: string): Promise<ChannelSubscription | null>;
  saveSubscription(input: SubscriptionInput): Promise<void>;
  removeSubscription(channelId: string): Promise<boolean>;
  /** Pauses a channel; returns false when it was already paused. */
  pauseSubscription(channelId: string, reason: string): Promise<boolean>;
  markPauseNotified(channelId: string): Promise<void>;

  /**
   * Records a delivery and its steps atomically; a second scheduled one for the same channel and
   * date, or a second update with the same channel, date and key, returns null.
   */
  createDelivery(plan: DeliveryPlan): Promise<Delivery | null>;
  /**
   * Records many scheduled deliveries at once (a digest's alerts to thousands of readers), each
   * as `createDelivery` would, in few statements; null, in its place, for one already recorded.
   */
  createScheduledDeliveries(plans: readonly DeliveryPlan[]): Promise<(Delivery | null)[]>;
  findScheduledDelivery(channelId: string, digestDate: string): Promise<Delivery | null>;
  // Catch-up and growing digests.
  /** The latest digest date a channel has a scheduled delivery of (whatever its status); null for none. */
  lastScheduledDate(channelId: string): Promise<string | null>;
  /** Every delivery (all kinds) to a channel of digests dated `sinceDate` or later, oldest first. */
  channelDeliveries(channelId: string, sinceDate: string): Promise<Delivery[]>;
  delivery(id: number): Promise<Delivery | null>;
  /** Deliveries still pending, oldest first (of one channel, when given). */
  unfinishedDeliveries(channelId?: string): Promise<Delivery[]>;
  lastDeliveries(limit: number): Promise<Delivery[]>;
  /** When the newest delivery that finished done finished (ISO time); null when none has. */
  lastDeliveredAt(): Promise<string | null>;
  steps(deliveryId: number): Promise<DeliveryStep[]>;
  /**
   * Counts an attempt before it is sent, so a crash mid-send is known on restart, and sets the
   * step's first attempt time (epoch ms) unless it is already set; one write, as it precedes
   * every send.
   */
  recordAttempt(deliveryId: number, seq: number, firstAttemptAt: number): Promise<void>;
  stepError(deliveryId: number, seq: number, error: string): Promise<void>;
  markStep(
    deliveryId: number,
    seq: number,
    status: "sent" | "skipped",
    discordId: string | null,
    error?: string | null,
  ): Promise<void>;
  setThread(deliveryId: number, threadId: string): Promise<void>;
  finishDelivery(
    deliveryId: number,
    status: "done" | "failed" | "paused",
    error: string | null,
  ): Promise<void>;

  // Exactly-once checks (src/delivery/adopt.ts, verify.ts).
  /** The delivery that recorded this thread or forum post as its own, if any. */
  threadOwner(threadId: string): Promise<number | null>;
  /** True when some step of any delivery recorded this Discord message as sent. */
  messageRecorded(messageId: string): Promise<boolean>;
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
  acquireLease(name: string, holder: string, ttlMs: number, replacing?: string): Promise<Lease>;
  /** Extends a holding that is still live; null when it has expired, was released or was taken. */
  renewLease(name: string, holder: string, token: number, ttlMs: number): Promise<Lease | null>;
  /** Ends a holding at once, so a standby can take over; false when it was no longer ours. */
  releaseLease(name: string, holder: string, token: number): Promise<boolean>;
  lease(name: string): Promise<Lease | null>;
}

/** A delivery a worker holds: it alone sends it until the claim runs out. */
export interface Claim {
  delivery: Delivery;
  /** Grows with every claim of this delivery: a renewal or release must name the current one. */
  token: number;
}

/**
 * Deliveries shared out among workers. A delivery may be claimed when it is pending, is the oldest
 * pending one of its channel (a channel's messages never interleave), its channel is not paused,
 * and no live claim holds it. Every method is one atomic transaction; times are the database's.
 */
export interface ClaimStore {
  /** Claims up to `limit` deliveries for `ttlMs`, oldest first; two callers never get the same one. */
  claimDeliveries(holder: string, ttlMs: number, limit: number): Promise<Claim[]>;
  /** Extends the claims `holder` still holds; returns the ids of those it extended. */
  renewClaims(
    holder: string,
    claims: readonly { id: number; token: number }[],
    ttlMs: number,
  ): Promise<number[]>;
  /** Gives a claim up; the delivery may be claimed again once `retryInMs` has passed. */
  releaseClaim(holder: string, id: number, token: number, retryInMs: number): Promise<void>;
  /** How many claims each holder has live now, and how many pending deliveries none holds. */
  claimCounts(): Promise<{ holders: Record<string, number>; unclaimed: number }>;
}

/** True for an error from the database itself (busy, read-only, full, damaged), not from a bug. */
export function isDatabaseError(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  // The PostgreSQL pool's own errors carry no code: no free connection in time, or one lost.
  if (typeof code !== "string")
    return (
      error instanceof Error &&
      /^(timeout exceeded when trying to connect|Connection terminated|Query read timeout|the database did not answer)/.test(
        error.message,
      )
    );
  if (code.startsWith("SQLITE_")) return true;
  // PostgreSQL's SQLSTATE classes: 08 connection, 53 resources (disk full, out of memory),
  // 57 operator intervention (shutdown, statement timeout), 58 system error, XX internal, and
  // 25006 read-only transaction; plus the client's own socket errors.
  return (
    /^(08|53|57|58|XX)[0-9A-Z]{3}$/.test(code) ||
    code === "25006" ||
    code === "ECONNREFUSED" ||
    code === "ECONNRESET" ||
    code === "ETIMEDOUT"
  );
}
