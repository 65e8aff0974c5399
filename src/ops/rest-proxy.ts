import type { IncomingMessage, ServerResponse } from "node:http";
import { proxyRequests } from "@discordjs/proxy";
// The ESM build, as @discordjs/proxy's own: its error classes are the ones the proxy recognises
// (discord.js loads the CommonJS build, whose DiscordAPIError the proxy would not know).
import { REST, RESTEvents } from "@discordjs/rest";
import { Counter, Gauge, Histogram, Registry } from "prom-client";
import { countsGlobally, followRateLimits, messageChannelOf } from "../delivery/rate-feedback.js";
import { DISCORD_SEND_LIMITS, SendQueue } from "../delivery/send-queue.js";
import type { Logger } from "../logger.js";
import { type OpsServer, startOpsServer } from "./http.js";
import { forwarding, forwardingRequests, SenderGoneError } from "./proxy-forwarding.js";
import { requestPath } from "./request-target.js";

/**
 * The slot a request takes in the proxy's queue: every request that counts toward the token's
 * global limit takes one (a message create also its channel's), so reads and sends from every
 * process together stay under it; interaction routes take none.
 */
function slotOf(request: IncomingMessage): { channelId: string | null } | null {
  const path = (requestPath(request.url) ?? "").replace(/^\/api(?:\/v\d+)?/, "");
  if (!countsGlobally(path)) return null;
  return { channelId: messageChannelOf(request.method ?? "GET", path) };
}

/** How the `rest-proxy` role runs. */
export interface RestProxyOptions {
  port: number;
  host: string;
  /** Discord's API (`https://discord.com/api` when unset), or an emulator's. */
  upstream: string | undefined;
  /** Requests per second across every process that sends through this proxy. */
  globalPerSecond: number;
  /** How long one request to Discord may take. */
  timeoutMs: number;
  logger: Logger;
}

/** A running proxy. */
export interface RestProxy {
  port: number;
  close(): Promise<void>;
}

/**
 * The `rest-proxy` role: every process of one bot token sends to Discord through here, so the
 * global limit and the per-route buckets (which belong to the token, not the process) are counted
 * once. The forwarding is `@discordjs/proxy` over one `@discordjs/rest` client, which holds a
 * request back until its bucket allows it. Requests are never retried here after a failure: the
 * process that sent one decides whether it is safe to send again (a message carries a nonce, a
 * forum post does not). Only a 429 is sent again (Discord carried nothing out), with its body,
 * and only while its sender still waits for it.
 */
export async function startRestProxy(options: RestProxyOptions): Promise<RestProxy> {
  const { logger } = options;
  const rest = new REST({
    version: "10",
    retries: 0,
    timeout: options.timeoutMs,
    makeRequest: forwardingRequests(),
    globalRequestsPerSecond: options.globalPerSecond,
    ...(options.upstream ? { api: options.upstream } : {}),
  });
  const registry = new Registry();
  const requests = new Counter({
    name: "paperboy_proxy_requests_total",
    help: "Requests forwarded to Discord, by response status",
    labelNames: ["status"] as const,
    registers: [registry],
  });
  const waits = new Counter({
    name: "paperboy_proxy_rate_limit_waits_total",
    help: "Times a request was held back by a rate limit (the token's global one or a route's)",
    labelNames: ["scope"] as const,
    registers: [registry],
  });
  const waited = new Counter({
    name: "paperboy_proxy_rate_limit_wait_seconds_total",
    help: "Time requests were held back by rate limits",
    registers: [registry],
  });
  // From the queue's grant to Discord's answer: a granted request counts toward the global limit
  // until one window after its answer, so this time is what the proxy's pacing costs in throughput.
  const upstream = new Histogram({
    name: "paperboy_proxy_upstream_seconds",
    help: "Time from a request's grant in the proxy's queue to Discord's answer",
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
    registers: [registry],
  });
  let inFlight = 0;
  new Gauge({
    name: "paperboy_proxy_in_flight",
    help: "Requests received and not yet answered",
    registers: [registry],
    collect() {
      this.set(inFlight);
    },
  });
  rest.on(RESTEvents.RateLimited, (info) => {
    waits.inc({ scope: info.global ? "global" : info.scope });
    waited.inc(info.timeToReset / 1000);
    logger.debug(
      { route: info.route, global: info.global, waitMs: info.timeToReset },
      "holding a request for a rate limit",
    );
  });
  // Every counted request from every process is paced here, as one sender's queue paces its sends:
  // a sliding window that counts a request until one window after Discord answered it, so the
  // processes together never draw a 429 however their requests bunch up. A proxy that just started
  // cannot know what its predecessor sent in the last second, so it waits one window first.
  const queue = new SendQueue({ ...DISCORD_SEND_LIMITS, globalPerSecond: options.globalPerSecond });
  followRateLimits(rest, queue, "all");
  queue.holdAll(1000 + (DISCORD_SEND_LIMITS.answerMarginMs ?? 0));
  const forward = proxyRequests(rest);
  const proxy = async (request: IncomingMessage, response: ServerResponse) => {
    const slot = slotOf(request);
    if (slot) await queue.acquire(slot.channelId);
    // The sender gave up while its send waited here (its timeout): it decides about sending again.
    if (request.socket.destroyed) return;
    inFlight++;
    const timer = upstream.startTimer();
    response.once("close", () => {
      timer();
      inFlight--;
      requests.inc({ status: String(response.statusCode) });
    });
    Promise.resolve(forwarding(request, () => forward(request, response))).catch(
      (error: unknown) => {
        if (error instanceof SenderGoneError) {
          logger.debug(
            { path: requestPath(request.url) },
            "dropped a request its sender gave up on",
          );
          return;
        }
        // Not an answer from Discord (it could not be reached): the sender sees a 502 and retries.
        const { message, code } = error as { message?: string; code?: unknown };
        logger.warn(
          { error: message, code, path: requestPath(request.url) },
          "could not reach Discord",
        );
        if (!response.headersSent) {
          response.writeHead(502, { "content-type": "application/json" });
          response.end(
            JSON.stringify({ message: "the REST proxy could not reach Discord", code: 0 }),
          );
        } else response.destroy();
      },
    );
  };
  const server: OpsServer = await startOpsServer(options.port, options.host, {
    healthz: () => ({
      httpStatus: 200,
      body: { status: "ok", role: "rest-proxy", inFlight },
    }),
    metrics: async () => ({ contentType: registry.contentType, body: await registry.metrics() }),
    route: (request, response) => {
      if (!requestPath(request.url)?.startsWith("/api/")) return false;
      void proxy(request, response);
      return true;
    },
    limits: { maxConnections: 4096, requestTimeoutMs: 0, maxRequestsPerSocket: 0 },
  });
  logger.info(
    { port: server.port, upstream: options.upstream ?? "https://discord.com/api" },
    "REST proxy listening: set REST_PROXY_URL on every other process to reach it",
  );
  return {
    port: server.port,
    close: async () => {
      await server.close();
      rest.clearHashSweeper();
      rest.clearHandlerSweeper();
    },
  };
}
