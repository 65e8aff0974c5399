import { type Client, GatewayIntentBits } from "discord.js";
import { afterEach, describe, expect, test } from "vitest";
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

describe("gateway rules", () => {
  test("intent bits Discord does not define close with 4013 (docs: events/gateway#gateway-intents)", async () => {
    const c = await raw(cleanup, await emulator());
    c.identify({ intents: 1 | (1 << 17) });
    expect(await c.closed).toBe(4013);
  });

  test("a privileged intent the application has not enabled closes with 4014; enabled, it connects (docs: events/gateway#privileged-intents)", async () => {
    const strict = await emulator();
    const c = await raw(cleanup, strict);
    c.identify({ intents: GatewayIntentBits.Guilds | GatewayIntentBits.MessageContent });
    expect(await c.closed).toBe(4014);

    const allowed = await emulator({ privilegedIntents: ["MessageContent"] });
    const bot = await readyClient(allowed, {
      intents: [GatewayIntentBits.Guilds, GatewayIntentBits.MessageContent],
    });
    cleanup.push(() => bot.destroy());
    await control(allowed, "POST", "gateway/limits", { privileged_intents: [] });
    const again = await raw(cleanup, allowed);
    again.identify({ intents: GatewayIntentBits.GuildMembers });
    expect(await again.closed).toBe(4014);
  });

  test("discord.js gives up on a 4014 close instead of reconnecting", async () => {
    const e = await emulator();
    const { Client } = await import("discord.js");
    const bot: Client = new Client({
      intents: [GatewayIntentBits.Guilds, GatewayIntentBits.GuildPresences],
      rest: { api: e.apiUrl },
    });
    cleanup.push(() => bot.destroy());
    const disconnected = new Promise<number>((resolve) =>
      bot.on("shardDisconnect", (event) => resolve(event.code)),
    );
    bot.login(e.token).catch(() => undefined);
    expect(await disconnected).toBe(4014);
    expect(e.gateway.stats.identifies).toBe(1);
  });

  test("the 121st event within 60 s closes the connection with 4008 (docs: events/gateway#rate-limiting)", async () => {
    const c = await raw(cleanup, await emulator());
    for (let i = 0; i < 121; i++) c.send(1, null);
    expect(await c.closed).toBe(4008);
    expect(c.frames.filter((f) => f.op === 11)).toHaveLength(120);
  });

  test("resuming with a seq the session never reached closes with 4007 and ends the session (docs: topics/opcodes-and-status-codes#gateway-gateway-close-event-codes)", async () => {
    const e = await emulator();
    const first = await raw(cleanup, e);
    first.identify();
    const { d } = await first.next(ready);
    const sessionId = (d as { session_id: string }).session_id;
    first.ws.close(4200);
    await first.closed;
    const second = await raw(cleanup, e);
    second.send(6, { token: e.token, session_id: sessionId, seq: 99 });
    expect(await second.closed).toBe(4007);
    const third = await raw(cleanup, e);
    third.send(6, { token: e.token, session_id: sessionId, seq: 1 });
    expect((await third.next((f) => f.op === 9)).d).toBe(false);
  });

  test("one shard holding more guilds than allowed closes with 4011 (docs: events/gateway#sharding)", async () => {
    const e = await emulator({ gatewayLimits: { maxGuildsPerShard: 2 } });
    for (const name of ["a", "b", "c"]) await control(e, "POST", "guilds", { name });
    const c = await raw(cleanup, e);
    c.identify();
    expect(await c.closed).toBe(4011);
  });

  test("max_concurrency is 1: a second identify in one bucket within 5 s gets op 9 (docs: events/gateway#rate-limiting)", async () => {
    const e = await emulator();
    const info = await rest(e, "GET", "/gateway/bot");
    expect(info.body.session_start_limit).toMatchObject({ max_concurrency: 1 });
    const first = await raw(cleanup, e);
    first.identify();
    await first.next(ready);
    const second = await raw(cleanup, e);
    second.identify();
    expect((await second.next((f) => f.op === 9)).d).toBe(false);
    await control(e, "POST", "clock", { advance_ms: 5000 });
    second.identify();
    await second.next(ready);
  });
});
