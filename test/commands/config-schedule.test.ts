import { afterAll, beforeAll, describe, expect, test } from "vitest";
import type { RunningBot } from "../../src/app/bot.js";
import { bot, type DeliveryWorld, deliveryWorld } from "../support/delivery-world.js";
import { interact } from "../support/interact.js";

let world: DeliveryWorld;
let running: RunningBot;

beforeAll(async () => {
  world = await deliveryWorld({ emulator: { rateLimits: { enabled: false } } });
  running = await bot(world);
});
afterAll(async () => {
  await running.stop();
  await world.emulator.close();
});

/** `/config schedule cron timezone` as an admin, in a locale. */
function schedule(cron: string, timezone: string, locale = "en-US") {
  return interact(world.emulator, {
    guild_id: world.guild.id,
    channel_id: world.guild.text,
    permissions: String(1n << 5n),
    locale,
    user_id: "723456789012345678",
    type: 2,
    data: {
      id: "123456789012345679",
      name: "config",
      type: 1,
      options: [
        {
          type: 1,
          name: "schedule",
          options: [
            { type: 3, name: "cron", value: cron },
            { type: 3, name: "timezone", value: timezone },
          ],
        },
      ],
    },
  });
}

describe("/config schedule refuses schedules that do not run as meant", () => {
  test("02:30 on the day Berlin's clocks skip it is refused, saying why and what to do, and nothing is saved", async () => {
    const before = await running.core.service.settings(world.guild.id);
    const view = await schedule("30 2 25-31 3 0", "Europe/Berlin");
    const text = view.original?.content ?? "";
    expect(view.original?.ephemeral).toBe(true);
    expect(text).toContain("`30 2 25-31 3 0` never runs in Europe/Berlin within the next year");
    expect(text).toMatch(/on Sunday,? \d+ March \d{4} clocks jump from 02:00 to 03:00/);
    expect(text).toContain("02:30 does not exist");
    expect(text).toContain("Pick a time outside 02:00–03:00");
    expect(text).toContain("• no run within a year");
    const ko = await schedule("30 2 25-31 3 0", "Europe/Berlin", "ko");
    expect(ko.original?.content).toContain("02:30 시각이 없으므로");
    expect(await running.core.service.settings(world.guild.id)).toMatchObject({
      schedule: before.schedule,
      timezone: before.timezone,
    });
    expect(running.scheduler.problem(world.guild.id)).toBeNull();
  });

  test("a daily run skipped once a year is refused and the reply shows the next runs", async () => {
    const view = await schedule("30 2 * * *", "America/New_York");
    const text = view.original?.content ?? "";
    expect(text).toMatch(/clocks jump from 02:00 to 03:00, so 02:30 does not exist/);
    expect(text).toContain("This schedule's next runs:");
    expect(text.split("\n").filter((line) => line.startsWith("• "))).toHaveLength(3);
  });

  test("a date no month has is refused as never running, not as a malformed expression", async () => {
    const view = await schedule("0 0 30 2 *", "UTC");
    expect(view.original?.content).toContain("`0 0 30 2 *` never runs in UTC");
    expect(view.original?.content).toContain("Pick a date that comes every year");
  });

  test("an hourly schedule in a daylight-saving zone is accepted", async () => {
    const view = await schedule("15 * * * *", "Europe/Berlin");
    expect(view.original?.content).toContain("⏰ Schedule set (Europe/Berlin)");
    expect((await running.core.service.settings(world.guild.id)).schedule).toBe("15 * * * *");
  });
});
