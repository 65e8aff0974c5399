import type { ChildProcess } from "node:child_process";
import { connect, type Socket } from "node:net";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { OPS_LIMITS } from "../../src/ops/http.js";
import { exited } from "../support/bot-process.js";
import { opsServerProcess } from "../support/ops-server.js";
import { prng } from "../support/prng.js";
import { type RawExchange, rawExchange } from "../support/raw-http.js";

const SEED = Number(process.env.OPS_FUZZ_SEED ?? 20240220);
const REQUESTS = 3000;
const PARALLEL = 48;
const SLOW_CLIENTS = 24;
/** Every status the ops server may give; anything else is a wrong answer. */
const ANSWERS = new Set([200, 400, 404, 405, 408, 431]);

// The server runs in its own process: its survival is the point, and the fuzzing client's work
// must not delay its answers.
let ops: { port: number; process: ChildProcess };
beforeAll(async () => {
  ops = await opsServerProcess();
});
afterAll(async () => {
  ops.process.kill();
  await exited(ops.process);
});

const random = prng(SEED);
const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)] as T;
const int = (max: number) => Math.floor(random() * max);
const bytes = (length: number) => Buffer.from(Array.from({ length }, () => int(256)));
const text = (length: number) =>
  Array.from({ length }, () => String.fromCharCode(32 + int(95))).join("");

const METHODS = ["GET", "HEAD", "POST", "PUT", "DELETE", "PATCH", "OPTIONS", "TRACE", "G", "get"];
const TARGETS = [
  "/healthz",
  "/metrics",
  "//",
  "///healthz",
  "*",
  "%zz",
  "/%zz",
  "/healthz/../metrics",
  "http://x/healthz",
  "http://[::1]:99/metrics?x",
  "https://",
  "/\u00e9",
  "?",
  "#",
  "/healthz?%00",
];
const target = () =>
  pick([() => pick(TARGETS), () => `/${text(int(300))}`, () => `/${"a".repeat(int(30_000))}`])();
const fineHeaders = (count: number) =>
  Array.from({ length: count }, (_, i) => `X-Fine-${i}: ${"v".repeat(int(200))}\r\n`).join("");
const headers = (count: number) =>
  Array.from(
    { length: count },
    // Random names, plain values: a flood costs the server to parse, not the client to build.
    () => `${pick(["X", "Host", "Cookie", text(8)])}: ${"h".repeat(int(200))}\r\n`,
  ).join("");

/** One hostile or odd request, and what a correct server must do with it. */
interface Case {
  chunks: (string | Buffer)[];
  halfClose?: boolean;
  waitMs: number;
  check(result: RawExchange): void;
}

const anyAnswer = (result: RawExchange) => {
  for (const status of result.statuses)
    expect(ANSWERS, result.response.slice(0, 200)).toContain(status);
};

const CASES: (() => Case)[] = [
  // A correct request among the hostile ones must still get the right answer.
  () => ({
    chunks: [
      `GET ${pick(["/healthz", "http://x/healthz", "/healthz?x=%zz"])} HTTP/1.1\r\nHost: x\r\n${fineHeaders(int(20))}Connection: close\r\n\r\n`,
    ],
    waitMs: 5000,
    check(result) {
      expect(result.statuses, JSON.stringify(result)).toEqual([200]);
      expect(result.response).toContain('"status":"ok"');
    },
  }),
  () => ({
    chunks: [`${pick(METHODS)} ${target()} HTTP/1.${int(2)}\r\n${headers(int(10))}\r\n`],
    waitMs: 300,
    check: anyAnswer,
  }),
  () => ({
    chunks: [`GET /healthz HTTP/1.1\r\n${headers(100 + int(4000))}\r\n`],
    waitMs: 300,
    check: anyAnswer,
  }),
  () => ({
    chunks: [`GET /metrics HTTP/1.1\r\nX-Big: ${"b".repeat(8000 + int(40_000))}\r\n\r\n`],
    waitMs: 300,
    check: anyAnswer,
  }),
  () => ({ chunks: [bytes(1 + int(2000))], waitMs: 300, check: anyAnswer }),
  () => ({
    chunks: [`GET /healthz HTTP/1.1\r\nHost: x\r\n${text(int(50))}`],
    halfClose: true,
    waitMs: 300,
    check: anyAnswer,
  }),
  () => ({ chunks: [`${pick(METHODS)} ${target()}`], waitMs: int(20), check: anyAnswer }),
  () => ({
    chunks: [
      `POST /healthz HTTP/1.1\r\nContent-Length: ${pick(["-1", "1e9", "x", "99999999999999999999"])}\r\n\r\n${text(int(100))}`,
    ],
    waitMs: 300,
    check: anyAnswer,
  }),
  () => ({
    chunks: [
      `GET /healthz HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n${pick(["zz\r\n", "0\r\n\r\n", "ffffffffffff\r\n"])}`,
    ],
    waitMs: 300,
    check: anyAnswer,
  }),
];

async function inParallel(total: number, width: number, run: (i: number) => Promise<void>) {
  let next = 0;
  await Promise.all(
    Array.from({ length: width }, async () => {
      while (next < total) await run(next++);
    }),
  );
}

describe("the ops port under a fuzz of hostile requests", () => {
  test(`${REQUESTS} random and malformed requests, with slow clients alongside, get right answers (seed ${SEED})`, async () => {
    // Clients that trickle headers and never finish them, for as long as the whole run.
    const slow = Array.from({ length: SLOW_CLIENTS }, () =>
      rawExchange(
        ops.port,
        ["GET /healthz HTTP/1.1\r\n", ...Array.from({ length: 200 }, (_, i) => `X-${i}: slow\r\n`)],
        { gapMs: 200, waitMs: 30_000 },
      ),
    );
    await inParallel(REQUESTS, PARALLEL, async () => {
      const fuzzCase = pick(CASES)();
      const result = await rawExchange(ops.port, fuzzCase.chunks, fuzzCase);
      fuzzCase.check(result);
    });
    for (const result of await Promise.all(slow)) {
      expect(result.closedByServer).toBe(true);
      expect(result.statuses).toEqual([408]);
    }
    const response = await fetch(`http://127.0.0.1:${ops.port}/healthz`);
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ status: "ok" });
    expect(ops.process.exitCode).toBeNull();
  }, 60_000);
});

describe("the ops port's connection limit", () => {
  test("refuses connections past the limit, then serves again once they go", async () => {
    const idle: Socket[] = [];
    const closedEarly: boolean[] = [];
    for (let i = 0; i < OPS_LIMITS.maxConnections + 20; i++) {
      const socket = connect(ops.port, "127.0.0.1");
      const index = closedEarly.push(false) - 1;
      socket.on("close", () => {
        closedEarly[index] = true;
      });
      socket.on("error", () => {});
      idle.push(socket);
      await new Promise((resolve) => socket.once("connect", resolve));
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(closedEarly.filter(Boolean).length).toBeGreaterThanOrEqual(20);
    for (const socket of idle) socket.destroy();
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect((await fetch(`http://127.0.0.1:${ops.port}/healthz`)).status).toBe(200);
    expect(ops.process.exitCode).toBeNull();
  });
});
