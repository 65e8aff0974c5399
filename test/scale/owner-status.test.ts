import { afterAll, beforeAll, expect, test } from "vitest";
import type { RunningBot } from "../../src/app/bot.js";
import { bot, type DeliveryWorld, deliveryWorld } from "../support/delivery-world.js";
import { interact } from "../support/interact.js";

const OWNER = "723456789012345001";
const ADMIN = "723456789012345002";
let world: DeliveryWorld;
let running: RunningBot;

beforeAll(async () => {
  world = await deliveryWorld({
    emulator: { rateLimits: { enabled: false } },
    env: { OWNER_IDS: `${OWNER}, 723456789012345003` },
  });
  running = await bot(world);
});
afterAll(async () => {
  await running.stop();
  await world.emulator.close();
});

async function status(userId: string, locale = "en-US"): Promise<string> {
  const view = await interact(world.emulator, {
    type: 2,
    guild_id: world.guild.id,
    channel_id: world.guild.text,
    permissions: String(1n << 5n), // Manage Server
    locale,
    user_id: userId,
    data: { id: "123456789012345681", name: "status", type: 1 },
  });
  return view.original?.content ?? "";
}

test("/status shows the bot's owners the answering process: role, lease, shards, sending path and queue", async () => {
  const text = await status(OWNER);
  expect(text).toMatch(/This process \(owners only\): role all · delivering \(lease token \d+\)/);
  expect(text).toMatch(/shards 1\/1 ready \(0\)/);
  expect(text).toMatch(
    /sending straight to Discord · rate-limit waits \d+ \(queue \d+, Discord \d+\) · pending deliveries 0/,
  );
  expect(text.length).toBeLessThanOrEqual(2000);
  expect(await status(OWNER, "ko")).toMatch(/이 프로세스 \(소유자에게만\): 역할 all/);
});

test("/status shows other admins only their server's state", async () => {
  const text = await status(ADMIN);
  expect(text).toMatch(/Gateway latency/);
  expect(text).not.toMatch(/This process/);
});
