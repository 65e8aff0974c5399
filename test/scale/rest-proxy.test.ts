import { afterAll, expect, test } from "vitest";
import { subscriptionInput } from "../../src/delivery/subscription.js";
import { startRestProxy } from "../../src/ops/rest-proxy.js";
import { sqliteBackend } from "../support/backends.js";
import { type BotProcess, exited, spawnBot } from "../support/bot-process.js";
import { type DeliveryWorld, deliveryWorld, receivedTitles } from "../support/delivery-world.js";
import { control } from "../support/discord.js";
import { memoryLogger } from "../support/logger.js";
import { tempDir } from "../support/paths.js";
import { freePort } from "../support/ports.js";

const started: BotProcess[] = [];
let world: DeliveryWorld | undefined;
afterAll(async () => {
  for (const proc of started) proc.process.kill("SIGKILL");
  await world?.emulator.close();
});

function start(env: Record<string, string>, level = "info"): BotProcess {
  const proc = spawnBot(env, level);
  started.push(proc);
  return proc;
}

async function until(check: () => boolean | Promise<boolean>, ms: number, what: () => string) {
  const deadline = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`${what()}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

async function proxyAnswers(port: number): Promise<boolean> {
  try {
    return (await fetch(`http://127.0.0.1:${port}/healthz`)).status === 200;
  } catch {
    return false;
  }
}

test("every request goes through the rest-proxy process; killed mid-delivery and restarted, every paper still arrives once, with no 429", async () => {
  const DATABASE_URL = await sqliteBackend.databaseUrl(tempDir());
  world = await deliveryWorld({
    env: {
      CATCH_UP: "true",
      SEND_RATE_PER_SECOND: "10",
      DELIVERY_RETRY_SECONDS: "1",
      DELIVERY_RETRY_MAX_SECONDS: "2",
      DATABASE_URL,
    },
  });
  const { emulator, guild } = world;
  const { store, close } = await sqliteBackend.open(DATABASE_URL);
  const channels: string[] = [];
  for (let i = 0; i < 24; i++) {
    const { id } = await control<{ id: string }>(emulator, "POST", `guilds/${guild.id}/channels`, {
      name: `p${i}`,
      type: 0,
    });
    channels.push(id);
    await store.saveSubscription(subscriptionInput(id, guild.id, "embeds"));
  }
  await store.saveGuildSettings(guild.id, {
    schedule: "0 9 * * *",
    timezone: "UTC",
    lastRunAt: new Date(Date.now() - 2 * 86_400_000).toISOString(),
  });
  await close();

  const port = await freePort();
  const proxyEnv = {
    ROLE: "rest-proxy",
    REST_PROXY_PORT: String(port),
    DISCORD_API_URL: emulator.apiUrl,
    // The global rate is the proxy's to keep: slow enough that it dies mid-delivery.
    SEND_RATE_PER_SECOND: "10",
    DISCORD_TOKEN: "",
    DATABASE_URL: "",
  };
  let proxy = start(proxyEnv);
  await until(
    () => proxyAnswers(port),
    20_000,
    () => `the proxy did not start:\n${proxy.output()}`,
  );
  // Discord is reachable only through the proxy: the bot's own API URL leads nowhere.
  const bot = start({
    ...world.env,
    DISCORD_API_URL: "http://127.0.0.1:9/api",
    REST_PROXY_URL: `http://127.0.0.1:${port}`,
  });
  const stored = () => emulator.ctx.world.messages.size;
  await until(
    () => stored() >= 15,
    30_000,
    () => `nothing was delivered through the proxy:\n${bot.output()}\n${proxy.output()}`,
  );
  proxy.process.kill("SIGKILL");
  await exited(proxy.process);
  // A request the proxy had already passed on before it died may still be stored: let it land.
  await new Promise((resolve) => setTimeout(resolve, 500));
  const atKill = stored();
  await new Promise((resolve) => setTimeout(resolve, 2_000));
  // Nothing reaches Discord while the proxy is away.
  expect(stored()).toBe(atKill);
  expect(bot.process.exitCode).toBeNull();
  proxy = start(proxyEnv);
  await until(
    () => proxyAnswers(port),
    20_000,
    () => `the proxy did not restart:\n${proxy.output()}`,
  );

  const check = await sqliteBackend.open(DATABASE_URL);
  await until(
    async () =>
      (await check.store.lastDeliveries(100)).filter((d) => d.status === "done").length ===
      channels.length,
    60_000,
    () => `the deliveries did not finish after the proxy came back:\n${bot.output()}`,
  );
  await check.close();
  for (const id of channels) {
    const titles = await receivedTitles(emulator, guild, id);
    expect(titles, `channel ${id}`).toHaveLength(14);
    expect(new Set(titles).size).toBe(14);
  }
  expect(emulator.ctx.stats.rateLimited).toEqual({ user: 0, global: 0, shared: 0 });
  const metrics = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
  expect(metrics).toMatch(/paperboy_proxy_requests_total\{status="200"\} \d+/);
  expect(bot.process.exitCode).toBeNull();
  bot.process.kill("SIGTERM");
  proxy.process.kill("SIGTERM");
  await Promise.all([exited(bot.process), exited(proxy.process)]);
  expect(proxy.process.exitCode).toBe(0);
}, 150_000);

