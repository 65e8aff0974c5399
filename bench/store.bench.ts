import { readFileSync } from "node:fs";
import { join } from "node:path";
import { planDelivery } from "../src/delivery/planner.js";
import type { Store } from "../src/delivery/store.js";
import { subscriptionInput } from "../src/delivery/subscription.js";
import { parseDigest } from "../src/digest/parse.js";
import { openDatabase } from "../src/storage/database.js";
import { openPostgresStore } from "../src/storage/postgres-connect.js";
import { SqliteStore } from "../src/storage/sqlite-store.js";
import { postgresBinDir, startThrowawayCluster } from "../test/support/postgres.js";
import type { BenchRow } from "./table.js";

const CHANNELS = 200;
const RUNS = 3;

interface HotPaths {
  plan: number;
  markSent: number;
  readUnfinished: number;
}

/** The delivery path's store calls for one digest to 200 channels, timed in three parts. */
async function hotPaths(store: Store, samplePath: string): Promise<HotPaths> {
  const result = parseDigest(readFileSync(samplePath, "utf8"), samplePath);
  if (!result.ok) throw new Error("the sample digest does not parse");
  const plans = Array.from({ length: CHANNELS }, (_, i) =>
    planDelivery(result.digest, subscriptionInput(`${9_000_000 + i}`, "1"), "ko", "scheduled"),
  );
  let start = performance.now();
  const deliveries = [];
  for (const plan of plans) {
    const delivery = await store.createDelivery(plan);
    if (delivery) deliveries.push(delivery);
  }
  const plan = performance.now() - start;

  start = performance.now();
  const unfinished = await store.unfinishedDeliveries();
  for (const delivery of unfinished) await store.steps(delivery.id);
  const readUnfinished = performance.now() - start;

  start = performance.now();
  for (const delivery of deliveries) {
    for (const step of await store.steps(delivery.id)) {
      await store.recordAttempt(delivery.id, step.seq, Date.now());
      await store.markStep(delivery.id, step.seq, "sent", `${1_000_000 + step.seq}`);
    }
    await store.finishDelivery(delivery.id, "done", null);
  }
  const markSent = performance.now() - start;
  return { plan, markSent, readUnfinished };
}

const worst = (runs: HotPaths[], key: keyof HotPaths) => Math.max(...runs.map((r) => r[key]));

/**
 * The store's hot paths on SQLite (a file) and PostgreSQL (a throwaway local server), worst of 3
 * runs each on a fresh database; SQLite in memory is the baseline for the file, the file for
 * PostgreSQL.
 */
export async function storeBench(samplePath: string, workDir: string): Promise<BenchRow[]> {
  const memory: HotPaths[] = [];
  const file: HotPaths[] = [];
  for (let run = 0; run < RUNS; run++) {
    const inMemory = openDatabase(":memory:");
    memory.push(await hotPaths(new SqliteStore(inMemory), samplePath));
    inMemory.close();
    const db = openDatabase(join(workDir, `store-${run}.db`));
    file.push(await hotPaths(new SqliteStore(db), samplePath));
    db.close();
  }
  const postgres: HotPaths[] = [];
  if (postgresBinDir() !== null) {
    const cluster = await startThrowawayCluster();
    try {
      for (let run = 0; run < RUNS; run++) {
        const connection = await openPostgresStore({
          url: cluster.database(`bench_${run}`),
          poolSize: 10,
          statementTimeoutMs: 30_000,
        });
        postgres.push(await hotPaths(connection.store, samplePath));
        await connection.close();
      }
    } finally {
      cluster.stop();
    }
  }
  const parts: [keyof HotPaths, string][] = [
    ["plan", `record a ${CHANNELS}-channel delivery plan (deliveries and steps)`],
    ["markSent", "mark every step attempted and sent, finish each delivery"],
    ["readUnfinished", "read unfinished work (deliveries and their steps)"],
  ];
  const rows: BenchRow[] = [];
  for (const [key, name] of parts) {
    rows.push({
      name: `${name}: SQLite file, worst of ${RUNS}`,
      value: worst(file, key),
      unit: "ms",
      baseline: `SQLite in memory: ${worst(memory, key).toFixed(1)} ms`,
    });
    rows.push(
      postgres.length > 0
        ? {
            name: `  … PostgreSQL (local server), worst of ${RUNS}`,
            value: worst(postgres, key),
            unit: "ms",
            baseline: `SQLite file: ${worst(file, key).toFixed(1)} ms`,
          }
        : { name: "  … PostgreSQL: skipped (no initdb/pg_ctl installed)", value: 0, unit: "" },
    );
  }
  return rows;
}
