import { copyFileSync, mkdirSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import type { Emulator } from "../../emulator/server.js";
import { type RunningBot, startBot } from "../../src/app/bot.js";
import { parseConfig } from "../../src/config.js";
import { SAMPLE_DIGEST } from "../support/delivery-world.js";
import { emulatorWithGuild, type TestGuild } from "../support/emulator-world.js";
import { interact, slash } from "../support/interact.js";
import { memoryLogger } from "../support/logger.js";
import { tempDir } from "../support/paths.js";
import { freePort } from "../support/ports.js";

let emulator: Emulator;
let guild: TestGuild;
let bot: RunningBot;
let url: string;

beforeAll(async () => {
  const port = await freePort();
  url = `http://127.0.0.1:${port}/interactions`;
  ({ emulator, guild } = await emulatorWithGuild({ interactionsUrl: url }));
  const dir = tempDir();
  mkdirSync(join(dir, "digests"));
  copyFileSync(SAMPLE_DIGEST, join(dir, "digests", "2024-02-20.md"));
  const config = parseConfig({
    DISCORD_TOKEN: emulator.token,
    DISCORD_API_URL: emulator.apiUrl,
    DIGESTS_DIR: join(dir, "digests"),
    DATABASE_URL: join(dir, "state.db"),
    CATCH_UP: "false",
    INTERACTIONS_HTTP_PORT: String(port),
    DISCORD_PUBLIC_KEY: emulator.ctx.interactions.endpoint?.publicKey ?? "",
  });
  bot = await startBot(config, memoryLogger().logger);
});

afterAll(async () => {
  await bot?.stop();
  await emulator?.close();
});

const endpoint = () => {
  const found = emulator.ctx.interactions.endpoint;
  if (!found) throw new Error("the emulator has no interactions endpoint");
  return found;
};

describe("commands over HTTP (an Interactions Endpoint URL)", () => {
  test("a slash command POSTed by Discord is answered in the response to that POST", async () => {
    const view = await interact(emulator, {
      type: 2,
      guild_id: guild.id,
      channel_id: guild.text,
      data: slash("top", [{ type: 3, name: "period", value: "all" }]),
    });
    expect(view.callbacks).toHaveLength(1);
    expect(view.callbacks[0]?.type).toBe(4);
    expect((view as unknown as { endpoint: { status: number } }).endpoint.status).toBe(200);
    expect(view.original?.embeds.length).toBeGreaterThan(0);
  });

  test("autocomplete is answered over HTTP too", async () => {
    const view = await interact(emulator, {
      type: 4,
      guild_id: guild.id,
      channel_id: guild.text,
      data: slash("paper", [{ type: 3, name: "query", value: "", focused: true }]),
    });
    expect(view.callbacks[0]?.type).toBe(8);
    const choices = (view.callbacks[0]?.data as { choices: unknown[] } | undefined)?.choices ?? [];
    expect(choices.length).toBeGreaterThan(0);
  });

  test("a PING is answered with a PONG", async () => {
    const body = JSON.stringify({ type: 1, id: "1", application_id: "1", token: "t", version: 1 });
    const response = await fetch(url, { method: "POST", headers: endpoint().sign(body), body });
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ type: 1 });
  });

  test("a request whose signature does not verify is refused with 401", async () => {
    const body = JSON.stringify({ type: 1 });
    const headers = endpoint().sign(body);
    const tampered = JSON.stringify({ type: 1, extra: true });
    for (const [h, b] of [
      [headers, tampered],
      [{ ...headers, "x-signature-ed25519": "00".repeat(64) }, body],
      [{ "content-type": "application/json" }, body],
      [{ ...headers, "x-signature-ed25519": "not hex" }, body],
    ] as const) {
      const response = await fetch(url, { method: "POST", headers: h, body: b });
      expect(response.status).toBe(401);
    }
  });

  test("a signature made long ago is refused, so a captured request cannot be replayed", async () => {
    const body = JSON.stringify({ type: 1 });
    const old = String(Math.floor(Date.now() / 1000) - 3600);
    const response = await fetch(url, {
      method: "POST",
      headers: endpoint().sign(body, old),
      body,
    });
    expect(response.status).toBe(401);
  });
});
