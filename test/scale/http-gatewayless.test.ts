import { afterAll, beforeAll, expect, test } from "vitest";
import { type RunningBot, startBot } from "../../src/app/bot.js";
import { parseConfig } from "../../src/config.js";
import { type DeliveryWorld, deliveryWorld, messages } from "../support/delivery-world.js";
import { control } from "../support/discord.js";
import { interact, slash } from "../support/interact.js";
import { freePort } from "../support/ports.js";

let world: DeliveryWorld;
let bot: RunningBot;
const ADMIN = String(1n << 5n);

beforeAll(async () => {
  const port = await freePort();
  world = await deliveryWorld({
    emulator: { interactionsUrl: `http://127.0.0.1:${port}/interactions` },
  });
  const config = parseConfig({
    ...world.env,
    ROLE: "gateway",
    SHARDS: "none",
    INTERACTIONS_HTTP_PORT: String(port),
    DISCORD_PUBLIC_KEY: world.emulator.ctx.interactions.endpoint?.publicKey ?? "",
  });
  bot = await startBot(config, world.logger);
});
afterAll(async () => {
  await bot?.stop();
  await world?.emulator.close();
});

test("SHARDS=none needs ROLE=gateway and INTERACTIONS_HTTP_PORT, and says so", () => {
  expect(() => parseConfig({ SHARDS: "none" })).toThrow(
    "SHARDS must be none only with ROLE=gateway and INTERACTIONS_HTTP_PORT",
  );
  expect(() => parseConfig({ ROLE: "gateway", SHARDS: "none" })).toThrow("SHARDS must be none");
});

test("without a gateway session, commands POSTed over HTTP are answered, admin ones included", async () => {
  const { emulator, guild } = world;
  const gateway = await control<{ identifies: number; connected_shards: number[] }>(
    emulator,
    "GET",
    "gateway",
  );
  expect(gateway.identifies).toBe(0);
  expect(gateway.connected_shards).toEqual([]);

  const top = await interact(emulator, {
    type: 2,
    guild_id: guild.id,
    channel_id: guild.text,
    data: slash("top", [{ type: 3, name: "period", value: "all" }]),
  });
  expect(top.callbacks).toHaveLength(1);
  expect(top.original?.embeds.length).toBeGreaterThan(0);

  // The admin command checks the channel against the server's channels, read over REST.
  const add = await interact(emulator, {
    type: 2,
    guild_id: guild.id,
    channel_id: guild.text,
    permissions: ADMIN,
    user_id: "723456789012345678",
    data: {
      name: "config",
      type: 1,
      options: [
        {
          type: 2,
          name: "channel",
          options: [
            { type: 1, name: "add", options: [{ type: 7, name: "channel", value: guild.text }] },
          ],
        },
      ],
    },
  });
  expect(add.original?.content ?? JSON.stringify(add.callbacks)).not.toMatch(/not in this server/i);
  expect(await bot.core.store.subscription(guild.text)).toMatchObject({ guildId: guild.id });

  // A /repost is recorded for the workers, not sent from here.
  const repost = await interact(emulator, {
    type: 2,
    guild_id: guild.id,
    channel_id: guild.text,
    permissions: ADMIN,
    data: slash("repost", [{ type: 7, name: "channel", value: guild.text }]),
  });
  expect(repost.original?.content).toMatch(/queued|대기열/);
  expect(await bot.core.store.unfinishedDeliveries(guild.text)).toHaveLength(1);
  // Deliveries carry nonces; the command replies in the channel do not.
  expect((await messages(emulator, guild.text)).filter((m) => m.nonce !== null)).toEqual([]);
});
