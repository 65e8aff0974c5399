import type { Language } from "../i18n.js";
import { dueDates, windowStart } from "./catch-up.js";
import type { ChannelSubscription, Delivery, DeliveryPlan } from "./model.js";
import { planDelivery } from "./planner.js";
import type { DeliveryOutcome } from "./runner.js";
import type { DigestSource } from "./service.js";
import type { Store } from "./store.js";
import { planUpdate } from "./updates.js";

export interface SyncDeps {
  store: Store;
  digests: DigestSource;
  /** How far back (in days before the newest digest) a channel is caught up. */
  catchUpDays: number;
  language(guildId: string): Promise<Language>;
  run(delivery: Delivery): Promise<DeliveryOutcome>;
}

/** What one pass may send: digests the channel is due, or only papers added to digests it had. */
export interface SyncScope {
  newDigests: boolean;
}

/**
 * Brings one channel up to date, in order: what the ledger still owes it, then every digest it is
 * due (oldest first), then papers added to digests it already had. Passes for one channel run one
 * after another, so its messages never interleave; a pass stops at the first delivery left
 * pending, so nothing newer overtakes it.
 */
export class ChannelSync {
  private readonly passes = new Map<string, Promise<DeliveryOutcome[]>>();

  constructor(private readonly deps: SyncDeps) {}

  /** Queues a pass for a channel after the one under way; resolves with what it ran. */
  sync(channelId: string, scope: SyncScope): Promise<DeliveryOutcome[]> {
    const previous = this.passes.get(channelId) ?? Promise.resolve([]);
    const pass = previous.catch(() => []).then(() => this.pass(channelId, scope));
    this.passes.set(channelId, pass);
    const forget = () => {
      if (this.passes.get(channelId) === pass) this.passes.delete(channelId);
    };
    pass.then(forget, forget);
    return pass;
  }

  private async pass(channelId: string, scope: SyncScope): Promise<DeliveryOutcome[]> {
    const { store } = this.deps;
    const outcomes: DeliveryOutcome[] = [];
    const subscription = await store.subscription(channelId);
    if (!subscription || subscription.pausedReason !== null) return outcomes;
    const owed = await store.unfinishedDeliveries(channelId);
    if (!(await this.runAll(owed, outcomes))) return outcomes;
    const language = await this.deps.language(subscription.guildId);
    if (scope.newDigests && !(await this.sendDue(subscription, language, outcomes)))
      return outcomes;
    await this.sendUpdates(subscription, language, outcomes);
    return outcomes;
  }

  /** Runs deliveries one by one; false when one is left pending or the channel was paused. */
  private async runAll(deliveries: Delivery[], outcomes: DeliveryOutcome[]): Promise<boolean> {
    for (const delivery of deliveries) {
      const outcome = await this.deps.run(delivery);
      outcomes.push(outcome);
      if (outcome.status === "pending" || outcome.status === "paused") return false;
    }
    return true;
  }

  private async runPlan(plan: DeliveryPlan | null, outcomes: DeliveryOutcome[]): Promise<boolean> {
    // null from the store: the same delivery was recorded already (exactly once).
    const delivery = plan ? await this.deps.store.createDelivery(plan) : null;
    return delivery ? this.runAll([delivery], outcomes) : true;
  }

  private async sendDue(
    subscription: ChannelSubscription,
    language: Language,
    outcomes: DeliveryOutcome[],
  ): Promise<boolean> {
    const { store, digests, catchUpDays } = this.deps;
    const last = await store.lastScheduledDate(subscription.channelId);
    for (const date of dueDates(digests.dates(), last, catchUpDays)) {
      const digest = digests.byDate(date);
      const plan = digest && planDelivery(digest, subscription, language, "scheduled");
      if (!(await this.runPlan(plan, outcomes))) return false;
    }
    return true;
  }

  private async sendUpdates(
    subscription: ChannelSubscription,
    language: Language,
    outcomes: DeliveryOutcome[],
  ): Promise<void> {
    const { store, digests, catchUpDays } = this.deps;
    const newest = digests.newest();
    if (!newest) return;
    const byDate = new Map<string, Delivery[]>();
    const had = await store.channelDeliveries(
      subscription.channelId,
      windowStart(newest.date, catchUpDays),
    );
    for (const delivery of had)
      byDate.set(delivery.digestDate, [...(byDate.get(delivery.digestDate) ?? []), delivery]);
    for (const [date, deliveries] of byDate) {
      const digest = digests.byDate(date);
      const plan = digest && planUpdate(digest, subscription, deliveries, language);
      if (!(await this.runPlan(plan, outcomes))) return;
    }
  }
}
