import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";

/** What `/healthz` checks. */
export interface Health {
  ready: boolean;
  gateway: boolean;
  database: boolean;
  /**
   * Whether this process delivers or stands by for another one on the same database. A standby
   * is healthy (it is doing its job), so it does not turn the answer into a 503.
   */
  role: "deliverer" | "standby";
}

/** Serves `/healthz` (200 when ready, connected and writable, deliverer or standby; else 503) and `/metrics`. */
export async function startOpsServer(
  port: number,
  host: string,
  sources: { health(): Health; metrics(): Promise<{ contentType: string; body: string }> },
): Promise<{ server: Server; port: number; close(): Promise<void> }> {
  const server = createServer((request, response) => {
    const path = new URL(request.url ?? "/", "http://ops").pathname;
    if (path === "/healthz") {
      const health = sources.health();
      const ok = health.ready && health.gateway && health.database;
      response.writeHead(ok ? 200 : 503, { "content-type": "application/json" });
      response.end(JSON.stringify({ status: ok ? "ok" : "unhealthy", ...health }));
      return;
    }
    if (path === "/metrics") {
      sources.metrics().then(
        ({ contentType, body }) => {
          response.writeHead(200, { "content-type": contentType });
          response.end(body);
        },
        (error: unknown) => {
          response.writeHead(500, { "content-type": "text/plain" });
          response.end(String(error));
        },
      );
      return;
    }
    response.writeHead(404, { "content-type": "text/plain" });
    response.end("not found: try /healthz or /metrics\n");
  });
  await new Promise<void>((resolve) => server.listen(port, host, resolve));
  return {
    server,
    port: (server.address() as AddressInfo).port,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
