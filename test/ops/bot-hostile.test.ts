import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { type BotProcess, exited, spawnBot } from "../support/bot-process.js";
import { type DeliveryWorld, deliveryWorld } from "../support/delivery-world.js";
import { rawExchange } from "../support/raw-http.js";

let world: DeliveryWorld;
let bot: BotProcess;
let port: number;
beforeAll(async () => {
  world = await deliveryWorld({ emulator: { rateLimits: { enabled: false } } });
  bot = spawnBot({ ...world.env, HTTP_PORT: "0", HTTP_HOST: "127.0.0.1" }, "info");
  port = await new Promise<number>((resolve, reject) => {
    const look = setInterval(() => {
      const serving = bot.logLines().find((line) => line.msg === "serving /healthz and /metrics");
      if (serving) {
        clearInterval(look);
        resolve(Number(serving.port));
      }
    }, 50);
    bot.process.once("exit", () => {
      clearInterval(look);
      reject(new Error(`the bot exited: ${bot.output()}`));
    });
  });
}, 60_000);
afterAll(async () => {
  bot.process.kill("SIGTERM");
  await exited(bot.process);
  await world.emulator.close();
});

async function healthz(): Promise<{ status: number; body: Record<string, unknown> }> {
  const response = await fetch(`http://127.0.0.1:${port}/healthz`);
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

describe("the running bot's ops port", () => {
  test("answers GET // and other hostile requests, and /healthz still tells the truth", async () => {
    const hostile = [
      "GET // HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n",
      "GET http://x/healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n",
      "GET %zz HTTP/1.1\r\nHost: x\r\n\r\n",
      "DELETE /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n",
      `GET /healthz HTTP/1.1\r\nX-Big: ${"b".repeat(40_000)}\r\n\r\n`,
      "\u0000\u0001garbage\r\n\r\n",
    ];
    const statuses = [];
    for (const request of hostile)
      statuses.push((await rawExchange(port, [request], { waitMs: 3000 })).statuses[0]);
    expect(statuses).toEqual([404, expect.any(Number), 400, 405, 431, 400]);
    // The absolute-form /healthz is a health answer: 503 while the bot is still starting.
    expect([200, 503]).toContain(statuses[1]);
    expect(bot.process.exitCode).toBeNull();
    // Ready or still starting, the answer is one of the two the bot can truthfully give.
    let answer = await healthz();
    for (let i = 0; i < 100 && answer.body.status === "starting"; i++) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      answer = await healthz();
    }
    expect(answer.status).toBe(200);
    expect(answer.body).toMatchObject({
      status: "ok",
      role: "deliverer",
      database: { state: "ok" },
      gateway: { state: "connected" },
    });
  }, 60_000);
});
