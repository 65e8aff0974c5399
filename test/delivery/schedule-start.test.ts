import { afterEach, describe, expect, test } from "vitest";
import type { RunningBot } from "../../src/app/bot.js";
import { planDelivery } from "../../src/delivery/planner.js";
import { subscriptionInput } from "../../src/delivery/subscription.js";
import {
  bot,
  core,
  type DeliveryWorld,
  deliveryWorld,
  receivedTitles,
  waitUntil,
} from "../support/delivery-world.js";
import { control } from "../support/discord.js";
import { interact } from "../support/interact.js";

const open: { bot?: RunningBot; world: DeliveryWorld }[] = [];
afterEach(async () => {
  for (const { bot: b, world } of open.splice(0)) {
    await control(world.emulator, "DELETE", "faults");
    await b?.stop();
    await world.emulator.close();
  }
});

const ADMIN = String(1n << 5n);
const TWO_DAYS_AGO = () => new Date(Date.now() - 2 * 86_400_000).toISOString();

/** A second server, with the bot in it, holding one text channel. */
async function secondServer(world: DeliveryWorld): Promise<{ id: string; text: string }> {
  const { id } = await control<{ id: string }>(world.emulator, "POST", "guilds", {
    name: "Other Lab",
  });
  const { id: text } = await control<{ id: string }>(
    world.emulator,
    "POST",
    `guilds/${id}/channels`,
    { name: "papers", type: 0 },
  );
  return { id, text };
}

describe("schedules at start-up", () => {
  test("a saved schedule that can never run disables that server alone, with a warning and a /status note", async () => {
    const world = await deliveryWorld({ emulator: { rateLimits: { enabled: false } } });
    open.push({ world });
    const other = await secondServer(world);
    // As an older version or a hand-edited database left it.
    const seed = await core(world);
    await seed.store.saveSubscription(
      subscriptionInput(world.guild.text, world.guild.id, "embeds", {}),
    );
    await seed.store.saveGuildSettings(world.guild.id, {
      schedule: "30 2 25-31 3 0",
      timezone: "Europe/Berlin",
    });
    await seed.store.saveSubscription(subscriptionInput(other.text, other.id, "embeds", {}));
    await seed.store.saveGuildSettings(other.id, { schedule: "* * * * * *", timezone: "UTC" });
    seed.archive.close();
    await seed.closeStore();

    const b = await bot(world);
    open[0] = { bot: b, world };
    expect(
      await waitUntil(() =>
        receivedTitles(world.emulator, world.guild, other.text).then((t) => t.length === 14),
      ),
    ).toBe(true);
    const warning = world
      .lines()
      .find((line) => String(line.msg).includes("schedule can never run"));
    expect(warning).toMatchObject({
      level: 40,
      guildId: world.guild.id,
      schedule: "30 2 25-31 3 0",
      timezone: "Europe/Berlin",
    });
    expect(b.scheduler.problem(world.guild.id)?.kind).toBe("never");
    expect(b.scheduler.problem(other.id)).toBeNull();

    const asAdmin = {
      guild_id: world.guild.id,
      channel_id: world.guild.text,
      permissions: ADMIN,
      user_id: "723456789012345678",
    };
    const status = await interact(world.emulator, {
      ...asAdmin,
      locale: "en-US",
      type: 2,
      data: { id: "123456789012345681", name: "status", type: 1 },
    });
    const text = status.original?.content ?? "";
    expect(text).toContain("`30 2 25-31 3 0` never runs in Europe/Berlin");
    expect(text).toContain(
      "Scheduled deliveries are off until you set a new schedule with `/config schedule`",
    );
    const show = await interact(world.emulator, {
      ...asAdmin,
      locale: "ko",
      type: 2,
      data: {
        id: "123456789012345679",
        name: "config",
        type: 1,
        options: [{ type: 1, name: "show" }],
      },
    });
    expect(show.original?.content).toContain("정기 전달이 꺼져 있습니다");

    // Rescheduling from any saved value never throws: a malformed one is disabled the same way.
    const saved: [string, string, string][] = [
      ["every day", "UTC", "invalid-cron"],
      ["0 9 * * *", "Mars/Base", "invalid-zone"],
      ["0 0 31 4 *", "UTC", "never"],
    ];
    for (const [schedule, timezone, kind] of saved) {
      await b.core.store.saveGuildSettings(world.guild.id, { schedule, timezone });
      await expect(b.scheduler.schedule(world.guild.id)).resolves.toBeUndefined();
      expect(b.scheduler.problem(world.guild.id)?.kind).toBe(kind);
    }
  });

  test("one server's hanging delivery does not delay another server's catch-up, nor the start", async () => {
    const world = await deliveryWorld({
      emulator: { rateLimits: { enabled: false } },
      env: { CATCH_UP: "true" },
    });
    open.push({ world });
    const other = await secondServer(world);
    const seed = await core(world);
    await seed.store.saveSubscription(
      subscriptionInput(world.guild.text, world.guild.id, "embeds", {}),
    );
    await seed.store.saveSubscription(subscriptionInput(other.text, other.id, "embeds", {}));
    for (const guildId of [world.guild.id, other.id])
      await seed.store.saveGuildSettings(guildId, {
        schedule: "0 9 * * *",
        timezone: "UTC",
        lastRunAt: TWO_DAYS_AGO(),
      });
    // Server A's delivery was under way when the bot stopped: the ledger still owes it.
    const subscription = await seed.store.subscription(world.guild.text);
    const digest = seed.digests.newest();
    if (!subscription || !digest) throw new Error("seed");
    await seed.store.createDelivery(planDelivery(digest, subscription, "en", "scheduled"));
    seed.archive.close();
    await seed.closeStore();
    await control(world.emulator, "POST", "faults", {
      method: "POST",
      channel_id: world.guild.text,
      delay_ms: 20_000,
    });

    const started = Date.now();
    const b = await bot(world);
    open[0] = { bot: b, world };
    const startMs = Date.now() - started;
    await waitUntil(
      () => receivedTitles(world.emulator, world.guild, other.text).then((t) => t.length === 14),
      8_000,
    );
    const caughtUpMs = Date.now() - started;
    expect(caughtUpMs).toBeLessThan(15_000);
    expect(await receivedTitles(world.emulator, world.guild, world.guild.text)).toEqual([]);
    expect(await b.core.store.unfinishedDeliveries(world.guild.text)).toHaveLength(1);
    // The start returned with the work under way, long before server A's delivery could finish.
    expect(startMs).toBeLessThan(10_000);
  });
});
