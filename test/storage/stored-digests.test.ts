import { copyFileSync, unlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, afterEach, describe, expect, test } from "vitest";
import { buildCore, type Core } from "../../src/app/wiring.js";
import { Archive } from "../../src/archive/archive.js";
import { parseConfig } from "../../src/config.js";
import { subscriptionInput } from "../../src/delivery/subscription.js";
import { openPostgresStore } from "../../src/storage/postgres-connect.js";
import { PostgresDigestCache } from "../../src/storage/postgres-digests.js";
import { postgresBackend } from "../support/backends.js";
import {
  type DeliveryWorld,
  deliveryWorld,
  FAST_RETRY,
  receivedTitles,
  SAMPLE_DIGEST,
  waitUntil,
} from "../support/delivery-world.js";
import { digestMarkdown, paperTitle } from "../support/digest-files.js";
import { memoryLogger } from "../support/logger.js";
import { tempDir } from "../support/paths.js";

const postgres = postgresBackend();
const open: { core: Core; world?: DeliveryWorld }[] = [];
afterEach(async () => {
  for (const { core, world } of open.splice(0)) {
    core.archive.close();
    await core.closeStore();
    await world?.emulator.close();
  }
});
afterAll(() => postgres.stop());

async function start(world: DeliveryWorld, env: Record<string, string>): Promise<Core> {
  const config = parseConfig({ ...world.env, ...env });
  const core = await buildCore(config, world.logger, () => world.emulator.ctx.world.botUser.id, {
    retry: FAST_RETRY,
  });
  open.push({ core });
  return core;
}

const titlesOf = (core: Core) => core.archive.newest()?.papers.map((p) => p.title) ?? [];

describe.skipIf(!postgres.available)("digests stored in PostgreSQL", () => {
  test("a process without the digests folder serves and delivers what the folder's process stored, and follows new and removed digests", async () => {
    const DATABASE_URL = await postgres.databaseUrl(tempDir());
    const world = await deliveryWorld({
      emulator: { rateLimits: { enabled: false } },
      env: { DATABASE_URL },
    });
    open.push({ core: await start(world, {}), world }); // closed last: its emulator too
    const reader = open[0] as { core: Core };
    const folder = reader.core;
    await folder.archiveLoaded;

    // Another machine: no copy of the folder (its path does not even exist there).
    const elsewhere = await start(world, {
      DIGESTS_SOURCE: "database",
      DIGESTS_POLL_SECONDS: "1",
      DIGESTS_DIR: join(tempDir(), "not-here"),
    });
    await elsewhere.archiveLoaded;
    expect(elsewhere.archive.newest()?.date).toBe("2024-02-20");
    expect(titlesOf(elsewhere)).toEqual(titlesOf(folder));
    expect(titlesOf(elsewhere)).toHaveLength(14);
    expect(elsewhere.archive.catalog().paperCount).toBe(folder.archive.catalog().paperCount);

    // It delivers from the stored copy.
    await elsewhere.store.saveSubscription(
      subscriptionInput(world.guild.text, world.guild.id, "embeds"),
    );
    const [outcome] = await elsewhere.service.deliverNewest();
    expect(outcome?.status).toBe("done");
    expect(await receivedTitles(world.emulator, world.guild, world.guild.text)).toHaveLength(14);

    // A digest added to the folder reaches it at its next look; a removed one goes.
    folder.watchDigests();
    const dates: string[] = [];
    elsewhere.archive.onDigest((date) => dates.push(date));
    writeFileSync(
      join(world.digestsDir, "2024-02-21.md"),
      digestMarkdown("2024-02-21", [{ n: 1, votes: 3 }]),
    );
    elsewhere.watchDigests();
    await waitUntil(() => elsewhere.archive.newest()?.date === "2024-02-21", 20_000);
    expect(dates).toEqual(["2024-02-21"]);
    expect(titlesOf(elsewhere)).toEqual([paperTitle(1)]);
    unlinkSync(join(world.digestsDir, "2024-02-21.md"));
    await waitUntil(() => elsewhere.archive.newest()?.date === "2024-02-20", 20_000);
  }, 120_000);

  test("a restart of the folder's process takes unchanged files from the stored copy instead of parsing them", async () => {
    const url = await postgres.databaseUrl(tempDir());
    const dir = tempDir();
    copyFileSync(SAMPLE_DIGEST, join(dir, "2024-02-19.md"));
    copyFileSync(SAMPLE_DIGEST, join(dir, "2024-02-20.md"));
    const { logger } = memoryLogger();
    const loadOnce = async () => {
      const connection = await openPostgresStore({ url, poolSize: 2, statementTimeoutMs: 30_000 });
      const cache = await PostgresDigestCache.load(connection.pool, logger);
      const archive = new Archive({ dir, cache, logger });
      try {
        return await archive.load();
      } finally {
        archive.close();
        await cache.flush();
        await connection.close();
      }
    };
    expect(await loadOnce()).toMatchObject({ files: 2, parsed: 2, fromCache: 0 });
    expect(await loadOnce()).toMatchObject({ files: 2, parsed: 0, fromCache: 2 });
    writeFileSync(join(dir, "2024-02-20.md"), digestMarkdown("2024-02-20", [{ n: 2, votes: 1 }]));
    expect(await loadOnce()).toMatchObject({ files: 2, parsed: 1, fromCache: 1 });
  }, 60_000);
});
