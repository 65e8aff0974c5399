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
export interface Store {
  guildSettings(guildId: string): Partial<GuildSettings> | null;
  saveGuildSettings(guildId: string, settings: Partial<Omit<GuildSettings, "guildId">>): void;

  subscriptions(guildId?: string): ChannelSubscription[];
  subscription(channelId: string): ChannelSubscription | null;
  saveSubscription(input: SubscriptionInput): void;
  removeSubscription(channelId: string): boolean;
  /** Pauses a channel; returns false when it was already paused. */
  pauseSubscription(channelId: string, reason: string): boolean;
  markPauseNotified(channelId: string): void;

  /** Records a delivery and its steps atomically; a second scheduled one for the same channel and date returns null. */
  createDelivery(plan: DeliveryPlan): Delivery | null;
  findScheduledDelivery(channelId: string, digestDate: string): Delivery | null;
  delivery(id: number): Delivery | null;
  unfinishedDeliveries(): Delivery[];
  lastDeliveries(limit: number): Delivery[];
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
}
