import { afterEach, describe, expect, test } from "vitest";
import type { Core } from "../../src/app/wiring.js";
import type { SubscriptionInput } from "../../src/delivery/store.js";
import { subscriptionInput } from "../../src/delivery/subscription.js";
import {
  closeCoreWorlds,
  coreWorld,
  type DeliveryWorld,
  messages,
  receivedTitles,
} from "../support/delivery-world.js";
import { control } from "../support/discord.js";

afterEach(closeCoreWorlds);

async function setup(): Promise<{ c: Core; world: DeliveryWorld }> {
  const { c, world } = await coreWorld();
  return { c, world };
}

const subscription = (world: DeliveryWorld, channelId: string): SubscriptionInput =>
  subscriptionInput(channelId, world.guild.id);

describe("delivery failures", () => {
  test("a message Discord refuses (400) is logged with its payload and skipped, and the rest still posts", async () => {
    const { c, world } = await setup();
    await control(world.emulator, "POST", "faults", {
      channel_id: world.guild.text,
      status: 400,
      times: 1,
    });
    await c.store.saveSubscription(subscription(world, world.guild.text));
    await c.store.saveSubscription(subscription(world, world.guild.news));
    const outcomes = await c.service.deliverNewest();
    const text = outcomes.find((o) => o.channelId === world.guild.text);
    expect(text).toMatchObject({ status: "done", sent: 2, skipped: 1 });
    const sent = await messages(world.emulator, world.guild.text);
    expect(sent).toHaveLength(2);
    expect(sent.every((m) => m.content === "")).toBe(true); // the header was the refused one
    const logged = world.lines().filter((l) => l.msg === "Discord refused a message; skipped");
    expect(logged).toHaveLength(1);
    expect(logged[0]).toMatchObject({
      role: "header",
      payload: { content: expect.stringContaining("Daily Papers") },
    });
    expect(
      (await c.store.lastDeliveries(5)).find((d) => d.channelId === world.guild.text)?.error,
    ).toMatch(/^400/);
    expect(await receivedTitles(world.emulator, world.guild, world.guild.news)).toHaveLength(14);
  });

  test("one channel failing with 503s does not hold up another, and its work stays pending to resume", async () => {
    const { c, world } = await setup();
    await control(world.emulator, "POST", "faults", { status: 503, channel_id: world.guild.text });
    await c.store.saveSubscription(subscription(world, world.guild.text));
    await c.store.saveSubscription(subscription(world, world.guild.news));
    const finished: Record<string, number> = {};
    const start = Date.now();
    const runs = (await c.store.subscriptions()).map(async (s) => {
      const [outcome] = await c.service
        .deliverNewest(undefined)
        .then((all) => all.filter((o) => o.channelId === s.channelId));
      finished[s.channelId] = Date.now() - start;
      return outcome;
    });
    await Promise.all(runs);
    const news = await receivedTitles(world.emulator, world.guild, world.guild.news);
    expect(news).toHaveLength(14);
    const pending = await c.store.unfinishedDeliveries();
    expect(pending.map((d) => d.channelId)).toEqual([world.guild.text]);
    expect((await c.store.steps(pending[0]?.id ?? 0))[0]).toMatchObject({
      status: "pending",
      lastError: expect.stringMatching(/^503/),
    });

    await control(world.emulator, "DELETE", "faults");
    const resumed = await c.service.resumeUnfinished();
    expect(resumed.map((o) => o.status)).toEqual(["done"]);
    expect(await receivedTitles(world.emulator, world.guild, world.guild.text)).toHaveLength(14);
  });
});
