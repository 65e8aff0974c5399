import { AsyncLocalStorage } from "node:async_hooks";
import type { IncomingMessage } from "node:http";
import { Readable } from "node:stream";
import { buffer } from "node:stream/consumers";
import { DefaultRestOptions, type RESTOptions } from "@discordjs/rest";

type MakeRequest = RESTOptions["makeRequest"];

/** The request a process sent to the proxy, dropped because that process gave up on it. */
export class SenderGoneError extends Error {
  constructor() {
    super("the process that sent this request gave up on it; not forwarded");
    this.name = "SenderGoneError";
  }
}

/** One request being forwarded: the sender's connection, and its body once read. */
interface Forwarding {
  sender: IncomingMessage;
  body?: Buffer;
}

const current = new AsyncLocalStorage<Forwarding>();

/** Forwards `sender`'s request with `forward`, every attempt of it checked by `forwardingRequests`. */
export function forwarding<T>(sender: IncomingMessage, forward: () => T): T {
  return current.run({ sender }, forward);
}

/**
 * The proxy's `makeRequest`. The REST client waits out a 429 from Discord and sends the request
 * again, which is safe (Discord carried nothing out), so:
 * - the body is read once and kept, so the second attempt carries it too (the sender's stream is
 *   spent after the first);
 * - an attempt whose sender has since gone (its claim ran out, it timed out or died) is dropped,
 *   so nothing is sent for a process that no longer waits for it.
 */
export function forwardingRequests(
  inner: MakeRequest = DefaultRestOptions.makeRequest,
): MakeRequest {
  return async (url, init) => {
    const request = current.getStore();
    if (!request) return inner(url, init);
    if (request.sender.socket.destroyed) throw new SenderGoneError();
    if (request.body === undefined && init.body instanceof Readable)
      request.body = await buffer(init.body);
    return request.body === undefined
      ? inner(url, init)
      : inner(url, { ...init, body: request.body });
  };
}
