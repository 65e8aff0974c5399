import { join } from "node:path";
import { afterEach, describe, expect, test } from "vitest";
import type { DeliveryPlan } from "../../src/delivery/model.js";
import type { OpsServer } from "../../src/ops/http.js";
import { startOpsServer } from "../../src/ops/http.js";
import { ledgerMetricSources, Metrics } from "../../src/ops/metrics.js";
import { openDatabase, type SqliteDatabase } from "../../src/storage/database.js";
import { SqliteStore } from "../../src/storage/sqlite-store.js";
import { healthySnapshot } from "../support/ops-server.js";
import { tempDir } from "../support/paths.js";

const plan = (digestDate: string): DeliveryPlan => ({
  channelId: "123456789012345678",
  guildId: "223456789012345678",
  digestDate,
  kind: "scheduled",
  mode: "embeds",
  language: "en",
  steps: [
    { role: "header", payload: { content: "h", embeds: [], allowed_mentions: { parse: [] } } },
  ],
});

const running: { server: OpsServer; db: SqliteDatabase }[] = [];
afterEach(async () => {
  for (const { server, db } of running.splice(0)) {
    await server.close();
    db.close();
  }
});

/** A process's view of the ledger in `path`: its store, metrics and a real ops server. */
async function scrape(
  path: string,
): Promise<{ text: string; store: SqliteStore; db: SqliteDatabase }> {
  const db = openDatabase(path);
  const store = new SqliteStore(db);
  const metrics = new Metrics({
    archive: () => ({ digests: 0, papers: 0 }),
    ...ledgerMetricSources(() => store),
  });
  const server = await startOpsServer(0, "127.0.0.1", {
    health: healthySnapshot,
    metrics: async () => ({
      contentType: metrics.registry.contentType,
      body: await metrics.registry.metrics(),
    }),
  });
  running.push({ server, db });
  const response = await fetch(`http://127.0.0.1:${server.port}/metrics`);
  expect(response.status).toBe(200);
  return { text: await response.text(), store, db };
}

const value = (text: string, series: string) => {
  const line = text.split("\n").find((l) => l.startsWith(`${series} `));
  return line === undefined ? undefined : Number(line.slice(series.length + 1));
};

describe("the ledger's metrics", () => {
  test("count pending deliveries by how long they have waited, and the oldest's age", async () => {
    const path = join(tempDir(), "paperboy.sqlite");
    const { store, db } = await scrape(path);
    const ages = {
      "2024-01-01": 10,
      "2024-01-02": 90,
      "2024-01-03": 120,
      "2024-01-04": 7200,
      "2024-01-05": 200_000,
    };
    for (const [date, seconds] of Object.entries(ages)) {
      const delivery = await store.createDelivery(plan(date));
      const at = new Date(Date.now() - seconds * 1000).toISOString();
      db.prepare("UPDATE deliveries SET created_at = ? WHERE id = ?").run(at, delivery?.id);
    }
    const { text } = await scrape(path);
    expect(value(text, 'paperboy_pending_deliveries{age="<1m"}')).toBe(1);
    expect(value(text, 'paperboy_pending_deliveries{age="1m-10m"}')).toBe(2);
    expect(value(text, 'paperboy_pending_deliveries{age="10m-1h"}')).toBe(0);
    expect(value(text, 'paperboy_pending_deliveries{age="1h-1d"}')).toBe(1);
    expect(value(text, 'paperboy_pending_deliveries{age=">1d"}')).toBe(1);
    expect(value(text, "paperboy_deliveries_pending")).toBe(5);
    const oldest = value(text, "paperboy_oldest_pending_delivery_age_seconds") ?? 0;
    expect(oldest).toBeGreaterThanOrEqual(200_000);
    expect(oldest).toBeLessThan(200_060);
  });

  test("show when the last delivery succeeded, from the ledger, so a restart keeps it", async () => {
    const path = join(tempDir(), "paperboy.sqlite");
    const first = await scrape(path);
    expect(value(first.text, "paperboy_last_successful_delivery_timestamp_seconds")).toBe(0);
    expect(value(first.text, "paperboy_oldest_pending_delivery_age_seconds")).toBe(0);
    const done = await first.store.createDelivery(plan("2024-02-20"));
    await first.store.finishDelivery(done?.id ?? 0, "done", null);
    const failed = await first.store.createDelivery(plan("2024-02-21"));
    await first.store.finishDelivery(failed?.id ?? 0, "failed", "no");
    const finishedAt = Date.parse((await first.store.lastDeliveredAt()) ?? "");
    expect(Math.abs(finishedAt - Date.now())).toBeLessThan(60_000);
    // A new process on the same file: the time comes from the ledger, not from memory.
    const restarted = await scrape(path);
    expect(value(restarted.text, "paperboy_last_successful_delivery_timestamp_seconds")).toBe(
      finishedAt / 1000,
    );
  });
});
