import { type REST, RESTEvents, type ResponseLike } from "discord.js";
import type { SendQueue } from "./send-queue.js";

/** What one of Discord's answers says about its rate limits, as the send queue uses it. */
export interface DiscordAnswer {
  /** The channel of a message create (its bucket is per channel); null for any other route. */
  channelId: string | null;
  /** A route the queue grants: message creates, thread starts, forum posts, DM opens. */
  queued: boolean;
  /** REST sends this request no more: not a 429 nor a 5xx it retries. */
  final: boolean;
  /** `X-RateLimit-Remaining` of the request's bucket. */
  remaining: number | null;
  /** `X-RateLimit-Reset-After`, in ms. */
  resetAfterMs: number | null;
  /** `Retry-After` of a 429, in ms. */
  retryAfterMs: number | null;
  /** `X-RateLimit-Scope` of a 429 (`global` also when only `X-RateLimit-Global` is set). */
  scope: "user" | "global" | "shared" | null;
}

const MESSAGE_CREATE = /^\/channels\/(\d+)\/messages$/;
const THREAD_CREATE = /^\/channels\/\d+\/(?:messages\/\d+\/)?threads$/;
/** Opening a reader's DM channel (a reader's alert, src/alerts/). */
const DM_OPEN = /^\/users\/@me\/channels$/;
/** Interaction callbacks and interaction webhooks do not count toward the global limit. */
const GLOBAL_EXEMPT = /^\/(?:interactions|webhooks)\//;

function headerNumber(headers: ResponseLike["headers"], name: string): number | null {
  const value = headers.get(name);
  if (value === null || value === "") return null;
  const parsed = Number(value);
  return Number.isFinite(parsed) ? parsed : null;
}

/** Which requests a queue grants: only sends (a bot's own queue), or every counted one (the proxy). */
export type QueuedRequests = "sends" | "all";

/** Whether a request counts toward the bot's global limit (interaction routes do not). */
export function countsGlobally(path: string): boolean {
  return !GLOBAL_EXEMPT.test(path.split("?")[0] ?? "");
}

/** The channel whose message bucket a request draws on: a message create's, else null. */
export function messageChannelOf(method: string, path: string): string | null {
  if (method.toUpperCase() !== "POST") return null;
  return MESSAGE_CREATE.exec(path.split("?")[0] ?? "")?.[1] ?? null;
}

/** A send as the send queue grants them: a message create, a thread start, a forum post or a DM open. */
export function isSend(method: string, path: string): boolean {
  const bare = path.split("?")[0] ?? "";
  return (
    method.toUpperCase() === "POST" &&
    (MESSAGE_CREATE.test(bare) || THREAD_CREATE.test(bare) || DM_OPEN.test(bare))
  );
}

/** Reads one REST answer; null for answers that do not count toward the bot's global limit. */
export function readAnswer(
  request: { method: string; path: string; retries: number },
  response: Pick<ResponseLike, "status" | "headers">,
  maxRetries: number,
  queuedRequests: QueuedRequests = "sends",
): DiscordAnswer | null {
  const path = request.path.split("?")[0] ?? "";
  if (!countsGlobally(path)) return null;
  const channelId = messageChannelOf(request.method, path);
  const { status, headers } = response;
  const retried = status === 429 || (status >= 500 && request.retries < maxRetries);
  const resetAfter = headerNumber(headers, "X-RateLimit-Reset-After");
  const retryAfter = status === 429 ? headerNumber(headers, "Retry-After") : null;
  const scopeHeader = headers.get("X-RateLimit-Scope");
  const scope =
    status !== 429
      ? null
      : headers.get("X-RateLimit-Global") !== null || scopeHeader === "global"
        ? "global"
        : scopeHeader === "shared"
          ? "shared"
          : "user";
  return {
    channelId,
    queued: queuedRequests === "all" || isSend(request.method, path),
    final: !retried,
    remaining: headerNumber(headers, "X-RateLimit-Remaining"),
    resetAfterMs: resetAfter === null ? null : resetAfter * 1000,
    retryAfterMs: retryAfter === null ? null : retryAfter * 1000,
    scope,
  };
}

/**
 * Makes `queue` follow what Discord answers on `rest`: each answer frees its request's slot one
 * window later, and rate-limit headers and 429s hold a channel (or everything) until Discord's reset.
 */
export function followRateLimits(
  rest: REST,
  queue: SendQueue,
  queuedRequests: QueuedRequests = "sends",
): void {
  queue.followAnswers();
  rest.on(RESTEvents.Response, (request, response) => {
    // REST hands listeners a clone of the response; its body is never read here, so let it go.
    const body = response.body;
    if (body && "cancel" in body) void body.cancel().catch(() => {});
    const answer = readAnswer(request, response, rest.options.retries, queuedRequests);
    if (answer) queue.heard(answer);
  });
}