test("reads and sends from many clients together stay under the global limit, and a fresh proxy first waits one window", async () => {
  const limited = await deliveryWorld({ emulator: { rateLimits: { globalPerSecond: 20 } } });
  const started = Date.now();
  const proxy = await startRestProxy({
    port: 0,
    host: "127.0.0.1",
    upstream: limited.emulator.apiUrl,
    globalPerSecond: 20,
    timeoutMs: 15_000,
    logger: memoryLogger().logger,
  });
  try {
    const call = async (method: string, path: string, body?: unknown) => {
      const response = await fetch(`http://127.0.0.1:${proxy.port}/api/v10${path}`, {
        method,
        headers: {
          authorization: `Bot ${limited.emulator.token}`,
          "content-type": "application/json",
        },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      });
      await response.arrayBuffer();
      return { status: response.status, at: Date.now() - started };
    };
    const { guild } = limited;
    const reads = Array.from({ length: 30 }, (_, i) =>
      call("GET", `/channels/${i % 2 === 0 ? guild.text : guild.forum}`),
    );
    const sends = Array.from({ length: 5 }, (_, i) =>
      call("POST", `/channels/${guild.text}/messages`, {
        content: `paper ${i}`,
        allowed_mentions: { parse: [] },
      }),
    );
    const answers = await Promise.all([...reads, ...sends]);
    expect(answers.map((a) => a.status)).toEqual(answers.map(() => 200));
    expect(limited.emulator.ctx.stats.rateLimited).toEqual({ user: 0, global: 0, shared: 0 });
    // What the proxy's predecessor sent in its last second may still count: nothing goes before.
    expect(Math.min(...answers.map((a) => a.at))).toBeGreaterThanOrEqual(1_000);
  } finally {
    await proxy.close();
    await limited.emulator.close();
  }
}, 60_000);

test("Discord's refusals pass through the proxy with their status and JSON error code", async () => {
  const w = world ?? (await deliveryWorld());
  world = w;
  const proxy = await startRestProxy({
    port: 0,
    host: "127.0.0.1",
    upstream: w.emulator.apiUrl,
    globalPerSecond: 50,
    timeoutMs: 15_000,
    logger: memoryLogger().logger,
  });
  try {
    const post = (path: string, body: unknown) =>
      fetch(`http://127.0.0.1:${proxy.port}/api/v10${path}`, {
        method: "POST",
        headers: { authorization: `Bot ${w.emulator.token}`, "content-type": "application/json" },
        body: JSON.stringify(body),
      });
    const unknown = await post("/channels/123456789012345678/messages", { content: "x" });
    expect(unknown.status).toBe(404);
    expect(((await unknown.json()) as { code: number }).code).toBe(10003);
    const empty = await post(`/channels/${w.guild.text}/messages`, {});
    expect(empty.status).toBe(400);
    expect(((await empty.json()) as { code: number }).code).toBe(50006);
    const sent = await post(`/channels/${w.guild.text}/messages`, {
      content: "hello",
      allowed_mentions: { parse: [] },
    });
    expect(sent.status).toBe(200);
    const { id } = (await sent.json()) as { id: string };
    const thread = () =>
      post(`/channels/${w.guild.text}/messages/${id}/threads`, { name: "papers" });
    expect((await thread()).status).toBe(201);
    const again = await thread();
    expect(again.status).toBe(400);
    expect(((await again.json()) as { code: number }).code).toBe(160004);
  } finally {
    await proxy.close();
  }
});
