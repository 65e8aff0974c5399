import { afterEach, describe, expect, test } from "vitest";
import type { RunningBot } from "../../src/app/bot.js";
import { dueDates } from "../../src/delivery/catch-up.js";
import { subscriptionInput } from "../../src/delivery/subscription.js";
import { bot, type DeliveryWorld, deliveryWorld, messages } from "../support/delivery-world.js";
import { removeSample, writeDigest } from "../support/digest-files.js";

const running: { bot: RunningBot; world: DeliveryWorld }[] = [];
afterEach(async () => {
  for (const { bot: b, world } of running.splice(0)) {
    await b.stop();
    await world.emulator.close();
  }
});

/** The digest dates of the headers a channel received, in order. */
async function headerDates(world: DeliveryWorld, channelId: string): Promise<string[]> {
  return (await messages(world.emulator, channelId))
    .map((m) => /^📰 \*\*Daily Papers — (\d{4}-\d{2}-\d{2})/.exec(m.content)?.[1])
    .filter((date): date is string => date !== undefined);
}

describe("catch-up", () => {
  test("a scheduled run sends every digest the channel missed in the window, oldest first; a new subscription gets the newest only", async () => {
    const world = await deliveryWorld({
      emulator: { rateLimits: { enabled: false } },
      env: { CATCH_UP_DAYS: "3" },
    });
    removeSample(world.digestsDir);
    writeDigest(world.digestsDir, "2024-03-01", [{ n: 1, votes: 5 }]);
    const b = await bot(world);
    running.push({ bot: b, world });
    const { guild } = world;
    await b.core.store.saveSubscription(subscriptionInput(guild.text, guild.id));
    await b.scheduler.tick(guild.id);
    expect(await headerDates(world, guild.text)).toEqual(["2024-03-01"]);

    // Five more digests arrive after that run (the bot was down, or the files were late).
    for (const day of [2, 3, 4, 5, 6])
      b.core.archive.refresh(
        writeDigest(world.digestsDir, `2024-03-0${day}`, [{ n: day, votes: day }]),
      );
    expect(await headerDates(world, guild.text), "nothing before the next run").toEqual([
      "2024-03-01",
    ]);
    await b.core.store.saveSubscription(subscriptionInput(guild.news, guild.id));
    await b.scheduler.tick(guild.id);
    // 03-02 is more than three days before the newest (03-06): outside the window.
    expect(await headerDates(world, guild.text)).toEqual([
      "2024-03-01",
      "2024-03-03",
      "2024-03-04",
      "2024-03-05",
      "2024-03-06",
    ]);
    expect(await headerDates(world, guild.news)).toEqual(["2024-03-06"]);

    await b.scheduler.tick(guild.id);
    expect(await headerDates(world, guild.text)).toHaveLength(5);
    expect(await headerDates(world, guild.news)).toHaveLength(1);
  });

  test("a channel is due the digests after its last one, back to the window's start, and the newest alone when it had none", () => {
    const dates = ["2024-03-06", "2024-03-01", "2024-03-04", "2024-03-05", "2024-03-02"];
    expect(dueDates(dates, "2024-03-01", 3)).toEqual(["2024-03-04", "2024-03-05", "2024-03-06"]);
    expect(dueDates(dates, "2024-03-04", 3)).toEqual(["2024-03-05", "2024-03-06"]);
    expect(dueDates(dates, "2024-03-06", 3)).toEqual([]);
    expect(dueDates(dates, null, 3)).toEqual(["2024-03-06"]);
    expect(dueDates(dates, "2024-02-01", 0)).toEqual(["2024-03-06"]);
    expect(dueDates([], null, 3)).toEqual([]);
    // Month ends are counted in calendar days.
    expect(dueDates(["2024-02-28", "2024-02-29", "2024-03-02"], "2024-02-01", 2)).toEqual([
      "2024-02-29",
      "2024-03-02",
    ]);
  });
});
