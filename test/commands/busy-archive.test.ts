import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, expect, test } from "vitest";
import { largeDigest } from "../../bench/digest-samples.js";
import { type RunningBot, startBot } from "../../src/app/bot.js";
import { type DeliveryWorld, deliveryWorld } from "../support/delivery-world.js";
import { control } from "../support/discord.js";
import { type InteractionView, slash } from "../support/interact.js";

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

let world: DeliveryWorld | null = null;
let bot: RunningBot | null = null;
afterEach(async () => {
  await bot?.stop();
  await world?.emulator.close();
  bot = null;
  world = null;
});

test("while a 5,000-paper digest is parsed and indexed, interactions keep being answered from the previous index, and the new one still arrives", async () => {
  const current = await deliveryWorld({ emulator: { rateLimits: { enabled: false } } });
  world = current;
  bot = await startBot(current.config, current.logger);
  const running = bot;
  const date = "2025-03-12";
  writeFileSync(join(current.digestsDir, `${date}.md`), largeDigest(5000, date));
  const served = () => running.core.archive.catalog().digest(date) !== null;

  // Autocomplete for the digest's last paper, every 20 ms, until it is suggested (or a minute).
  const sent: { id: string; afterServed: boolean }[] = [];
  const deadline = performance.now() + 60_000;
  let suggested = false;
  while (!suggested && performance.now() < deadline) {
    const afterServed = served();
    const { id } = await control<{ id: string }>(current.emulator, "POST", "interactions", {
      guild_id: current.guild.id,
      channel_id: current.guild.text,
      type: 4,
      data: slash("paper", [{ name: "query", type: 3, value: "Paper 4999", focused: true }]),
    });
    sent.push({ id, afterServed });
    await sleep(20);
    if (sent.length % 10 === 0) {
      const latest = sent[sent.length - 10] as { id: string };
      const seen = await control<InteractionView>(
        current.emulator,
        "GET",
        `interactions/${latest.id}`,
      );
      suggested = JSON.stringify(seen.callbacks[0] ?? {}).includes("Paper 4999");
    }
  }
  expect(suggested, "the index caught up while interactions kept coming").toBe(true);
  await sleep(1000);

  let answeredFromPrevious = 0;
  for (const { id, afterServed } of sent) {
    const seen = await control<InteractionView>(current.emulator, "GET", `interactions/${id}`);
    const answer = seen.callbacks[0];
    expect(answer?.type, `interaction ${id} answered`).toBe(8);
    // Within Discord's three seconds, however busy the bot was.
    expect(answer?.at_ms).toBeLessThan(3000);
    if (afterServed && !JSON.stringify(answer).includes("Paper 4999")) answeredFromPrevious++;
  }
  // The digest was in the archive, its index still being built a slice at a time, and the
  // bot went on answering meanwhile (a rebuild done in one go would answer all of these after it).
  expect(answeredFromPrevious).toBeGreaterThanOrEqual(5);
  expect(current.lines().filter((l) => Number(l.level) >= 50)).toEqual([]);
}, 120_000);
