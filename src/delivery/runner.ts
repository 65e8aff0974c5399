import type { Logger } from "../logger.js";
import type { Delivery, DeliveryStep } from "./model.js";
import { type DeliveryObserver, NO_OBSERVER } from "./observer.js";
import { pauseChannel } from "./pause.js";
import type { SendQueue } from "./send-queue.js";
import { classifySendError, type Sender } from "./sender.js";
import type { Store } from "./store.js";

/** How a delivery run ended; `pending` means it will be resumed later (the work is in the ledger). */
export interface DeliveryOutcome {
  deliveryId: number;
  channelId: string;
  status: "done" | "failed" | "paused" | "pending";
  sent: number;
  skipped: number;
  error: string | null;
}

export interface RetryPolicy {
  attempts: number;
  baseDelayMs: number;
  maxDelayMs: number;
}

export const DEFAULT_RETRY: RetryPolicy = { attempts: 6, baseDelayMs: 1000, maxDelayMs: 30_000 };

export interface RunnerDeps {
  store: Store;
  sender: Sender;
  queue: SendQueue;
  logger: Logger;
  retry?: RetryPolicy;
  sleep?: (ms: number) => Promise<void>;
  observer?: DeliveryObserver;
}

const defaultSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Sends a recorded delivery step by step, resuming where the ledger says it stopped. */
export class DeliveryRunner {
  private readonly observer: DeliveryObserver;

  constructor(private readonly deps: RunnerDeps) {
    this.observer = deps.observer ?? NO_OBSERVER;
  }

  async run(delivery: Delivery): Promise<DeliveryOutcome> {
    const { store, logger } = this.deps;
    const log = logger.child({
      deliveryId: delivery.id,
      channelId: delivery.channelId,
      date: delivery.digestDate,
    });
    const outcome: DeliveryOutcome = {
      deliveryId: delivery.id,
      channelId: delivery.channelId,
      status: "done",
      sent: 0,
      skipped: 0,
      error: null,
    };
    let threadId = delivery.threadId;
    const steps = store.steps(delivery.id);
    let headerId = steps.find((s) => s.role === "header")?.discordId ?? null;
    for (const step of steps) {
      if (step.status === "sent") {
        outcome.sent++;
        continue;
      }
      if (step.status === "skipped") {
        outcome.skipped++;
        continue;
      }
      const result = await this.sendStep(delivery, step, { threadId, headerId }, log);
      if (result.kind === "sent") {
        outcome.sent++;
        if (step.role === "header") headerId = result.id;
        if (step.role === "thread" || step.role === "forum-post") {
          threadId = result.id;
          store.setThread(delivery.id, result.id);
        }
        continue;
      }
      if (result.kind === "skipped") {
        outcome.skipped++;
        outcome.error = result.error;
        // Without its header (in thread mode), thread or forum post the rest has nowhere to go.
        const needed =
          step.role === "thread" ||
          step.role === "forum-post" ||
          (step.role === "header" && delivery.mode === "thread");
        if (needed) return this.finish(delivery, outcome, "failed");
        continue;
      }
      if (result.kind === "paused") {
        await pauseChannel(this.deps, delivery, result.code);
        outcome.error = result.error;
        return this.finish(delivery, outcome, "paused");
      }
      outcome.status = "pending";
      outcome.error = result.error;
      this.observer.deliveryFinished("pending");
      log.warn({ error: result.error }, "delivery left pending; it resumes on the next run");
      return outcome;
    }
    return this.finish(delivery, outcome, "done");
  }

  private finish(
    delivery: Delivery,
    outcome: DeliveryOutcome,
    status: "done" | "failed" | "paused",
  ): DeliveryOutcome {
    this.deps.store.finishDelivery(delivery.id, status, outcome.error);
    outcome.status = status;
    this.observer.deliveryFinished(status);
    return outcome;
  }

  private async sendStep(
    delivery: Delivery,
    step: DeliveryStep,
    where: { threadId: string | null; headerId: string | null },
    log: Logger,
  ): Promise<
    | { kind: "sent"; id: string }
    | { kind: "skipped"; error: string }
    | { kind: "paused"; code: number; error: string }
    | { kind: "retry"; error: string }
  > {
    const { store } = this.deps;
    const retry = this.deps.retry ?? DEFAULT_RETRY;
    const sleep = this.deps.sleep ?? defaultSleep;
    const { thread_name: threadName = "", ...message } = step.payload;
    let lastError = "";
    for (let attempt = 0; attempt < retry.attempts; attempt++) {
      const previousAttempts = step.attempts + attempt;
      store.recordAttempt(delivery.id, step.seq);
      try {
        const id = await this.attempt(delivery, step, message, threadName, where, previousAttempts);
        store.markStep(delivery.id, step.seq, "sent", id);
        this.observer.messageSent();
        return { kind: "sent", id };
      } catch (error) {
        const failure = classifySendError(error);
        lastError = failure.message;
        if (failure.kind !== "thread-exists") this.observer.sendFailed(failure.kind);
        store.stepError(delivery.id, step.seq, failure.message);
        if (failure.kind === "thread-exists" && where.headerId) {
          store.markStep(delivery.id, step.seq, "sent", where.headerId);
          return { kind: "sent", id: where.headerId };
        }
        if (failure.kind === "bad-payload") {
          log.error(
            { err: error, step: step.seq, role: step.role, payload: step.payload },
            "Discord refused a message; skipped",
          );
          store.markStep(delivery.id, step.seq, "skipped", null, failure.message);
          return { kind: "skipped", error: failure.message };
        }
        if (failure.kind === "no-access")
          return { kind: "paused", code: failure.code, error: failure.message };
        const delay = Math.min(retry.maxDelayMs, retry.baseDelayMs * 2 ** attempt);
        log.warn(
          { err: error, step: step.seq, attempt: attempt + 1, delayMs: delay },
          "send failed; retrying",
        );
        if (attempt + 1 < retry.attempts) await sleep(delay);
      }
    }
    return { kind: "retry", error: lastError };
  }

  private async attempt(
    delivery: Delivery,
    step: DeliveryStep,
    message: Omit<DeliveryStep["payload"], "thread_name">,
    threadName: string,
    where: { threadId: string | null; headerId: string | null },
    previousAttempts: number,
  ): Promise<string> {
    const { sender, queue } = this.deps;
    const nonced = { ...message, nonce: step.nonce, enforce_nonce: true };
    switch (step.role) {
      case "header":
        await queue.acquire(delivery.channelId);
        return (await sender.createMessage(delivery.channelId, nonced)).id;
      case "thread": {
        if (!where.headerId)
          throw Object.assign(new Error("the header was not sent"), { status: 400, code: 0 });
        await queue.acquire(null);
        return (await sender.startThread(delivery.channelId, where.headerId, threadName)).id;
      }
      case "forum-post": {
        // A forum post carries no nonce: after an interrupted attempt, adopt the post if it exists.
        if (previousAttempts > 0 && delivery.guildId) {
          const existing = await sender.findForumPost(
            delivery.guildId,
            delivery.channelId,
            threadName,
          );
          if (existing) return existing.id;
        }
        await queue.acquire(null);
        return (await sender.createForumPost(delivery.channelId, threadName, message)).id;
      }
      case "papers": {
        const target = delivery.mode === "embeds" ? delivery.channelId : where.threadId;
        if (!target)
          throw Object.assign(new Error("no thread to post into"), { status: 400, code: 0 });
        await queue.acquire(target);
        return (await sender.createMessage(target, nonced)).id;
      }
    }
  }
}
