import { alertReader, DMS_CLOSED } from "../alerts/model.js";
import { t } from "../i18n.js";
import type { Logger } from "../logger.js";
import { ForumLocks } from "./adopt.js";
import { missingPermissions, type PermissionChecker, permissionList } from "./channel-health.js";
import { fencedSender } from "./fenced-sender.js";
import type { Delivery, StepRole } from "./model.js";
import { type DeliveryObserver, NO_OBSERVER } from "./observer.js";
import { pauseChannel } from "./pause.js";
import { countSteps, type DeliveryCounts } from "./report.js";
import type { SendQueue } from "./send-queue.js";
import type { DiscordReader, Sender } from "./sender.js";
import {
  DEFAULT_REST_TIMEOUT_MS,
  DEFAULT_RETRY,
  type RetryPolicy,
  SETTLE_TIMEOUTS,
  type StepContext,
  sendStep,
  stepTarget,
} from "./step.js";
import { isDatabaseError, type Store } from "./store.js";

export { DEFAULT_RETRY, type RetryPolicy } from "./step.js";

/** How a delivery run ended; `pending` means it will be resumed later (the work is in the ledger). */
export interface DeliveryOutcome {
  deliveryId: number;
  channelId: string;
  /** `queued`: recorded for a worker to send (a process that records deliveries but sends none). */
  status: "done" | "failed" | "paused" | "pending" | "queued";
  sent: number;
  skipped: number;
  error: string | null;
  /** What became of every planned message, from the ledger (see `describeDelivery`). */
  counts: DeliveryCounts;
}

export interface RunnerDeps {
  store: Store;
  sender: Sender;
  /** Reads that tell whether an unconfirmed send arrived; the sender, when it can read. */
  reader?: DiscordReader;
  /** The bot's permissions from the gateway's cache; absent in REST-only use. */
  permissions?: PermissionChecker;
  queue: SendQueue;
  logger: Logger;
  retry?: RetryPolicy;
  sleep?: (ms: number) => Promise<void>;
  now?: () => number;
  observer?: DeliveryObserver;
  /** False once this process may no longer send (it lost the deliverer lease): stop at once. */
  canSend?: () => boolean;
  /**
   * How long Discord may still carry out a request the bot gave up on (three REST timeouts by
   * default): after such a timeout, a forum post is looked for only once this has passed.
   */
  settleMs?: number;
}

/** Steps whose result is where the papers go: a thread, a forum post, a reader's DM channel. */
const OPENS_WHERE: ReadonlySet<StepRole> = new Set(["thread", "forum-post", "dm-open"]);

const defaultSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

const isReader = (value: unknown): value is DiscordReader =>
  typeof (value as Partial<DiscordReader>).messagesAfter === "function" &&
  typeof (value as Partial<DiscordReader>).threadsIn === "function" &&
  typeof (value as Partial<DiscordReader>).botUserId === "function";

/** Sends a recorded delivery step by step, resuming where the ledger says it stopped. */
export class DeliveryRunner {
  private readonly observer: DeliveryObserver;
  private readonly ctx: StepContext;

  constructor(private readonly deps: RunnerDeps) {
    this.observer = deps.observer ?? NO_OBSERVER;
    const reader = deps.reader ?? (isReader(deps.sender) ? deps.sender : null);
    this.ctx = {
      store: deps.store,
      sender: deps.sender,
      reader,
      queue: deps.queue,
      retry: deps.retry ?? DEFAULT_RETRY,
      sleep: deps.sleep ?? defaultSleep,
      now: deps.now ?? Date.now,
      observer: this.observer,
      forumLocks: new ForumLocks(),
      settleMs: deps.settleMs ?? DEFAULT_REST_TIMEOUT_MS * SETTLE_TIMEOUTS,
      ...(deps.canSend ? { canSend: deps.canSend } : {}),
    };
  }

  /**
   * Runs a delivery; never throws. Whatever stops it midway (the database busy, read-only or full)
   * leaves the delivery pending in the ledger, where the retry picks it up again.
   */
  async run(delivery: Delivery, fence?: () => boolean): Promise<DeliveryOutcome> {
    const ctx = fence ? this.fenced(fence) : this.ctx;
    const log = this.deps.logger.child({
      deliveryId: delivery.id,
      channelId: delivery.channelId,
      date: delivery.digestDate,
    });
    try {
      return await this.runSteps(ctx, delivery, log);
    } catch (error) {
      // A database error is logged once per state change by the database's health; others here.
      if (isDatabaseError(error)) log.debug({ err: error }, "delivery stopped by the database");
      else log.error({ err: error }, "delivery stopped by an error; it stays pending");
      this.observer.deliveryFinished("pending");
      return {
        deliveryId: delivery.id,
        channelId: delivery.channelId,
        status: "pending",
        sent: 0,
        skipped: 0,
        error: (error as Error).message ?? String(error),
        counts: { total: 0, delivered: 0, withoutEmbeds: 0, deleted: 0, refused: 0 },
      };
    }
  }

  /**
   * The steps' context for one delivery held under its own claim: a step starts, and a send goes
   * out, only while `fence` (and this runner's own check) still allows it.
   */
  private fenced(fence: () => boolean): StepContext {
    const outer = this.ctx.canSend;
    const canSend = outer ? () => fence() && outer() : fence;
    return { ...this.ctx, canSend, sender: fencedSender(this.ctx.sender, canSend) };
  }

