import type { Digest } from "../digest/model.js";
import type { Language } from "../i18n.js";
import type { Logger } from "../logger.js";
import type { DeliveryMode } from "../render/digest-messages.js";
import { NO_FILTER } from "../render/select.js";
import type { ChannelSubscription, Delivery, GuildSettings } from "./model.js";
import { type ChannelChoice, planDelivery } from "./planner.js";
import { DEFAULT_BACKOFF, type RetryBackoff, RetryTimers } from "./retry.js";
import type { DeliveryOutcome, DeliveryRunner } from "./runner.js";
import type { Sender } from "./sender.js";
import { isDatabaseError, type Store } from "./store.js";
import { ChannelSync, type SyncScope } from "./sync.js";

/** Where digests come from (the archive). */
export interface DigestSource {
  newest(): Digest | null;
  byDate(date: string): Digest | null;
  /** Every date there is a digest for. */
  dates(): readonly string[];
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
  /** How many days before the newest digest a channel is caught up (default 3). */
  catchUpDays?: number;
  /** Waits between retries of a delivery left pending (default 30 s doubling to 30 min). */
  retryBackoff?: RetryBackoff;
  /**
   * Only record deliveries, for workers to claim and send (the `scheduler` and `gateway` roles);
   * by default this process sends what it records.
   */
  recordOnly?: boolean;
}

/** How often the deliverer looks for deliveries recorded by processes that do not deliver. */
const ADOPT_EVERY_MS = 5_000;
/** A delivery younger than this may still be starting in the process that recorded it. */
const ADOPT_AFTER_MS = 3_000;

/** Creates deliveries in the ledger and runs them; one channel's trouble never waits on another's. */
export class DeliveryService {
  private readonly running = new Map<number, Promise<DeliveryOutcome>>();
  /** While this process delivers: the look for deliveries other processes recorded. */
  private adopting: NodeJS.Timeout | null = null;
  private readonly retries: RetryTimers;
  /** Channels whose pass failed before it could record its work (the database busy or full). */
  private readonly resyncs: RetryTimers<string>;
  /** The widest scope each waiting channel retry must cover. */
  private readonly resyncScopes = new Map<string, SyncScope>();
  private readonly channels: ChannelSync;

  constructor(private readonly deps: ServiceDeps) {
    this.retries = new RetryTimers(deps.retryBackoff ?? DEFAULT_BACKOFF, (id) => {
      void this.retryDue(id);
    });
    this.resyncs = new RetryTimers(deps.retryBackoff ?? DEFAULT_BACKOFF, (channelId) => {
      const scope = this.resyncScopes.get(channelId) ?? { newDigests: false };
      this.resyncScopes.delete(channelId);
      void this.syncChannel(channelId, scope);
    });
    this.channels = new ChannelSync({
      store: deps.store,
      digests: deps.digests,
      catchUpDays: deps.catchUpDays ?? 3,
      language: async (guildId) => (await this.settings(guildId)).language,
      run: (delivery) => this.run(delivery),
    });
  }

  /** A server's settings with the defaults filled in. */
  async settings(guildId: string): Promise<GuildSettings> {
    const saved = (await this.deps.store.guildSettings(guildId)) ?? {};
    return { ...this.deps.defaults, lastRunAt: null, ...saved, guildId };
  }

  /** Runs a recorded delivery unless it is already running; one left pending is retried later. */
  run(delivery: Delivery): Promise<DeliveryOutcome> {
    if (this.deps.recordOnly) return Promise.resolve(queued(delivery));
    const existing = this.running.get(delivery.id);
    if (existing) return existing;
    const promise = this.deps.runner
      .run(delivery)
      .then((outcome) => {
        this.afterRun(delivery, outcome);
        return outcome;
      })
      .finally(() => this.running.delete(delivery.id));
    this.running.set(delivery.id, promise);
    return promise;
  }

  private afterRun(delivery: Delivery, outcome: DeliveryOutcome): void {
    if (outcome.status !== "pending") {
      this.retries.forget(delivery.id);
      return;
    }
    const waitMs = this.retries.arm(delivery.id);
    if (waitMs !== null)
      this.deps.logger.info(
        { deliveryId: delivery.id, channelId: delivery.channelId, retryInMs: waitMs },
        "delivery left pending; retrying it later",
      );
  }

