import { join } from "node:path";
import Database from "better-sqlite3";
import { describe, expect, test } from "vitest";
import type { DeliveryPlan } from "../../src/delivery/model.js";
import { openDatabase } from "../../src/storage/database.js";
import { MIGRATIONS } from "../../src/storage/migrations.js";
import { SqliteStore, stepNonce } from "../../src/storage/sqlite-store.js";
import { tempDir } from "../support/paths.js";

const plan = (kind: DeliveryPlan["kind"]): DeliveryPlan => ({
  channelId: "123456789012345678",
  guildId: "223456789012345678",
  digestDate: "2024-02-20",
  kind,
  mode: "embeds",
  language: "ko",
  steps: [
    { role: "header", payload: { content: "h", embeds: [], allowed_mentions: { parse: [] } } },
    { role: "papers", payload: { embeds: [{ title: "p" }], allowed_mentions: { parse: [] } } },
  ],
});

describe("the SQLite store", () => {
  test("upgrades a file written by the first schema and keeps its rows", () => {
    const path = join(tempDir(), "old.db");
    const raw = new Database(path);
    raw.exec(MIGRATIONS[0] as string);
    raw.pragma("user_version = 1");
    raw
      .prepare(
        "INSERT INTO digest_cache (path, content_hash, parser_version, result_json) VALUES ('a.md', 'h', 1, '{}')",
      )
      .run();
    raw.close();
    const db = openDatabase(path);
    expect(db.pragma("user_version", { simple: true })).toBe(MIGRATIONS.length);
    expect(db.prepare("SELECT count(*) AS n FROM digest_cache").get()).toEqual({ n: 1 });
    expect(new SqliteStore(db).subscriptions()).toEqual([]);
    db.close();
  });

  test("records a scheduled delivery once per channel and digest, but manual ones every time", () => {
    const store = new SqliteStore(openDatabase(join(tempDir(), "s.db")));
    const first = store.createDelivery(plan("scheduled"));
    expect(first).toMatchObject({ status: "pending", kind: "scheduled" });
    expect(store.createDelivery(plan("scheduled"))).toBeNull();
    expect(store.createDelivery(plan("manual"))).not.toBeNull();
    expect(store.createDelivery(plan("manual"))).not.toBeNull();
    const steps = store.steps(first?.id ?? 0);
    expect(steps.map((s) => s.role)).toEqual(["header", "papers"]);
    expect(steps.every((s) => s.nonce.length <= 25)).toBe(true);
    expect(new Set(steps.map((s) => s.nonce)).size).toBe(2);
    expect(store.unfinishedDeliveries()).toHaveLength(3);
  });

  test("records an update once per channel, date and set of papers, with the papers it saw", () => {
    const store = new SqliteStore(openDatabase(join(tempDir(), "u.db")));
    const original = store.createDelivery({ ...plan("scheduled"), paperKeys: ["arxiv:1"] });
    const update = (key: string): DeliveryPlan => ({
      ...plan("update"),
      paperKeys: ["arxiv:1", "arxiv:2"],
      update: { of: original?.id ?? 0, threadId: "323456789012345678", key },
    });
    expect(store.createDelivery(update("k1"))).toMatchObject({
      kind: "update",
      updateOf: original?.id,
      threadId: "323456789012345678",
      paperKeys: ["arxiv:1", "arxiv:2"],
    });
    expect(store.createDelivery(update("k1"))).toBeNull();
    expect(store.createDelivery(update("k2"))).not.toBeNull();
    expect(store.lastScheduledDate(plan("scheduled").channelId)).toBe("2024-02-20");
    expect(
      store.channelDeliveries(plan("scheduled").channelId, "2024-02-20").map((d) => d.kind),
    ).toEqual(["scheduled", "update", "update"]);
    expect(store.channelDeliveries(plan("scheduled").channelId, "2024-02-21")).toEqual([]);
  });

  test("nonces are deterministic and differ by channel, delivery and step", () => {
    expect(stepNonce("1", "2024-02-20", 1, 0)).toBe(stepNonce("1", "2024-02-20", 1, 0));
    const all = new Set([
      stepNonce("1", "d", 1, 0),
      stepNonce("2", "d", 1, 0),
      stepNonce("1", "d", 2, 0),
      stepNonce("1", "d", 1, 1),
    ]);
    expect(all.size).toBe(4);
  });

  test("a subscription saved again is resumed from a pause; a pause is recorded only once", () => {
    const store = new SqliteStore(openDatabase(join(tempDir(), "p.db")));
    const input = {
      channelId: "123456789012345678",
      guildId: "223456789012345678",
      mode: "thread" as const,
      minVotes: 5,
      topN: 3,
      includeKeywords: ["LLM"],
      excludeKeywords: [],
      mentionRoleId: null,
      forumTagId: "423456789012345678",
      createdBy: "323456789012345678",
    };
    store.saveSubscription(input);
    expect(store.pauseSubscription(input.channelId, "50001: Missing Access")).toBe(true);
    expect(store.pauseSubscription(input.channelId, "again")).toBe(false);
    store.markPauseNotified(input.channelId);
    expect(store.subscription(input.channelId)).toMatchObject({
      pausedReason: "50001: Missing Access",
      pauseNotified: true,
      includeKeywords: ["LLM"],
      forumTagId: "423456789012345678",
    });
    store.saveSubscription(input);
    expect(store.subscription(input.channelId)).toMatchObject({
      pausedReason: null,
      pauseNotified: false,
    });
  });
});