  private async runSteps(
    ctx: StepContext,
    delivery: Delivery,
    log: Logger,
  ): Promise<DeliveryOutcome> {
    const { store } = this.deps;
    const outcome: DeliveryOutcome = {
      deliveryId: delivery.id,
      channelId: delivery.channelId,
      status: "done",
      sent: 0,
      skipped: 0,
      error: null,
      counts: { total: 0, delivered: 0, withoutEmbeds: 0, deleted: 0, refused: 0 },
    };
    const steps = await store.steps(delivery.id);
    // Checked before anything is sent: a channel missing a permission its mode needs would take
    // the messages and drop their embeds, or refuse half of them.
    // A reader's alert (a DM) needs no server permission.
    const missing =
      delivery.mode !== "dm" && steps.some((s) => s.status === "pending")
        ? missingPermissions(this.deps.permissions, delivery.channelId, delivery.mode)
        : [];
    if (missing.length > 0) {
      // Coded as Discord would answer the send: 50001 Missing Access without View Channel.
      const code = missing.includes("ViewChannel") ? 50001 : 50013;
      await pauseChannel(this.deps, delivery, code, missing);
      outcome.error = t(
        delivery.language,
        "reasonMissingPermission",
      )(permissionList(missing, delivery.language));
      return this.finish(delivery, outcome, "paused");
    }
    const where = {
      // The step's id too: a crash between marking the step and recording the thread loses neither.
      threadId:
        delivery.threadId ??
        steps.find((s) => OPENS_WHERE.has(s.role) && s.status === "sent")?.discordId ??
        null,
      headerId: steps.find((s) => s.role === "header")?.discordId ?? null,
      lastIdIn: new Map<string, string>(),
    };
    for (const step of steps) {
      if (step.status === "sent") {
        outcome.sent++;
        const target = stepTarget(delivery, step, where);
        if (target && step.discordId) where.lastIdIn.set(target, step.discordId);
        continue;
      }
      if (step.status === "skipped") {
        outcome.skipped++;
        continue;
      }
      const result = await sendStep(ctx, delivery, step, where, log);
      if (result.kind === "sent") {
        outcome.sent++;
        if (step.role === "header") where.headerId = result.id;
        if (OPENS_WHERE.has(step.role) && result.id) {
          where.threadId = result.id;
          await store.setThread(delivery.id, result.id);
        }
        const target = stepTarget(delivery, step, where);
        if (target && result.id) where.lastIdIn.set(target, result.id);
        if (result.withoutEmbeds) {
          // It arrived, so it is never resent; but not as intended: stop until Embed Links is back.
          await pauseChannel(this.deps, delivery, 50013, ["EmbedLinks"]);
          outcome.error = "missing Embed Links: Discord dropped the embeds";
          return this.finish(delivery, outcome, "paused");
        }
        continue;
      }
      if (result.kind === "skipped") {
        outcome.skipped++;
        outcome.error = result.error;
        const reader = alertReader(delivery.channelId);
        if (result.dmsClosed && reader) {
          // Refused for this digest; the reader is told the next time they use a command.
          outcome.error = `${DMS_CLOSED}: ${result.error}`;
          await store.markDmsClosed(reader, delivery.digestDate);
          return this.finish(delivery, outcome, "failed");
        }
        // Without its header (in thread mode), thread or forum post the rest has nowhere to go.
        const needed =
          step.role === "dm-open" ||
          step.role === "thread" ||
          step.role === "forum-post" ||
          (step.role === "header" && delivery.mode === "thread");
        if (needed) return this.finish(delivery, outcome, "failed");
        continue;
      }
      if (result.kind === "paused" && delivery.mode === "dm") {
        // A reader's DM has no channel to pause: this alert failed, the next digest tries again.
        outcome.error = result.error;
        return this.finish(delivery, outcome, "failed");
      }
      if (result.kind === "paused") {
        await pauseChannel(this.deps, delivery, result.code, result.missing);
        outcome.error =
          result.missing.length > 0
            ? t(
                delivery.language,
                "reasonMissingPermission",
              )(permissionList(result.missing, delivery.language))
            : result.error;
        return this.finish(delivery, outcome, "paused");
      }
      outcome.status = "pending";
      outcome.error = result.error;
      outcome.counts = countSteps(await store.steps(delivery.id));
      this.observer.deliveryFinished("pending");
      log.warn({ error: result.error }, "delivery left pending; it resumes on the next run");
      return outcome;
    }
    const reader = alertReader(delivery.channelId);
    const arrived = steps.some((s) => s.role === "papers") && outcome.skipped === 0;
    if (reader && arrived) await store.markDmsOpen(reader);
    return this.finish(delivery, outcome, "done");
  }

  private async finish(
    delivery: Delivery,
    outcome: DeliveryOutcome,
    status: "done" | "failed" | "paused",
  ): Promise<DeliveryOutcome> {
    await this.deps.store.finishDelivery(delivery.id, status, outcome.error);
    outcome.status = status;
    outcome.counts = countSteps(await this.deps.store.steps(delivery.id));
    this.observer.deliveryFinished(status);
    return outcome;
  }
}
