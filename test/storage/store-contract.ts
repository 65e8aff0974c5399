import { expect, test } from "vitest";
import type { DeliveryPlan } from "../../src/delivery/model.js";
import type { Store } from "../../src/delivery/store.js";
import { stepNonce } from "../../src/storage/sqlite-store.js";
import { followContract } from "./follow-contract.js";
import { leaseContract } from "./lease-contract.js";
import { settingsContract } from "./settings-contract.js";

/** Two stores on one fresh database, as two processes would open it. */
export type OpenStores = () => Promise<[Store, Store]>;

const CHANNEL = "123456789012345678";
const GUILD = "223456789012345678";
const ISO_TIME = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/;

const plan = (kind: DeliveryPlan["kind"], changes: Partial<DeliveryPlan> = {}): DeliveryPlan => ({
  channelId: CHANNEL,
  guildId: GUILD,
  digestDate: "2024-02-20",
  kind,
  mode: "embeds",
  language: "ko",
  steps: [
    { role: "header", payload: { content: "h", embeds: [], allowed_mentions: { parse: [] } } },
    { role: "papers", payload: { embeds: [{ title: "p" }], allowed_mentions: { parse: [] } } },
  ],
  ...changes,
});

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** The Store contract: every backend must pass these, with the same answers. */
export function storeContract(open: OpenStores): void {
  test("records a scheduled delivery once per channel and digest, but manual ones every time", async () => {
    const [store] = await open();
    const first = await store.createDelivery(plan("scheduled"));
    expect(first).toMatchObject({ status: "pending", kind: "scheduled", updateOf: null });
    expect(typeof first?.id).toBe("number");
    expect(await store.createDelivery(plan("scheduled"))).toBeNull();
    expect(await store.createDelivery(plan("manual"))).not.toBeNull();
    expect(await store.createDelivery(plan("manual"))).not.toBeNull();
    const id = first?.id ?? 0;
    const steps = await store.steps(id);
    expect(steps.map((s) => [s.deliveryId, s.seq, s.role, s.status])).toEqual([
      [id, 0, "header", "pending"],
      [id, 1, "papers", "pending"],
    ]);
    expect(steps.map((s) => s.nonce)).toEqual([
      stepNonce(CHANNEL, "2024-02-20", id, 0),
      stepNonce(CHANNEL, "2024-02-20", id, 1),
    ]);
    expect(steps[1]?.payload).toEqual(plan("manual").steps[1]?.payload);
    expect(await store.unfinishedDeliveries()).toHaveLength(3);
  });

  test("records an update once per channel, date and set of papers, with the papers it saw", async () => {
    const [store] = await open();
    const original = await store.createDelivery(plan("scheduled", { paperKeys: ["arxiv:1"] }));
    const update = (key: string) =>
      plan("update", {
        paperKeys: ["arxiv:1", "arxiv:2"],
        update: { of: original?.id ?? 0, threadId: "323456789012345678", key },
      });
    expect(original?.paperKeys).toEqual(["arxiv:1"]);
    expect(await store.createDelivery(update("k1"))).toMatchObject({
      kind: "update",
      updateOf: original?.id,
      threadId: "323456789012345678",
      paperKeys: ["arxiv:1", "arxiv:2"],
    });
    expect(await store.createDelivery(update("k1"))).toBeNull();
    expect(await store.createDelivery(update("k2"))).not.toBeNull();
    expect(await store.lastScheduledDate(CHANNEL)).toBe("2024-02-20");
    expect(await store.lastScheduledDate("999")).toBeNull();
    const kinds = (await store.channelDeliveries(CHANNEL, "2024-02-20")).map((d) => d.kind);
    expect(kinds).toEqual(["scheduled", "update", "update"]);
    expect(await store.channelDeliveries(CHANNEL, "2024-02-21")).toEqual([]);
  });

  test("a delivery whose steps cannot be recorded is not recorded at all", async () => {
    const [store] = await open();
    const broken = plan("scheduled");
    // JSON.stringify throws on a bigint: the failure comes after the delivery row was inserted.
    broken.steps.push({ role: "papers", payload: { content: 1n } as never });
    await expect(store.createDelivery(broken)).rejects.toThrow();
    expect(await store.findScheduledDelivery(CHANNEL, "2024-02-20")).toBeNull();
    expect(await store.unfinishedDeliveries()).toEqual([]);
    expect(await store.createDelivery(plan("scheduled"))).not.toBeNull();
  });

  test("finds deliveries by channel and date, by id, and the unfinished ones oldest first", async () => {
    const [store] = await open();
    const other = "999999999999999999";
    const a = await store.createDelivery(plan("scheduled", { digestDate: "2024-02-21" }));
    const b = await store.createDelivery(plan("scheduled", { channelId: other }));
    const c = await store.createDelivery(plan("scheduled", { digestDate: "2024-02-19" }));
    expect(await store.findScheduledDelivery(CHANNEL, "2024-02-21")).toEqual(a);
    expect(await store.findScheduledDelivery(CHANNEL, "2024-02-22")).toBeNull();
    expect(await store.delivery(b?.id ?? 0)).toEqual(b);
    expect(await store.delivery(123456)).toBeNull();
    expect((await store.channelDeliveries(CHANNEL, "2000-01-01")).map((d) => d.id)).toEqual([
      c?.id,
      a?.id,
    ]);
    await store.finishDelivery(a?.id ?? 0, "failed", "boom");
    expect((await store.unfinishedDeliveries()).map((d) => d.id)).toEqual([b?.id, c?.id]);
    expect((await store.unfinishedDeliveries(CHANNEL)).map((d) => d.id)).toEqual([c?.id]);
    expect(await store.delivery(a?.id ?? 0)).toMatchObject({ status: "failed", error: "boom" });
  });

  test("stamps times as SQLite writes them, and knows when the last delivery finished done", async () => {
    const [store] = await open();
    expect(await store.lastDeliveredAt()).toBeNull();
    const before = new Date(Date.now() - 1000).toISOString();
    const a = await store.createDelivery(plan("scheduled"));
    const b = await store.createDelivery(plan("manual"));
    expect(a?.createdAt).toMatch(ISO_TIME);
    expect(a?.finishedAt).toBeNull();
    await store.finishDelivery(a?.id ?? 0, "done", null);
    await pause(5);
    await store.finishDelivery(b?.id ?? 0, "failed", "gone");
    const done = await store.delivery(a?.id ?? 0);
    expect(done?.finishedAt).toMatch(ISO_TIME);
    expect(done?.finishedAt && done.finishedAt >= before).toBe(true);
    expect(await store.lastDeliveredAt()).toBe(done?.finishedAt);
  });

  test("lists the newest delivery of each channel, newest first, up to the limit", async () => {
    const [store] = await open();
    const made = [];
    for (const [channelId, digestDate] of [
      ["1", "2024-02-20"],
      ["2", "2024-02-20"],
      ["1", "2024-02-21"],
      ["3", "2024-02-20"],
    ] as const) {
      made.push(await store.createDelivery(plan("scheduled", { channelId, digestDate })));
    }
    const ids = (await store.lastDeliveries(10)).map((d) => d.id);
    expect(ids).toEqual([made[3]?.id, made[2]?.id, made[1]?.id]);
    expect((await store.lastDeliveries(2)).map((d) => d.id)).toEqual(ids.slice(0, 2));
  });

  test("a step keeps its attempts, last error, first attempt time and what was sent", async () => {
    const [store] = await open();
    const id = (await store.createDelivery(plan("scheduled")))?.id ?? 0;
    await store.recordAttempt(id, 0, 1_708_400_000_123);
    await store.recordAttempt(id, 0, 1_708_400_999_999);
    await store.stepError(id, 0, "x".repeat(1500));
    expect((await store.steps(id))[0]).toMatchObject({ attempts: 2, status: "pending" });
    expect((await store.steps(id))[0]?.lastError).toBe("x".repeat(1000));
    expect((await store.steps(id))[0]?.firstAttemptAt).toBe(1_708_400_000_123);
    await store.markStep(id, 0, "sent", "523456789012345678");
    await store.markStep(id, 1, "skipped", null, "50035: too long");
    const [header, papers] = await store.steps(id);
    expect(header).toMatchObject({ status: "sent", discordId: "523456789012345678" });
    expect(header?.lastError).toBe("x".repeat(1000));
    expect(papers).toMatchObject({ status: "skipped", lastError: "50035: too long" });
    expect(papers?.firstAttemptAt).toBeNull();
    expect(await store.messageRecorded("523456789012345678")).toBe(true);
    expect(await store.messageRecorded("623456789012345678")).toBe(false);
  });

  test("a thread belongs to the first delivery that recorded it", async () => {
    const [store] = await open();
    const a = await store.createDelivery(plan("scheduled"));
    const b = await store.createDelivery(plan("manual"));
    expect(await store.threadOwner("723456789012345678")).toBeNull();
    await store.setThread(b?.id ?? 0, "723456789012345678");
    await store.setThread(a?.id ?? 0, "723456789012345678");
    expect(await store.threadOwner("723456789012345678")).toBe(a?.id);
    expect((await store.delivery(b?.id ?? 0))?.threadId).toBe("723456789012345678");
  });

  test("error text holding a NUL character is kept, not refused", async () => {
    const [store] = await open();
    const id = (await store.createDelivery(plan("scheduled")))?.id ?? 0;
    await store.stepError(id, 0, "bad\u0000byte");
    await store.finishDelivery(id, "failed", "bad\u0000byte");
    // PostgreSQL text cannot hold NUL: it becomes U+FFFD there; SQLite keeps it.
    const same = (text: string | null | undefined) => text?.replace("\uFFFD", "\u0000");
    expect(same((await store.steps(id))[0]?.lastError)).toBe("bad\u0000byte");
    expect(same((await store.delivery(id))?.error)).toBe("bad\u0000byte");
  });

  test("two processes racing to record the same delivery: exactly one records it", async () => {
    const [a, b] = await open();
    const original = await a.createDelivery(plan("scheduled", { digestDate: "2024-01-01" }));
    const update = plan("update", {
      digestDate: "2024-01-01",
      update: { of: original?.id ?? 0, threadId: null, key: "k" },
    });
    for (const attempt of [plan("scheduled"), update]) {
      const results = await Promise.all(
        Array.from({ length: 16 }, (_, i) => (i % 2 ? a : b).createDelivery(attempt)),
      );
      const recorded = results.filter((d) => d !== null);
      expect(recorded).toHaveLength(1);
      expect(await a.steps(recorded[0]?.id ?? 0)).toHaveLength(2);
    }
    expect(await b.unfinishedDeliveries()).toHaveLength(3);
  });

  settingsContract(open);
  leaseContract(open);
  followContract(open);
}
