import { closeSync, openSync, rmSync, writeSync } from "node:fs";
import { join } from "node:path";
import Database from "better-sqlite3";
import { afterEach, describe, expect, test } from "vitest";
import type { RunningBot } from "../../src/app/bot.js";
import { parseConfig } from "../../src/config.js";
import { subscriptionInput } from "../../src/delivery/subscription.js";
import {
  bot,
  type DeliveryWorld,
  deliveryWorld,
  receivedTitles,
  waitUntil,
} from "../support/delivery-world.js";
import { paperTitle, removeSample, writeDigest } from "../support/digest-files.js";
import { smallDisk } from "../support/fs-conditions.js";

// The database going bad under a running bot: nothing crashes, the work waits in the ledger (or
// is tried again), /healthz says so, and once the database is back every paper goes out once.

const running: { bot: RunningBot; world: DeliveryWorld }[] = [];
const cleanups: (() => void)[] = [];
afterEach(async () => {
  for (const { bot: b, world } of running.splice(0)) {
    await b.stop();
    await world.emulator.close();
  }
  for (const cleanup of cleanups.splice(0)) cleanup();
});

const DATE = "2024-03-01";
const PAPERS = [1, 2, 3].map((n) => ({ n, votes: 10 * n }));
const arriving = {
  POST_ON_ARRIVAL: "true",
  DELIVERY_RETRY_SECONDS: "1",
  DELIVERY_RETRY_MAX_SECONDS: "2",
};

async function subscribedBot(world: DeliveryWorld): Promise<RunningBot> {
  removeSample(world.digestsDir);
  const b = await bot(world);
  running.push({ bot: b, world });
  await b.core.store.saveGuildSettings(world.guild.id, { language: "en" });
  await b.core.store.saveSubscription(
    subscriptionInput(world.guild.text, world.guild.id, "embeds"),
  );
  return b;
}

async function deliveredOnce(world: DeliveryWorld): Promise<void> {
  const expected = PAPERS.map((p) => paperTitle(p.n)).sort();
  await waitUntil(async () => {
    const titles = await receivedTitles(world.emulator, world.guild, world.guild.text);
    return titles.length >= expected.length;
  }, 30_000);
  // Settled: nothing more arrives on later retries.
  await new Promise((resolve) => setTimeout(resolve, 2500));
  const titles = await receivedTitles(world.emulator, world.guild, world.guild.text);
  expect(titles.sort()).toEqual(expected);
}

/** Nothing goes out that the ledger could not record first. */
async function nothingSentYet(world: DeliveryWorld): Promise<void> {
  await new Promise((resolve) => setTimeout(resolve, 2000));
  expect(await receivedTitles(world.emulator, world.guild, world.guild.text)).toEqual([]);
}

describe("a database in trouble while the bot runs", () => {
  test("locked past its busy wait as a digest arrives: no crash, the digest goes out once the lock is gone", async () => {
    const world = await deliveryWorld({
      emulator: { rateLimits: { enabled: false } },
      env: arriving,
    });
    const b = await subscribedBot(world);
    const locker = new Database(world.config.databasePath);
    locker.exec("BEGIN EXCLUSIVE");
    writeDigest(world.digestsDir, DATE, PAPERS);
    // Longer than the bot's 5 s busy wait: its writes fail with SQLITE_BUSY meanwhile.
    await waitUntil(() => b.health().database.state === "busy", 20_000);
    await nothingSentYet(world);
    locker.exec("ROLLBACK");
    locker.close();
    await deliveredOnce(world);
    await waitUntil(() => b.health().database.state === "ok", 15_000);
  }, 90_000);

  const disk = smallDisk(2048);
  if (disk) disk.close();
  test.runIf(disk !== null)(
    "a full disk as a digest arrives: /healthz says full, and the digest goes out once there is room",
    async () => {
      const mount = smallDisk(3072);
      if (!mount) throw new Error("no tmpfs");
      cleanups.push(() => mount.close());
      const world = await deliveryWorld({
        emulator: { rateLimits: { enabled: false } },
        env: arriving,
      });
      world.config = parseConfig({ ...world.env, DATABASE_URL: join(mount.dir, "state.db") });
      const b = await subscribedBot(world);
      const filler = join(mount.dir, "filler");
      const fd = openSync(filler, "w");
      try {
        const chunk = Buffer.alloc(64 * 1024, 1);
        for (;;) writeSync(fd, chunk);
      } catch {
        // ENOSPC: the disk is full.
      } finally {
        closeSync(fd);
      }
      writeDigest(world.digestsDir, DATE, PAPERS);
      await waitUntil(() => b.health().database.state === "full", 20_000);
      await nothingSentYet(world);
      rmSync(filler);
      await deliveredOnce(world);
      await waitUntil(() => b.health().database.state === "ok", 15_000);
    },
    90_000,
  );
});
