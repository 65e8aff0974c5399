import type { Logger } from "../logger.js";
import { type ForumLocks, findOwnPost } from "./adopt.js";
import type { NeededPermission } from "./channel-health.js";
import { NotSentError } from "./fenced-sender.js";
import type { Delivery, DeliveryStep } from "./model.js";
import type { DeliveryObserver } from "./observer.js";
import { DELETED_AFTER_DELIVERY, EMBEDS_DROPPED } from "./report.js";
import type { SendQueue } from "./send-queue.js";
import { type Created, classifySendError, type DiscordReader, type Sender } from "./sender.js";
import { CLOCK_SKEW_MS, laterSnowflake, snowflakeAt } from "./snowflake.js";
import type { Store } from "./store.js";
import { findArrived } from "./verify.js";

export interface RetryPolicy {
  attempts: number;
  baseDelayMs: number;
  maxDelayMs: number;
}

export const DEFAULT_RETRY: RetryPolicy = { attempts: 6, baseDelayMs: 1000, maxDelayMs: 30_000 };

/** @discordjs/rest's request timeout. */
export const DEFAULT_REST_TIMEOUT_MS = 15_000;

/**
 * How long after a request timed out Discord may still carry it out, in request timeouts: a
 * forum post is looked for only after that, so that a slow create is adopted, not repeated.
 */
export const SETTLE_TIMEOUTS = 3;

/**
 * A request the bot gave up on while Discord was still working on it (a timeout): Discord may
 * carry it out later. A reset or a 5xx ends the request's work at once, so no wait follows them.
 */
const GAVE_UP = /abort|time(d)? ?out/i;

/** What sending one step needs (the runner's dependencies, resolved). */
export interface StepContext {
  store: Store;
  sender: Sender;
  reader: DiscordReader | null;
  queue: SendQueue;
  retry: RetryPolicy;
  sleep: (ms: number) => Promise<void>;
  now: () => number;
  observer: DeliveryObserver;
  canSend?: () => boolean;
  forumLocks: ForumLocks;
  /** See `RunnerDeps.settleMs`. */
  settleMs: number;
}

/** Where a step goes: the thread or post once known, the header's id, the last confirmed ids. */
export interface StepWhere {
  threadId: string | null;
  headerId: string | null;
  /** The last message confirmed in each channel or thread: a look-back starts after it. */
  lastIdIn: Map<string, string>;
}

export type StepResult =
  | { kind: "sent"; id: string | null; withoutEmbeds: boolean }
  | { kind: "skipped"; error: string; dmsClosed?: boolean }
  | { kind: "paused"; code: number; error: string; missing: NeededPermission[] }
  | { kind: "retry"; error: string };

/** The channel or thread a step's message lands in (null: not known yet). */
export function stepTarget(
  delivery: Delivery,
  step: DeliveryStep,
  where: StepWhere,
): string | null {
  if (step.role === "header") return delivery.channelId;
  if (step.role === "papers")
    return delivery.mode === "embeds" ? delivery.channelId : where.threadId;
  return null;
}

/** Marks an error as raised while checking what an earlier attempt did, not while sending. */
class LookBackError extends Error {
  constructor(readonly original: unknown) {
    super(original instanceof Error ? original.message : String(original));
  }
}

/**
 * Sends one step with retries. A step with an earlier, unconfirmed attempt first asks Discord
 * whether it arrived (its message after the last confirmed one, or this delivery's own forum
 * post), so neither a crash nor the end of the nonce window can make it post twice.
 */
