import pg from "pg";
import { describe, expect, test } from "vitest";
import { openStore } from "../../src/app/open-store.js";
import { StartupError } from "../../src/app/preflight.js";
import { parseConfig } from "../../src/config.js";
import { memoryLogger } from "../support/logger.js";
import { freePort } from "../support/ports.js";
import { postgresBinDir, startThrowawayCluster } from "../support/postgres.js";

describe("starting on PostgreSQL", () => {
  test("a server that cannot be reached stops start-up with one line naming DATABASE_URL, its password hidden", async () => {
    const port = await freePort();
    const config = parseConfig({
      DATABASE_URL: `postgres://paperboy:pg-s3cret@127.0.0.1:${port}/paperboy`,
    });
    const log = memoryLogger();
    const error = await openStore(config, log.logger).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(StartupError);
    const message = (error as Error).message;
    expect(message).toMatch(
      new RegExp(
        `^DATABASE_URL=postgres://paperboy:\\*\\*\\*@127\\.0\\.0\\.1:${port}/paperboy: cannot connect`,
      ),
    );
    expect(message).toMatch(/Check that the server runs/);
    expect(message).not.toContain("\n");
    expect(message).not.toContain("pg-s3cret");
    expect(JSON.stringify(log.lines())).not.toContain("pg-s3cret");
  });

  test.skipIf(postgresBinDir() === null)(
    "a database migrated by a newer Paperboy stops start-up with one line, and is left as it was",
    async () => {
      const cluster = await startThrowawayCluster();
      try {
        const url = cluster.database("newer");
        const config = parseConfig({ DATABASE_URL: url });
        const first = await openStore(config, memoryLogger().logger);
        await first.close();
        const admin = new pg.Client({ connectionString: url });
        await admin.connect();
        await admin.query("UPDATE schema_version SET version = version + 5");
        const error = await openStore(config, memoryLogger().logger).catch((e: unknown) => e);
        expect(error).toBeInstanceOf(StartupError);
        const message = (error as Error).message;
        expect(message).not.toContain("\n");
        expect(message).toMatch(
          /^DATABASE_URL=postgres:\/\/.*: database schema version \d+ is newer than this Paperboy \(\d+\); upgrade Paperboy\. /,
        );
        const { rows } = await admin.query("SELECT version FROM schema_version");
        expect(rows).toHaveLength(1);
        await admin.end();
      } finally {
        cluster.stop();
      }
    },
    60_000,
  );

  test.skipIf(postgresBinDir() === null)(
    "a reachable server is migrated and probed; the store and its health work",
    async () => {
      const cluster = await startThrowawayCluster();
      try {
        const config = parseConfig({ DATABASE_URL: cluster.database("startup") });
        const opened = await openStore(config, memoryLogger().logger);
        expect(opened.db).toBeNull();
        expect(opened.cache).toBeDefined();
        await opened.store.saveGuildSettings("1", { language: "en" });
        expect(await opened.store.guildSettings("1")).toMatchObject({ language: "en" });
        expect(opened.databaseHealth.check().state).toBe("ok");
        await opened.close();
      } finally {
        cluster.stop();
      }
    },
    60_000,
  );
});