  /** From now on, deliveries left pending are retried with backoff (while this process delivers). */
  startRetrying(): void {
    // A pass that could not record its work is tried again here; sending is the workers' part.
    this.resyncs.start();
    if (this.deps.recordOnly) return;
    this.retries.start();
    if (this.adopting) return;
    this.adopting = setInterval(() => {
      this.adoptUnfinished().catch((error: unknown) =>
        this.deps.logger.warn({ err: error }, "looking for deliveries recorded elsewhere failed"),
      );
    }, ADOPT_EVERY_MS);
    this.adopting.unref();
  }

  /**
   * Starts the unfinished deliveries that nothing in this process runs or retries, once they are a
   * few seconds old: those another process recorded without sending (a `/repost` answered by a
   * process that runs other shards and does not deliver). Returns how many it started.
   */
  async adoptUnfinished(minAgeMs = ADOPT_AFTER_MS, now = Date.now()): Promise<number> {
    let adopted = 0;
    for (const delivery of await this.deps.store.unfinishedDeliveries()) {
      const known =
        this.running.has(delivery.id) ||
        this.retries.has(delivery.id) ||
        this.resyncs.has(delivery.channelId);
      if (known || now - Date.parse(delivery.createdAt) < minAgeMs) continue;
      // A paused channel's work waits for the channel to be resumed, as retries do.
      if ((await this.deps.store.subscription(delivery.channelId))?.pausedReason) continue;
      this.deps.logger.info(
        { deliveryId: delivery.id, channelId: delivery.channelId },
        "sending a delivery another process recorded",
      );
      void this.run(delivery);
      adopted++;
    }
    return adopted;
  }

  /** Cancels every waiting retry; the ledger keeps the work for whoever delivers next. */
  stopRetrying(): void {
    if (this.adopting) clearInterval(this.adopting);
    this.adopting = null;
    this.retries.stop();
    this.resyncs.stop();
    this.resyncScopes.clear();
  }

