import { afterEach, expect, test } from "vitest";
import { planDelivery } from "../../src/delivery/planner.js";
import { subscriptionInput } from "../../src/delivery/subscription.js";
import type { Digest } from "../../src/digest/model.js";
import {
  closeCoreWorlds,
  coreWorld,
  receivedTitles,
  waitUntil,
} from "../support/delivery-world.js";

afterEach(closeCoreWorlds);

test("the deliverer sends a delivery another process recorded but did not send, once", async () => {
  const { c, world } = await coreWorld();
  const digest = c.digests.newest() as Digest;
  // Recorded as a process that does not deliver records a /repost: in the ledger, never run here.
  const choice = {
    ...subscriptionInput(world.guild.text, world.guild.id, "embeds"),
    guildId: world.guild.id,
  };
  await c.store.createDelivery(planDelivery(digest, choice, "en", "manual"));
  c.service.startRetrying();
  try {
    expect(await c.service.adoptUnfinished(60_000)).toBe(0); // too young: it may be starting
    expect(await c.service.adoptUnfinished(0)).toBe(1);
    expect(await c.service.adoptUnfinished(0)).toBe(0); // running here now
    await waitUntil(async () => (await c.store.unfinishedDeliveries()).length === 0, 10_000);
    expect(await c.service.adoptUnfinished(0)).toBe(0);
    const titles = await receivedTitles(world.emulator, world.guild, world.guild.text);
    expect(titles).toHaveLength(digest.papers.length);
    expect(new Set(titles).size).toBe(digest.papers.length);
  } finally {
    c.service.stopRetrying();
  }
});

test("a paused channel's unfinished delivery is left for when the channel is resumed", async () => {
  const { c, world } = await coreWorld();
  const digest = c.digests.newest() as Digest;
  const input = subscriptionInput(world.guild.text, world.guild.id, "embeds");
  await c.store.saveSubscription(input);
  await c.store.createDelivery(
    planDelivery(digest, { ...input, guildId: world.guild.id }, "en", "scheduled"),
  );
  await c.store.pauseSubscription(world.guild.text, "50013: it lacks a permission");
  expect(await c.service.adoptUnfinished(0)).toBe(0);
  expect(await receivedTitles(world.emulator, world.guild, world.guild.text)).toEqual([]);
});
