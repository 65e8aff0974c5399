import { AsyncLocalStorage } from "node:async_hooks";
import type { RESTOptions } from "discord.js";
import type { Sender } from "./sender.js";

type MakeRequest = RESTOptions["makeRequest"];

/** How often a request on its way is checked against its fence. */
const IN_FLIGHT_CHECK_MS = 100;

/** A send refused because the lease or claim it was made under has run out; nothing went out. */
export class NotSentError extends Error {
  constructor() {
    super("lost the lease or claim to send it; not sent");
    this.name = "NotSentError";
  }
}

/**
 * The fence ran out while a request was on its way (waiting in the REST proxy's queue, or sent
 * and unanswered): it was abandoned, and may still have arrived. "aborted" marks it, as a timeout
 * is, as a request whose fate is unknown.
 */
export class FenceClosedInFlightError extends Error {
  constructor() {
    super("aborted: the lease or claim to send it ran out while the request was on its way");
    this.name = "FenceClosedInFlightError";
  }
}

/** The fence of the send being made, for the REST client's requests made on its behalf. */
const current = new AsyncLocalStorage<() => boolean>();

/** Runs `send` so that every request it makes, retries included, is checked against `canSend`. */
function underFence<T>(canSend: () => boolean, send: () => Promise<T>): Promise<T> {
  if (!canSend()) return Promise.reject(new NotSentError());
  const outer = current.getStore();
  return current.run(outer ? () => outer() && canSend() : canSend, send);
}

/**
 * The sender as a deliverer may use it: every send checks the lease right before it is queued,
 * and, through `fencedRequests`, again right before each of its requests leaves the process, so
 * a holding that ran out while a send waited anywhere (this process's queue, the REST client's
 * rate-limit waits, a resend after a 5xx) sends nothing more.
 */
export function fencedSender(sender: Sender, canSend: () => boolean): Sender {
  return {
    createMessage: (channelId, body) =>
      underFence(canSend, () => sender.createMessage(channelId, body)),
    startThread: (channelId, messageId, name) =>
      underFence(canSend, () => sender.startThread(channelId, messageId, name)),
    createForumPost: (forumId, name, message, tags) =>
      underFence(canSend, () => sender.createForumPost(forumId, name, message, tags)),
    openDm: (userId) => underFence(canSend, () => sender.openDm(userId)),
    findForumPost: (guildId, forumId, name) => sender.findForumPost(guildId, forumId, name),
    systemChannel: (guildId) => sender.systemChannel(guildId),
    channelGuild: (channelId) => sender.channelGuild(channelId),
  };
}

/**
 * The REST client's `makeRequest` with the fence of the send it is made for: a request whose
 * fence has closed is refused before it leaves, and one still on its way when its fence closes
 * is abandoned (behind the REST proxy, a request still waiting in the proxy's queue is then
 * dropped there, never forwarded). Requests made outside a fenced send pass as they are.
 */
export function fencedRequests(inner: MakeRequest): MakeRequest {
  return async (url, init) => {
    const canSend = current.getStore();
    if (!canSend) return inner(url, init);
    if (!canSend()) throw new NotSentError();
    const controller = new AbortController();
    const { signal } = init;
    const follow = () => controller.abort(signal?.reason);
    if (signal?.aborted) follow();
    else signal?.addEventListener("abort", follow, { once: true });
    const watch = setInterval(() => {
      if (!canSend()) controller.abort(new FenceClosedInFlightError());
    }, IN_FLIGHT_CHECK_MS);
    try {
      return await inner(url, { ...init, signal: controller.signal });
    } finally {
      clearInterval(watch);
      signal?.removeEventListener("abort", follow);
    }
  };
}
