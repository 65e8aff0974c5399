import type { Digest } from "../digest/model.js";
import type { Language } from "../i18n.js";
import type { Logger } from "../logger.js";
import type { DeliveryMode } from "../render/digest-messages.js";
import { NO_FILTER } from "../render/select.js";
import type { ChannelSubscription, Delivery, GuildSettings } from "./model.js";
import { type ChannelChoice, planDelivery } from "./planner.js";
import type { DeliveryOutcome, DeliveryRunner } from "./runner.js";
import type { Sender } from "./sender.js";
import type { Store } from "./store.js";

/** Where digests come from (the archive). */
export interface DigestSource {
  newest(): Digest | null;
  byDate(date: string): Digest | null;
}

/** Settings every server starts with. */
export interface DeliveryDefaults {
  language: Language;
  timezone: string;
  schedule: string;
}

export interface ServiceDeps {
  store: Store;
  digests: DigestSource;
  runner: DeliveryRunner;
  sender: Sender;
  logger: Logger;
  defaults: DeliveryDefaults;
}

/** Creates deliveries in the ledger and runs them; one channel's trouble never waits on another's. */
export class DeliveryService {
  private readonly running = new Map<number, Promise<DeliveryOutcome>>();

  constructor(private readonly deps: ServiceDeps) {}

  /** A server's settings with the defaults filled in. */
  settings(guildId: string): GuildSettings {
    const saved = this.deps.store.guildSettings(guildId) ?? {};
    return { ...this.deps.defaults, lastRunAt: null, ...saved, guildId };
  }

  /** Runs a recorded delivery unless it is already running. */
  run(delivery: Delivery): Promise<DeliveryOutcome> {
    const existing = this.running.get(delivery.id);
    if (existing) return existing;
    const promise = this.deps.runner.run(delivery).finally(() => this.running.delete(delivery.id));
    this.running.set(delivery.id, promise);
    return promise;
  }

  /** Waits (at most `timeoutMs`) for the deliveries running now; true when all finished. */
  async idle(timeoutMs: number): Promise<boolean> {
    const running = [...this.running.values()];
    if (running.length === 0) return true;
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<false>((resolve) => {
      timer = setTimeout(() => resolve(false), timeoutMs);
    });
    const done = Promise.allSettled(running).then(() => true as const);
    const result = await Promise.race([done, timeout]);
    clearTimeout(timer);
    return result;
  }

  /** Sends the newest digest to every active channel (of one server, if given) that has not had it. */
  async deliverNewest(guildId?: string): Promise<DeliveryOutcome[]> {
    const digest = this.deps.digests.newest();
    if (!digest) {
      this.deps.logger.warn("no digest to deliver");
      return [];
    }
    const subscriptions = this.deps.store
      .subscriptions(guildId)
      .filter((s) => s.pausedReason === null);
    const runs: Promise<DeliveryOutcome>[] = [];
    for (const subscription of subscriptions) {
      if (this.deps.store.findScheduledDelivery(subscription.channelId, digest.date)) continue;
      const delivery = this.deps.store.createDelivery(
        planDelivery(
          digest,
          subscription,
          this.settings(subscription.guildId).language,
          "scheduled",
        ),
      );
      if (delivery) runs.push(this.run(delivery));
    }
    return Promise.all(runs);
  }

  /** Resumes every delivery the ledger says is unfinished (after a crash or a failed run). */
  resumeUnfinished(): Promise<DeliveryOutcome[]> {
    return Promise.all(
      this.deps.store.unfinishedDeliveries().map((delivery) => this.run(delivery)),
    );
  }

  /**
   * Posts a digest again on purpose: a new delivery, not blocked by exactly-once. Without a
   * channel, to every subscribed channel; a channel with no subscription gets the defaults.
   */
  async repost(
    date: string,
    channelId: string | null,
    guildId: string | null = null,
  ): Promise<DeliveryOutcome[]> {
    const digest = this.deps.digests.byDate(date);
    if (!digest) throw new Error(`no digest for ${date}`);
    const targets = channelId
      ? [await this.choiceFor(channelId, guildId)]
      : this.deps.store.subscriptions(guildId ?? undefined);
    const runs = targets.map((choice) => {
      const language = choice.guildId
        ? this.settings(choice.guildId).language
        : this.deps.defaults.language;
      const delivery = this.deps.store.createDelivery(
        planDelivery(digest, choice, language, "manual"),
      );
      if (!delivery) throw new Error("could not record the delivery");
      return this.run(delivery);
    });
    return Promise.all(runs);
  }

  /** The settings a channel is delivered with: its subscription, or the defaults. */
  async choiceFor(
    channelId: string,
    guildId: string | null,
  ): Promise<ChannelChoice | ChannelSubscription> {
    const subscription = this.deps.store.subscription(channelId);
    if (subscription) return subscription;
    const guild = guildId ?? (await this.deps.sender.channelGuild(channelId));
    return {
      ...NO_FILTER,
      channelId,
      guildId: guild,
      mode: "embeds" as DeliveryMode,
      mentionRoleId: null,
    };
  }
}
