import { appendFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, describe, expect, test } from "vitest";
import { type RunningBot, startBot } from "../../src/app/bot.js";
import { parseDigestBytes } from "../../src/archive/parse-file.js";
import type { DigestParser, ParseOutcome } from "../../src/archive/parse-pool.js";
import { type DeliveryWorld, deliveryWorld } from "../support/delivery-world.js";
import { control } from "../support/discord.js";
import { type InteractionView, slash } from "../support/interact.js";

/** A parser that holds every file until released: the archive stays "loading" meanwhile. */
function heldParser() {
  let release = () => {};
  const released = new Promise<void>((resolve) => {
    release = resolve;
  });
  const parser: DigestParser = {
    async parse(bytes, path): Promise<ParseOutcome> {
      await released;
      return { result: parseDigestBytes(bytes, path), cacheable: true };
    },
    close: async () => release(),
  };
  return { parser, release };
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function view(world: DeliveryWorld, id: string): Promise<InteractionView> {
  return control<InteractionView>(world.emulator, "GET", `interactions/${id}`);
}

async function until(world: DeliveryWorld, id: string, done: (v: InteractionView) => boolean) {
  for (let waited = 0; waited < 10_000; waited += 25) {
    const seen = await view(world, id);
    if (done(seen)) return seen;
    await sleep(25);
  }
  throw new Error(`interaction ${id} not answered: ${JSON.stringify(await view(world, id))}`);
}

async function send(world: DeliveryWorld, body: Record<string, unknown>): Promise<string> {
  const where = { guild_id: world.guild.id, channel_id: world.guild.text };
  return (
    await control<{ id: string }>(world.emulator, "POST", "interactions", { ...where, ...body })
  ).id;
}

let world: DeliveryWorld | null = null;
let running: Promise<RunningBot> | null = null;
afterEach(async () => {
  await (await running?.catch(() => null))?.stop();
  await world?.emulator.close();
  running = null;
  world = null;
});

describe("interactions that arrive while the digest archive is still loading", () => {
  test("a command is acknowledged at once and answered with the paper once the archive is ready", async () => {
    world = await deliveryWorld({ emulator: { rateLimits: { enabled: false } } });
    const held = heldParser();
    running = startBot(world.config, world.logger, { parser: held.parser });
    const connected = () => world?.lines().some((l) => l.msg === "connected to Discord");
    for (let i = 0; i < 400 && !connected(); i++) await sleep(25);
    expect(connected()).toBe(true);

    const id = await send(world, {
      type: 2,
      data: slash("paper", [{ name: "query", type: 3, value: "2402.13848" }]),
    });
    const early = await until(world, id, (v) => v.callbacks.length > 0);
    expect(early.callbacks[0]?.type).toBe(5); // "thinking…"
    expect(early.callbacks[0]?.at_ms).toBeLessThan(3000);
    await sleep(500);
    expect((await view(world, id)).original?.content ?? "").toBe(""); // still waiting

    const autocomplete = await send(world, {
      type: 4,
      data: slash("paper", [{ name: "query", type: 3, value: "diff", focused: true }]),
    });
    const suggested = await until(world, autocomplete, (v) => v.callbacks.length > 0);
    expect(suggested.callbacks[0]).toMatchObject({ type: 8, data: { choices: [] } });
    expect(suggested.callbacks[0]?.at_ms).toBeLessThan(3000);

    held.release();
    const bot = await running;
    expect(bot.health().starting).toBe(false);
    const answered = await until(
      world,
      id,
      (v) => (v.original?.embeds.length ?? 0) > 0 || (v.original?.content ?? "") !== "",
    );
    expect(JSON.stringify(answered.original)).toContain("2402.13848");
    expect(answered.followups).toHaveLength(0);
  });

  test("a button pressed while a restarted bot loads is acknowledged and its message turned once ready", async () => {
    const current = await deliveryWorld({ emulator: { rateLimits: { enabled: false } } });
    world = current;
    const first = await startBot(current.config, current.logger);
    const topId = await send(current, {
      type: 2,
      data: slash("top", [
        { type: 3, name: "period", value: "all" },
        { type: 4, name: "count", value: 14 },
      ]),
    });
    const top = await until(current, topId, (v) => v.original !== null);
    const row = top.original?.components[0] as { components: { custom_id?: string }[] };
    const next = row.components[1]?.custom_id;
    expect(next).toBe("top:all:-:14:1");
    await first.stop();
    // Changed, so the restarted bot parses it again instead of taking it from its cache.
    appendFileSync(join(current.digestsDir, "2024-02-20.md"), "\n");
    const held = heldParser();
    running = startBot(current.config, current.logger, { parser: held.parser });
    const connected = () =>
      current.lines().filter((l) => l.msg === "connected to Discord").length >= 2;
    for (let i = 0; i < 400 && !connected(); i++) await sleep(25);
    expect(connected()).toBe(true);
    const pressed = await send(current, {
      type: 3,
      message_id: top.original?.id,
      data: { custom_id: next, component_type: 2 },
    });
    const early = await until(current, pressed, (v) => v.callbacks.length > 0);
    expect(early.callbacks[0]?.type).toBe(6); // acknowledged, the message unchanged for now
    expect(early.callbacks[0]?.at_ms).toBeLessThan(3000);
    held.release();
    await running;
    const turned = await until(current, pressed, (v) =>
      JSON.stringify(v.original ?? {}).includes("page 2 of 2"),
    );
    expect(turned.followups).toHaveLength(0);
  });
});
