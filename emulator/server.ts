import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { Clock } from "./clock.js";
import type { EmulatorContext } from "./context.js";
import { handleControl } from "./control/index.js";
import { ApiError, unauthorized } from "./errors.js";
import { FaultPlan } from "./faults.js";
import { Gateway } from "./gateway.js";
import {
  DEFAULT_GATEWAY_LIMITS,
  type GatewayLimitSettings,
  GatewayLimits,
} from "./gateway-limits.js";
import { InteractionEndpoint } from "./interaction-endpoint.js";
import { Interactions } from "./interactions.js";
import {
  type BanSettings,
  banned,
  DEFAULT_BANS,
  InvalidRequestLimit,
  RateLimiter,
  type RateLimitSettings,
  tooManyRequests,
} from "./ratelimit.js";
import { gateBody, requestLog } from "./requests.js";
import { channelRoutes } from "./rest/channels.js";
import { commandRoutes } from "./rest/commands.js";
import { dmRoutes } from "./rest/dms.js";
import { interactionRoutes } from "./rest/interactions.js";
import { miscRoutes } from "./rest/misc.js";
import { matchRoute, type Route } from "./router.js";
import { SnowflakeFactory } from "./snowflake.js";
import { World } from "./state.js";

export interface EmulatorOptions {
  port?: number;
  host?: string;
  token?: string;
  shards?: number;
  /** `max_concurrency` in `session_start_limit` (default 1, as for most bots). */
  maxConcurrency?: number;
  /** Privileged intents enabled for the application; others close with 4014 (default none). */
  privilegedIntents?: GatewayLimitSettings["privilegedIntents"];
  /** Session starts, guilds per shard and the gateway send limit (defaults: Discord's). */
  gatewayLimits?: Partial<GatewayLimitSettings>;
  /** The invalid-request limit: threshold, window, ban duration and the banned status. */
  invalidRequests?: Partial<BanSettings>;
  botName?: string;
  heartbeatIntervalMs?: number;
  nonceWindowMs?: number;
  rateLimits?: Partial<RateLimitSettings>;
  /**
   * An Interactions Endpoint URL: interactions are POSTed there, signed with a key made at
   * start (its public half is `Emulator.interactionsPublicKey`), instead of sent over the gateway.
   */
  interactionsUrl?: string;
  /**
   * Users known from the start, to whom the bot may open a DM; `dmsOpen: false` for one who
   * closed DMs to the bot (messages to them answer 403/50007). Users who interact are known too.
   */
  users?: { id: string; username?: string; dmsOpen?: boolean }[];
}

/** A running emulator. */
export interface Emulator {
  /** `http://host:port` */
  url: string;
  /** What discord.js's `rest.api` option takes: `http://host:port/api`. */
  apiUrl: string;
  token: string;
  ctx: EmulatorContext;
  gateway: Gateway;
  close(): Promise<void>;
}

const API_PREFIX = "/api/v10";
const MAX_BODY = 8 * 1024 * 1024;

function readBody(request: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    request.on("data", (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY) reject(new ApiError(413, 40005, "Request entity too large"));
      else chunks.push(chunk);
    });
    request.on("end", () => resolve(Buffer.concat(chunks).toString("utf8")));
    request.on("error", reject);
  });
}

