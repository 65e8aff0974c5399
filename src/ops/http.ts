import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo, Socket } from "node:net";
import { type HealthSnapshot, healthAnswer } from "./health.js";
import { requestPath } from "./request-target.js";

/** Node's server limits: a client gets this much of the ops port and no more. */
export const OPS_LIMITS = {
  maxHeaderSize: 16 * 1024,
  /** A client must send its whole header within this (slowloris). */
  headersTimeoutMs: 5_000,
  requestTimeoutMs: 10_000,
  keepAliveTimeoutMs: 5_000,
  /** How often Node looks for clients past those timeouts. */
  checkIntervalMs: 1_000,
  maxConnections: 128,
  maxRequestsPerSocket: 100,
} as const;

/** How long the gateway may be disconnected before `/healthz` says so, unless the caller says. */
export const DEFAULT_GATEWAY_GRACE_MS = 60_000;

/** What the ops server serves. */
export interface OpsSources {
  /** The bot's parts, for `/healthz`; or `healthz` answers it whole (a role without them). */
  health?(): HealthSnapshot;
  healthz?(): { httpStatus: number; body: unknown };
  /** Absent: `/metrics` is not served here (404). */
  metrics?(): Promise<{ contentType: string; body: string }>;
  gatewayGraceMs?: number;
  /** Gets every request first; true when it answers it (the REST proxy's `/api/…`). */
  route?(request: IncomingMessage, response: ServerResponse): boolean;
  /** Other limits than `OPS_LIMITS` (0: none), for a server that carries more than ops. */
  limits?: Partial<Pick<OpsLimits, "maxConnections" | "requestTimeoutMs" | "maxRequestsPerSocket">>;
}

type OpsLimits = { -readonly [K in keyof typeof OPS_LIMITS]: number };

/** The ops server, listening. */
export interface OpsServer {
  server: Server;
  port: number;
  close(): Promise<void>;
}

/**
 * Serves `/healthz` and `/metrics` (GET and HEAD). Any request, however malformed, gets an answer
 * or a closed socket, never an exception. Rejects with the listen error (its `code` is
 * `EADDRINUSE` or `EACCES`) when the port cannot be had.
 */
export async function startOpsServer(
  port: number,
  host: string,
  sources: OpsSources,
): Promise<OpsServer> {
  const limits: OpsLimits = { ...OPS_LIMITS, ...sources.limits };
  const server = createServer(
    {
      maxHeaderSize: limits.maxHeaderSize,
      headersTimeout: limits.headersTimeoutMs,
      requestTimeout: limits.requestTimeoutMs,
      keepAliveTimeout: limits.keepAliveTimeoutMs,
      connectionsCheckingInterval: limits.checkIntervalMs,
    },
    (request, response) => {
      try {
        if (!sources.route?.(request, response)) answer(request, response, sources);
      } catch (error) {
        fail(response, error);
      }
    },
  );
  if (limits.maxConnections > 0) server.maxConnections = limits.maxConnections;
  server.maxRequestsPerSocket = limits.maxRequestsPerSocket;
  server.on("clientError", refuse);
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, host, () => {
      server.off("error", reject);
      resolve();
    });
  });
  // After listening, a server error concerns one connection at most; it must not end the process.
  server.on("error", () => {});
  return {
    server,
    port: (server.address() as AddressInfo).port,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

function answer(request: IncomingMessage, response: ServerResponse, sources: OpsSources): void {
  if (request.method !== "GET" && request.method !== "HEAD") {
    send(response, 405, "text/plain", "only GET and HEAD\n", { allow: "GET, HEAD" });
    return;
  }
  const path = requestPath(request.url);
  if (path === "/healthz") {
    const { httpStatus, body } = sources.health
      ? healthAnswer(
          sources.health(),
          Date.now(),
          sources.gatewayGraceMs ?? DEFAULT_GATEWAY_GRACE_MS,
        )
      : (sources.healthz?.() ?? { httpStatus: 200, body: { status: "ok" } });
    send(response, httpStatus, "application/json", JSON.stringify(body), {
      "cache-control": "no-store",
    });
    return;
  }
  if (path === "/metrics" && sources.metrics) {
    sources.metrics().then(
      ({ contentType, body }) => send(response, 200, contentType, body),
      (error: unknown) => fail(response, error),
    );
    return;
  }
  if (path === null) {
    send(response, 400, "text/plain", "bad request target: try /healthz or /metrics\n");
    return;
  }
  send(response, 404, "text/plain", "not found: try /healthz or /metrics\n");
}

/** Answers with `body` unless an answer already went out (or the client left). */
export function send(
  response: ServerResponse,
  status: number,
  contentType: string,
  body: string,
  headers: Record<string, string> = {},
): void {
  if (response.headersSent || response.destroyed) return;
  response.writeHead(status, {
    "content-type": contentType,
    "content-length": Buffer.byteLength(body),
    ...headers,
  });
  response.end(body);
}

/** A handler failed: a 500 if nothing was sent yet, else the connection is cut. */
function fail(response: ServerResponse, error: unknown): void {
  if (response.headersSent) {
    response.destroy();
    return;
  }
  const reason = error instanceof Error ? error.message : String(error);
  send(response, 500, "text/plain", `internal error: ${reason}\n`);
}

const CLIENT_ERROR_STATUS: Record<string, string> = {
  HPE_HEADER_OVERFLOW: "431 Request Header Fields Too Large",
  ERR_HTTP_REQUEST_TIMEOUT: "408 Request Timeout",
  HPE_HEADERS_TIMEOUT: "408 Request Timeout",
};

/** A request Node could not parse, too large or too slow: a short answer, then the socket closes. */
function refuse(error: Error & { code?: string }, socket: Socket): void {
  const status = CLIENT_ERROR_STATUS[error.code ?? ""] ?? "400 Bad Request";
  const gone = error.code === "ECONNRESET" || error.code === "EPIPE";
  if (!gone && socket.writable) {
    socket.write(`HTTP/1.1 ${status}\r\nconnection: close\r\ncontent-length: 0\r\n\r\n`);
  }
  socket.destroy();
}