export async function sendStep(
  ctx: StepContext,
  delivery: Delivery,
  step: DeliveryStep,
  where: StepWhere,
  log: Logger,
): Promise<StepResult> {
  const { store } = ctx;
  const { thread_name: name = "", applied_tags: tags = [], ...message } = step.payload;
  // Steps recorded before first attempts were kept: the delivery's creation bounds them.
  let firstAttemptAt =
    step.firstAttemptAt ?? (step.attempts > 0 ? Date.parse(delivery.createdAt) : null);
  let lastError = "";
  // When the last attempt got no answer (a timeout), Discord may still create what it asked for.
  let unansweredAt: number | null = null;
  for (let attempt = 0; attempt < ctx.retry.attempts; attempt++) {
    if (ctx.canSend?.() === false) return { kind: "retry", error: "lost the deliverer lease" };
    const unconfirmed = step.attempts + attempt > 0;
    firstAttemptAt ??= ctx.now();
    await store.recordAttempt(delivery.id, step.seq, firstAttemptAt);
    const since = firstAttemptAt;
    const send = async (): Promise<Created> => {
      switch (step.role) {
        case "header":
        case "papers": {
          const target = stepTarget(delivery, step, where);
          if (!target)
            throw Object.assign(new Error("no thread to post into"), { status: 400, code: 0 });
          if (unconfirmed) {
            const found = await lookBack(() => arrivedIn(target, since));
            if (found) {
              log.info({ step: step.seq, messageId: found.id }, "an unconfirmed send had arrived");
              return found;
            }
          }
          // A reader's alert yields to channel deliveries waiting in the same queue.
          await ctx.queue.acquire(target, delivery.mode === "dm");
          return ctx.sender.createMessage(target, {
            ...message,
            nonce: step.nonce,
            enforce_nonce: true,
          });
        }
        case "thread": {
          // Idempotent by itself: the thread's id is the header's, a second start is 160004.
          if (!where.headerId)
            throw Object.assign(new Error("the header was not sent"), { status: 400, code: 0 });
          await ctx.queue.acquire(null);
          return ctx.sender.startThread(delivery.channelId, where.headerId, name);
        }
        case "dm-open": {
          // Idempotent by itself: Discord answers with the same channel every time.
          const known = step.payload.dm_channel_id;
          if (known) return { id: known };
          const recipient = step.payload.recipient_id;
          if (!recipient)
            throw Object.assign(new Error("no recipient to message"), { status: 400, code: 0 });
          await ctx.queue.acquire(null, true);
          const channel = await ctx.sender.openDm(recipient);
          await store.setDmChannel(recipient, channel.id);
          return channel;
        }
        case "forum-post":
          return ctx.forumLocks.with(delivery.channelId, async () => {
            if (unconfirmed && delivery.guildId && ctx.reader) {
              const settled = unansweredAt === null ? 0 : unansweredAt + ctx.settleMs - ctx.now();
              if (settled > 0) await ctx.sleep(settled);
              const { reader } = ctx;
              const guildId = delivery.guildId;
              const own = await lookBack(() =>
                findOwnPost(
                  { reader, store },
                  { deliveryId: delivery.id, guildId, forumId: delivery.channelId, name },
                  since,
                  ctx.now(),
                ),
              );
              if (own) {
                log.info({ step: step.seq, threadId: own }, "adopted this delivery's forum post");
                await store.setThread(delivery.id, own);
                return { id: own };
              }
            }
            await ctx.queue.acquire(null);
            const post = await ctx.sender.createForumPost(delivery.channelId, name, message, tags);
            // Recorded before the lock is let go, so the next delivery's search skips it.
            await store.setThread(delivery.id, post.id);
            return post;
          });
      }
    };
    try {
      const created = await send();
      return confirm(created, step.payload.embeds.length);
    } catch (error) {
      const cause = error instanceof LookBackError ? error.original : error;
      // Refused before it left: the holding ran out while the send waited.
      if (cause instanceof NotSentError)
        return { kind: "retry", error: "lost the deliverer lease" };
      const failure = classifySendError(cause);
      lastError = failure.message;
      unansweredAt = GAVE_UP.test(failure.message) ? ctx.now() : null;
      await store.stepError(delivery.id, step.seq, failure.message);
      if (failure.kind === "dms-closed") {
        // The reader allows no DMs from the bot: refused for this digest, never retried.
        log.info({ step: step.seq }, "the reader allows no direct messages; alert not sent");
        await store.markStep(delivery.id, step.seq, "skipped", null, failure.message);
        return { kind: "skipped", error: failure.message, dmsClosed: true };
      }
      if (failure.kind !== "thread-exists" && failure.kind !== "deleted")
        ctx.observer.sendFailed(failure.kind);
      if (failure.kind === "thread-exists" && where.headerId) {
        await store.markStep(delivery.id, step.seq, "sent", where.headerId);
        return { kind: "sent", id: where.headerId, withoutEmbeds: false };
      }
      if (error instanceof LookBackError && failure.kind === "no-access") {
        // Without Read Message History nothing can tell whether the earlier attempt arrived.
        const missing: NeededPermission[] = failure.code === 50013 ? ["ReadMessageHistory"] : [];
        return { kind: "paused", code: failure.code, error: failure.message, missing };
      }
      const lookBackFailed = error instanceof LookBackError;
      if (failure.kind === "deleted" && (step.role === "header" || step.role === "papers")) {
        // The nonce's first message existed and was deleted: delivered, then moderated away.
        log.warn(
          { step: step.seq, role: step.role },
          "a message was deleted after delivery; not resent",
        );
        await store.markStep(delivery.id, step.seq, "sent", null, DELETED_AFTER_DELIVERY);
        return { kind: "sent", id: null, withoutEmbeds: false };
      }
      // A refused look-back says nothing about the message: never skip it for that.
      if (!lookBackFailed && (failure.kind === "bad-payload" || failure.kind === "deleted")) {
        log.error(
          { err: cause, step: step.seq, role: step.role, payload: step.payload },
          "Discord refused a message; skipped",
        );
        await store.markStep(delivery.id, step.seq, "skipped", null, failure.message);
        return { kind: "skipped", error: failure.message };
      }
      if (failure.kind === "no-access")
        return { kind: "paused", code: failure.code, error: failure.message, missing: [] };
      const delay = Math.min(ctx.retry.maxDelayMs, ctx.retry.baseDelayMs * 2 ** attempt);
      log.warn(
        { err: cause, step: step.seq, attempt: attempt + 1, delayMs: delay },
        "send failed; retrying",
      );
      if (attempt + 1 < ctx.retry.attempts) await ctx.sleep(delay);
    }
  }
  return { kind: "retry", error: lastError };

  /** Records the send; a database error here is the database's, never a failed send. */
  async function confirm(created: Created, embeds: number): Promise<StepResult> {
    const withoutEmbeds =
      step.role !== "thread" && created.embedCount !== undefined && created.embedCount < embeds;
    await store.markStep(
      delivery.id,
      step.seq,
      "sent",
      created.id,
      withoutEmbeds ? EMBEDS_DROPPED : null,
    );
    ctx.observer.messageSent();
    return { kind: "sent", id: created.id, withoutEmbeds };
  }

  async function arrivedIn(target: string, since: number): Promise<Created | null> {
    if (!ctx.reader) return null;
    const floor = snowflakeAt(since - CLOCK_SKEW_MS);
    const after = laterSnowflake(where.lastIdIn.get(target) ?? "0", floor);
    return findArrived({ reader: ctx.reader, store }, target, after, message);
  }
}

async function lookBack<T>(check: () => Promise<T>): Promise<T> {
  try {
    return await check();
  } catch (error) {
    throw new LookBackError(error);
  }
}
