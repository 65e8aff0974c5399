import { afterEach, describe, expect, test } from "vitest";
import type { ShardRecord } from "../../emulator/gateway.js";
import type { Emulator, EmulatorOptions } from "../../emulator/server.js";
import { control, readyClient, rest, testEmulator } from "../support/discord.js";
import { raw, ready } from "../support/raw-gateway.js";

const cleanup: (() => unknown)[] = [];
afterEach(async () => {
  for (const step of cleanup.splice(0).reverse()) await step();
});

async function emulator(options: EmulatorOptions = {}): Promise<Emulator> {
  const e = await testEmulator(options);
  cleanup.push(() => e.close());
  return e;
}

interface StartLimit {
  total: number;
  remaining: number;
  reset_after: number;
  max_concurrency: number;
}
const startLimit = async (e: Emulator) =>
  (await rest(e, "GET", "/gateway/bot")).body.session_start_limit as StartLimit;

describe("gateway sessions", () => {
  test("session_start_limit.remaining counts down per identify and refills after reset_after (docs: events/gateway#session-start-limit-object)", async () => {
    const e = await emulator();
    expect(await startLimit(e)).toEqual({
      total: 1000,
      remaining: 1000,
      reset_after: 86_400_000,
      max_concurrency: 1,
    });
    const c = await raw(cleanup, e);
    c.identify();
    await c.next(ready);
    const after = await startLimit(e);
    expect(after.remaining).toBe(999);
    await control(e, "POST", "clock", { advance_ms: after.reset_after });
    expect((await startLimit(e)).remaining).toBe(1000);
  });

  test("with no session starts left discord.js refuses to log in, and a raw identify is closed with 4004 (docs: events/gateway#identifying)", async () => {
    const e = await emulator({ gatewayLimits: { sessionStartTotal: 1 } });
    const bot = await readyClient(e);
    await bot.destroy();
    expect((await startLimit(e)).remaining).toBe(0);
    const { Client, GatewayIntentBits } = await import("discord.js");
    const late = new Client({ intents: [GatewayIntentBits.Guilds], rest: { api: e.apiUrl } });
    cleanup.push(() => late.destroy());
    await expect(late.login(e.token)).rejects.toThrow(/Not enough sessions remaining/);
    // Discord ends every session and resets the token when the limit is hit.
    const c = await raw(cleanup, e);
    c.identify();
    expect(await c.closed).toBe(4004);
  });

  test("GET /_emulator/gateway tells each shard's state, session, seq and identify/ready/resume counts", async () => {
    const e = await emulator();
    await control(e, "POST", "guilds", { name: "Lab" });
    const first = await raw(cleanup, e);
    first.identify();
    const { d } = await first.next(ready);
    const sessionId = (d as { session_id: string }).session_id;
    await first.next((f) => f.t === "GUILD_CREATE");
    first.ws.close(4200);
    await first.closed;
    const shard = async () =>
      (await control<{ shards: ShardRecord[] }>(e, "GET", "gateway")).shards[0];
    expect(await shard()).toMatchObject({ state: "disconnected", last_close_code: 4200, seq: 2 });
    const second = await raw(cleanup, e);
    second.send(6, { token: e.token, session_id: sessionId, seq: 2 });
    await second.next((f) => f.t === "RESUMED");
    expect(await shard()).toEqual({
      shard_id: 0,
      shard_count: 1,
      state: "connected",
      session_id: sessionId,
      seq: 3,
      identified: 1,
      ready: 1,
      resumed: 1,
      last_close_code: 4200,
    });
    await control(e, "POST", "gateway/disconnect", { code: 4009 });
    expect(await shard()).toMatchObject({ state: "closed" });
  });
});
