import { existsSync } from "node:fs";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import {
  POSTGRES_SKIP_LINE,
  postgresBinDir,
  REQUIRE_POSTGRES,
  startThrowawayCluster,
  type ThrowawayCluster,
} from "../support/postgres.js";

const available = postgresBinDir() !== null;

test("PostgreSQL binaries are present when CI requires them", () => {
  if (!available) console.log(POSTGRES_SKIP_LINE);
  if (REQUIRE_POSTGRES) expect(available, POSTGRES_SKIP_LINE).toBe(true);
});

describe.skipIf(!available)("a throwaway PostgreSQL cluster", () => {
  let cluster: ThrowawayCluster;
  beforeAll(async () => {
    cluster = await startThrowawayCluster();
  }, 120_000);
  afterAll(() => cluster?.stop());

  test("answers queries on its own port, in databases created on demand", async () => {
    for (const url of [cluster.url, cluster.database("paperboy_test")]) {
      const client = new pg.Client({ connectionString: url });
      await client.connect();
      try {
        const { rows } = await client.query<{ db: string; sum: number }>(
          "SELECT current_database() AS db, 1 + 1 AS sum",
        );
        expect(rows[0]?.sum).toBe(2);
        expect(url.endsWith(`/${rows[0]?.db}`)).toBe(true);
      } finally {
        await client.end();
      }
    }
  });

  test("stopping it frees the port and removes its folder", async () => {
    const other = await startThrowawayCluster();
    other.stop();
    expect(existsSync(other.dir)).toBe(false);
    const client = new pg.Client({ connectionString: other.url, connectionTimeoutMillis: 2000 });
    await expect(client.connect()).rejects.toThrow();
  }, 120_000);
});
