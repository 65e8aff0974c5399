import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { type OpsServer, startOpsServer } from "../../src/ops/http.js";
import { opsServer } from "../support/ops-server.js";
import { rawExchange } from "../support/raw-http.js";

let ops: OpsServer;
beforeAll(async () => {
  ops = await opsServer();
});
afterAll(() => ops.close());

const request = (line: string, headers = "Host: x\r\nConnection: close\r\n") =>
  `${line}\r\n${headers}\r\n`;
const send = (text: string | Buffer) => rawExchange(ops.port, [text], { waitMs: 2000 });

async function stillHealthy(): Promise<void> {
  const response = await fetch(`http://127.0.0.1:${ops.port}/healthz`);
  expect(response.status).toBe(200);
  expect(await response.json()).toMatchObject({ status: "ok", database: { state: "ok" } });
}

describe("the ops port under hostile requests", () => {
  test.each([
    ["GET // HTTP/1.1", 404],
    ["GET //healthz HTTP/1.1", 404],
    ["GET /%zz HTTP/1.1", 404],
    ["GET * HTTP/1.1", 400],
    ["GET http://x/healthz HTTP/1.1", 200],
    ["GET /healthz?x=%zz HTTP/1.1", 200],
    ["GET /metrics HTTP/1.0", 200],
  ])("%s is answered %i and the server keeps serving", async (line, status) => {
    const { statuses } = await send(request(line));
    expect(statuses[0]).toBe(status);
    await stillHealthy();
  });

  test("a method other than GET or HEAD is 405 with Allow", async () => {
    for (const method of ["POST", "PUT", "DELETE", "OPTIONS", "PROPFIND"]) {
      const { response, statuses } = await send(request(`${method} /healthz HTTP/1.1`));
      expect(statuses[0], method).toBe(405);
      expect(response.toLowerCase()).toContain("allow: get, head");
    }
  });

  test("a method HTTP does not know is refused by the parser with 400", async () => {
    const { statuses } = await send(request("BREW /healthz HTTP/1.1"));
    expect(statuses).toEqual([400]);
  });

  test("HEAD /healthz answers its status and headers without a body", async () => {
    const { response, statuses } = await send(
      request("HEAD /healthz HTTP/1.1", "Host: x\r\nConnection: close\r\n"),
    );
    expect(statuses).toEqual([200]);
    expect(response.endsWith("\r\n\r\n")).toBe(true);
  });

  test("a target longer than the header limit is 431", async () => {
    const { statuses } = await send(request(`GET /${"a".repeat(40_000)} HTTP/1.1`));
    expect(statuses).toEqual([431]);
    await stillHealthy();
  });

  test("a flood of headers past 16 KiB is 431", async () => {
    const headers = Array.from({ length: 3000 }, (_, i) => `X-${i}: ${"v".repeat(8)}\r\n`).join("");
    const { statuses } = await send(request("GET /healthz HTTP/1.1", headers));
    expect(statuses).toEqual([431]);
    await stillHealthy();
  });

  test("garbage bytes are 400 and the socket is closed", async () => {
    const result = await send(Buffer.from([0, 1, 2, 255, 13, 10, 13, 10]));
    expect(result.statuses).toEqual([400]);
    expect(result.closedByServer).toBe(true);
  });

  test("a client that never finishes its headers is cut off with 408", async () => {
    const trickle = [
      "GET /healthz HTTP/1.1\r\n",
      ...Array.from({ length: 40 }, (_, i) => `X-${i}: y\r\n`),
    ];
    const started = Date.now();
    const result = await rawExchange(ops.port, trickle, { gapMs: 250, waitMs: 15_000 });
    expect(result.closedByServer).toBe(true);
    expect(result.statuses).toEqual([408]);
    expect(Date.now() - started).toBeLessThan(8_000);
    await stillHealthy();
  }, 20_000);

  test("a half-closed request is still answered", async () => {
    const result = await rawExchange(ops.port, [request("GET /healthz HTTP/1.1")], {
      halfClose: true,
    });
    expect(result.statuses).toEqual([200]);
  });

  test("pipelined requests are each answered, in order", async () => {
    const three = [
      request("GET /healthz HTTP/1.1", "Host: x\r\n"),
      request("GET // HTTP/1.1", "Host: x\r\n"),
      request("POST / HTTP/1.1"),
    ].join("");
    const result = await rawExchange(ops.port, [three], { waitMs: 500 });
    expect(result.statuses).toEqual([200, 404, 405]);
  });
});

describe("the ops server's own failures", () => {
  test("a health source that throws is a 500, and the next request is answered", async () => {
    let broken = true;
    const server = await startOpsServer(0, "127.0.0.1", {
      health: () => {
        if (broken) throw new Error("snapshot failed");
        return { starting: true } as never;
      },
      metrics: () => Promise.reject(new Error("registry failed")),
    });
    try {
      const healthz = await fetch(`http://127.0.0.1:${server.port}/healthz`);
      expect(healthz.status).toBe(500);
      expect(await healthz.text()).toContain("snapshot failed");
      const metrics = await fetch(`http://127.0.0.1:${server.port}/metrics`);
      expect(metrics.status).toBe(500);
      broken = false;
      expect((await fetch(`http://127.0.0.1:${server.port}/healthz`)).status).toBe(503);
    } finally {
      await server.close();
    }
  });

  test("a port in use rejects with EADDRINUSE, so the caller can name HTTP_PORT", async () => {
    await expect(opsServerOn(ops.port)).rejects.toMatchObject({ code: "EADDRINUSE" });
  });
});

function opsServerOn(port: number) {
  return startOpsServer(port, "127.0.0.1", {
    health: () => {
      throw new Error("unused");
    },
    metrics: async () => ({ contentType: "text/plain", body: "" }),
  });
}