function send(
  response: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  if (response.destroyed) return;
  const text = body === undefined ? "" : JSON.stringify(body);
  response.writeHead(status, {
    ...headers,
    ...(body === undefined ? {} : { "Content-Type": "application/json" }),
    "Content-Length": Buffer.byteLength(text).toString(),
  });
  response.end(text);
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Starts the emulator on `host:port` (port 0 picks a free one). */
export async function startEmulator(options: EmulatorOptions = {}): Promise<Emulator> {
  const clock = new Clock();
  const world = new World(new SnowflakeFactory(), clock, options.botName ?? "Paperboy");
  for (const user of options.users ?? []) {
    world.dms.know(user.id, { username: user.username });
    if (user.dmsOpen === false) world.dms.setOpen(user.id, false);
  }
  const settings: RateLimitSettings = {
    enabled: true,
    globalPerSecond: 50,
    channelMessagesPer5s: 5,
    ...options.rateLimits,
  };
  let address = "";
  const ctx: EmulatorContext = {
    world,
    clock,
    limiter: new RateLimiter(settings, clock),
    bans: new InvalidRequestLimit({ ...DEFAULT_BANS, ...options.invalidRequests }, clock),
    faults: new FaultPlan(),
    interactions: new Interactions(
      world,
      options.interactionsUrl ? new InteractionEndpoint(options.interactionsUrl) : null,
    ),
    commands: new Map(),
    stats: {
      requests: 0,
      rateLimited: { user: 0, global: 0, shared: 0 },
      lastLimited: [],
      byStatus: {},
    },
    token: options.token ?? "emulator-token",
    shardCount: options.shards ?? 1,
    gatewayLimits: new GatewayLimits(
      {
        ...DEFAULT_GATEWAY_LIMITS,
        ...options.gatewayLimits,
        ...(options.maxConcurrency === undefined ? {} : { maxConcurrency: options.maxConcurrency }),
        ...(options.privilegedIntents ? { privilegedIntents: options.privilegedIntents } : {}),
      },
      clock,
    ),
    nonceWindowMs: options.nonceWindowMs ?? 5 * 60 * 1000,
    gatewayUrl: () => `ws://${address}/gateway`,
  };
  const gateway = new Gateway(ctx, options.heartbeatIntervalMs ?? 41_250);
  world.dispatch = (guildId, event, data, intent) => gateway.dispatch(guildId, event, data, intent);
  const routes: Route[] = [
    ...miscRoutes(ctx),
    ...channelRoutes(ctx),
    ...interactionRoutes(ctx),
    ...commandRoutes(ctx),
    ...dmRoutes(ctx),
  ];

  const server = createServer((request, response) => {
    handle(ctx, gateway, routes, request, response).catch((error: unknown) => {
      send(response, 500, {
        message: "500: Internal Server Error",
        code: 0,
        detail: String(error),
      });
    });
  });
  server.on("upgrade", (request, socket, head) => {
    if ((request.url ?? "").startsWith("/gateway")) gateway.handleUpgrade(request, socket, head);
    else socket.destroy();
  });
  // A taken port rejects here (with its code), for the caller to explain.
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? 0, options.host ?? "127.0.0.1", () => {
      server.off("error", reject);
      resolve();
    });
  });
  const info = server.address() as AddressInfo;
  address = `${info.address}:${info.port}`;
  const url = `http://${address}`;
  return {
    url,
    apiUrl: `${url}/api`,
    token: ctx.token,
    ctx,
    gateway,
    close: async () => {
      gateway.close();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

function count(ctx: EmulatorContext, status: number): void {
  ctx.stats.byStatus[String(status)] = (ctx.stats.byStatus[String(status)] ?? 0) + 1;
}

async function handle(
  ctx: EmulatorContext,
  gateway: Gateway,
  routes: readonly Route[],
  request: IncomingMessage,
  response: ServerResponse,
): Promise<void> {
  const url = new URL(request.url ?? "/", "http://emulator");
  const method = (request.method ?? "GET").toUpperCase();
  const raw = await readBody(request);

  if (url.pathname.startsWith("/_emulator/")) {
    let body: unknown = {};
    try {
      // A GET's query string stands in for its body (`GET requests?route=…`).
      body = raw === "" ? Object.fromEntries(url.searchParams) : JSON.parse(raw);
    } catch {
      send(response, 400, { error: "body is not JSON" });
      return;
    }
    const result = handleControl(ctx, gateway, method, url.pathname, body);
    send(response, result.status, result.body);
    return;
  }

  ctx.stats.requests++;
  // The invalid-request limit works per client IP, before any route or token is looked at.
  const ip = request.socket.remoteAddress ?? "";
  const ban = banned(ctx.bans, ip);
  if (ban) {
    count(ctx, ban.status);
    response.writeHead(ban.status, ban.headers);
    response.end(ban.text);
    return;
  }
  const record = requestLog(ctx).start(
    method,
    url.pathname.startsWith(API_PREFIX) ? url.pathname.slice(API_PREFIX.length) : url.pathname,
    request.headers["user-agent"],
  );
  const reply = (status: number, body: unknown, headers: Record<string, string> = {}) => {
    requestLog(ctx).finish(record, status);
    ctx.bans.record(ip, status, headers["X-RateLimit-Scope"]);
    count(ctx, status);
    send(response, status, body, headers);
  };
  if (!url.pathname.startsWith(`${API_PREFIX}/`)) {
    reply(404, { message: "404: Not Found", code: 0 });
    return;
  }
  const path = url.pathname.slice(API_PREFIX.length);
  const match = matchRoute(routes, method, path);
  if (!match) {
    reply(404, { message: "404: Not Found", code: 0 });
    return;
  }
  const { route, params } = match;
  record.route = `${method} ${route.template}`;
  if (route.auth && request.headers.authorization !== `Bot ${ctx.token}`) {
    const error = unauthorized();
    reply(error.status, error.body());
    return;
  }

  const fault = ctx.faults.take({
    method,
    template: `${method} ${route.template}`,
    path,
    channelId: params.channel ?? null,
  });
  if (fault) {
    if (fault.delayMs > 0) await sleep(fault.delayMs);
    if (fault.reset) {
      count(ctx, 0);
      requestLog(ctx).finish(record, 0);
      request.socket.resetAndDestroy();
      return;
    }
    if (fault.status === 429) {
      const limited = tooManyRequests(fault.scope, fault.retryAfterMs);
      ctx.stats.rateLimited[fault.scope]++;
      reply(429, limited.body, limited.headers);
      return;
    }
    if (fault.status === 400) {
      reply(400, {
        code: 50035,
        message: "Invalid Form Body",
        errors: {
          _emulated: { _errors: [{ code: "EMULATED_FAULT", message: "Refused by a fault rule" }] },
        },
      });
      return;
    }
    if (fault.status !== null) {
      reply(fault.status, { message: `${fault.status}: Emulated fault`, code: 0 });
      return;
    }
  }

  let decision: ReturnType<RateLimiter["take"]>;
  try {
    decision = ctx.limiter.take(route.bucket, route.major(params));
  } catch (error) {
    const failure = error instanceof ApiError ? error : new ApiError(500, 0, String(error));
    reply(failure.status, failure.body());
    return;
  }
  if (!decision.ok) {
    const limited = tooManyRequests(decision.scope, decision.retryAfterMs, decision.headers);
    ctx.stats.rateLimited[decision.scope]++;
    ctx.stats.lastLimited.push({ route: record.route, scope: decision.scope, at: Date.now() });
    if (ctx.stats.lastLimited.length > 20) ctx.stats.lastLimited.shift();
    reply(429, limited.body, limited.headers);
    return;
  }

  let body: unknown;
  try {
    body = raw === "" ? undefined : JSON.parse(raw);
  } catch {
    reply(
      400,
      { message: "The request body contains invalid JSON.", code: 50109 },
      decision.headers,
    );
    return;
  }
  const refused = gateBody(ctx, record, route, params, body);
  if (refused) {
    reply(refused.status, refused.body(), decision.headers);
    return;
  }
  try {
    const result = await route.handle({
      method,
      path,
      template: route.template,
      params,
      query: url.searchParams,
      body,
      headers: request.headers,
    });
    const status = result.status ?? (result.body === undefined ? 204 : 200);
    reply(status, result.body, decision.headers);
  } catch (error) {
    if (error instanceof ApiError) reply(error.status, error.body(), decision.headers);
    else
      reply(
        500,
        { message: "500: Internal Server Error", code: 0, detail: String(error) },
        decision.headers,
      );
  }
}