  /** A retry came due: the channel is brought up to date, unless it was paused or it is done. */
  private async retryDue(deliveryId: number): Promise<void> {
    const { store, logger } = this.deps;
    const delivery = await store.delivery(deliveryId);
    const subscription = delivery ? await store.subscription(delivery.channelId) : null;
    if (delivery?.status !== "pending" || subscription?.pausedReason) {
      this.retries.forget(deliveryId);
      return;
    }
    logger.info({ deliveryId, channelId: delivery.channelId }, "retrying an unfinished delivery");
    try {
      // A subscribed channel catches up after it, in order; a one-off repost just runs again.
      if (subscription) await this.syncChannel(delivery.channelId, { newDigests: true });
      else await this.run(delivery);
    } catch (error) {
      logger.error({ err: error, deliveryId }, "retrying a delivery failed");
    }
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

  /**
   * A scheduled run: brings every active channel (of one server, if given) up to date — what the
   * ledger still owes it, every digest newer than its last one within the catch-up window (oldest
   * first; the newest alone for a new subscription), then papers added to digests it had.
   */
  async deliverDue(guildId?: string): Promise<DeliveryOutcome[]> {
    if (!this.deps.digests.newest()) {
      this.deps.logger.warn("no digest to deliver");
      return [];
    }
    return this.syncActive(guildId, { newDigests: true });
  }

  /** The same as `deliverDue` (its name from before catch-up, kept for its callers). */
  deliverNewest(guildId?: string): Promise<DeliveryOutcome[]> {
    return this.deliverDue(guildId);
  }

  /**
   * A digest file appeared or changed: papers added to a digest a channel already had go out now
   * as an update; with `postNew` (POST_ON_ARRIVAL), digests a channel is due go out now too.
   * Never throws.
   */
  async digestChanged(date: string, postNew: boolean): Promise<DeliveryOutcome[]> {
    this.deps.logger.debug({ date, postNew }, "digest changed; bringing channels up to date");
    try {
      return await this.syncActive(undefined, { newDigests: postNew });
    } catch (error) {
      // Called from a file watcher: nobody awaits it, so it must not throw.
      this.deps.logger.error({ err: error, date }, "delivering a changed digest failed");
      return [];
    }
  }

  private async syncActive(
    guildId: string | undefined,
    scope: { newDigests: boolean },
  ): Promise<DeliveryOutcome[]> {
    const active = (await this.deps.store.subscriptions(guildId)).filter(
      (s) => s.pausedReason === null,
    );
    const passes = await Promise.all(active.map((s) => this.syncChannel(s.channelId, scope)));
    return passes.flat();
  }

  /**
   * One channel's pass; never throws. A pass that fails before recording its work (the database
   * busy, read-only or full) is tried again with backoff, so a digest that arrived is not lost.
   */
  private async syncChannel(channelId: string, scope: SyncScope): Promise<DeliveryOutcome[]> {
    try {
      const outcomes = await this.channels.sync(channelId, scope);
      // A waiting retry is done with, unless it must send new digests and this pass did not.
      if (scope.newDigests || !this.resyncScopes.get(channelId)?.newDigests) {
        this.resyncs.forget(channelId);
        this.resyncScopes.delete(channelId);
      }
      return outcomes;
    } catch (error) {
      const wider = this.resyncScopes.get(channelId)?.newDigests ?? false;
      this.resyncScopes.set(channelId, { newDigests: wider || scope.newDigests });
      const retryInMs = this.resyncs.arm(channelId);
      const details = { err: error, channelId, retryInMs };
      // A database error is logged once per state change by the database's health.
      if (isDatabaseError(error))
        this.deps.logger.debug(details, "channel pass stopped by the database");
      else this.deps.logger.error(details, "bringing a channel up to date failed");
      return [];
    }
  }

  /** Resumes every delivery the ledger says is unfinished (after a crash or a failed run). */
  async resumeUnfinished(): Promise<DeliveryOutcome[]> {
    const unfinished = await this.deps.store.unfinishedDeliveries();
    return Promise.all(unfinished.map((delivery) => this.run(delivery)));
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
      : await this.deps.store.subscriptions(guildId ?? undefined);
    // Each delivery starts as soon as it is recorded; the send queue orders what they send.
    const runs: Promise<DeliveryOutcome>[] = [];
    for (const choice of targets) {
      const language = choice.guildId
        ? (await this.settings(choice.guildId)).language
        : this.deps.defaults.language;
      const delivery = await this.deps.store.createDelivery(
        planDelivery(digest, choice, language, "manual"),
      );
      if (!delivery) throw new Error("could not record the delivery");
      runs.push(this.run(delivery));
    }
    return Promise.all(runs);
  }

  /**
   * The settings a channel is delivered with: its subscription, or the defaults. With `guildId`,
   * a channel of another server is refused (`ForeignChannelError`), whatever the caller checked.
   */
  async choiceFor(
    channelId: string,
    guildId: string | null,
  ): Promise<ChannelChoice | ChannelSubscription> {
    const subscription = await this.deps.store.subscription(channelId);
    if (subscription && (guildId === null || subscription.guildId === guildId)) return subscription;
    const guild = await this.deps.sender.channelGuild(channelId);
    if (guildId !== null && guild !== guildId) throw new ForeignChannelError(channelId, guildId);
    return {
      ...NO_FILTER,
      channelId,
      guildId: guild,
      mode: "embeds" as DeliveryMode,
      mentionRoleId: null,
    };
  }
}

/** The outcome of a delivery recorded for a worker to send. */
function queued(delivery: Delivery): DeliveryOutcome {
  return {
    deliveryId: delivery.id,
    channelId: delivery.channelId,
    status: "queued",
    sent: 0,
    skipped: 0,
    error: null,
    counts: { total: 0, delivered: 0, withoutEmbeds: 0, deleted: 0, refused: 0 },
  };
}

/** A channel named on behalf of one server that belongs to another (or to none). */
export class ForeignChannelError extends Error {
  constructor(
    readonly channelId: string,
    readonly guildId: string,
  ) {
    super(`channel ${channelId} is not in server ${guildId}`);
    this.name = "ForeignChannelError";
  }
}
