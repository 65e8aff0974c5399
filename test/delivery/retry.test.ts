import { afterEach, describe, expect, test } from "vitest";
import type { RunningBot } from "../../src/app/bot.js";
import { backoffDelay } from "../../src/delivery/retry.js";
import { subscriptionInput } from "../../src/delivery/subscription.js";
import {
  bot,
  type DeliveryWorld,
  deliveryWorld,
  messages,
  receivedTitles,
  waitUntil,
} from "../support/delivery-world.js";
import { control } from "../support/discord.js";

const running: { bot: RunningBot; world: DeliveryWorld }[] = [];
afterEach(async () => {
  for (const { bot: b, world } of running.splice(0)) {
    await b.stop();
    await world.emulator.close();
  }
});

/** A bot retrying pending deliveries after 1 s, then 2 s at most, with the text channel subscribed. */
async function storming(): Promise<{ b: RunningBot; world: DeliveryWorld }> {
  const world = await deliveryWorld({
    emulator: { rateLimits: { enabled: false } },
    env: { DELIVERY_RETRY_SECONDS: "1", DELIVERY_RETRY_MAX_SECONDS: "2" },
  });
  const b = await bot(world);
  running.push({ bot: b, world });
  await b.core.store.saveSubscription(subscriptionInput(world.guild.text, world.guild.id));
  await control(world.emulator, "POST", "faults", { status: 503, channel_id: world.guild.text });
  const [outcome] = await b.core.service.deliverDue();
  expect(outcome?.status).toBe("pending");
  return { b, world };
}

const retriesLogged = (world: DeliveryWorld) =>
  world.lines().filter((l) => l.msg === "retrying an unfinished delivery").length;

describe("retrying unfinished deliveries", () => {
  test("a delivery left pending by a 503 storm is retried by the running bot with backoff until it is done", async () => {
    const { b, world } = await storming();
    const left = world.lines().filter((l) => l.msg === "delivery left pending; retrying it later");
    expect(left.map((l) => l.retryInMs)).toEqual([1000]);
    // The storm goes on through at least one retry, which leaves it pending again.
    await waitUntil(() => retriesLogged(world) >= 1, 10_000);
    await waitUntil(
      () =>
        world.lines().filter((l) => l.msg === "delivery left pending; retrying it later").length >=
        2,
      15_000,
    );
    expect(await b.core.store.unfinishedDeliveries()).toHaveLength(1);

    await control(world.emulator, "DELETE", "faults");
    await waitUntil(async () => (await b.core.store.unfinishedDeliveries()).length === 0, 20_000);
    const titles = await receivedTitles(world.emulator, world.guild, world.guild.text);
    expect(titles).toHaveLength(14);
    expect(new Set(titles).size).toBe(14);
    const waits = world
      .lines()
      .filter((l) => l.msg === "delivery left pending; retrying it later")
      .map((l) => l.retryInMs);
    expect(waits.slice(0, 2)).toEqual([1000, 2000]);
    expect(Math.max(...(waits as number[]))).toBe(2000);
  });

  test("a pending delivery whose channel is paused meanwhile is not retried", async () => {
    const { b, world } = await storming();
    await b.core.store.pauseSubscription(world.guild.text, "50001: paused by the test");
    await control(world.emulator, "DELETE", "faults");
    await new Promise((resolve) => setTimeout(resolve, 2_500)); // past the first retry's time
    expect(await messages(world.emulator, world.guild.text)).toEqual([]);
    expect(await b.core.store.unfinishedDeliveries()).toHaveLength(1);
    expect(retriesLogged(world)).toBe(0);
  });

  test("the wait doubles from the first to the cap", () => {
    const backoff = { baseMs: 30_000, maxMs: 300_000 };
    expect([0, 1, 2, 3, 4, 40].map((n) => backoffDelay(backoff, n))).toEqual([
      30_000, 60_000, 120_000, 240_000, 300_000, 300_000,
    ]);
  });
});
