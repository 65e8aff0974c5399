import { expect, test } from "vitest";
import { alertChannel, DMS_CLOSED, type FollowKind } from "../../src/alerts/model.js";
import type { DeliveryPlan } from "../../src/delivery/model.js";
import type { OpenStores } from "./store-contract.js";

const READER = "323456789012345678";
const OTHER = "423456789012345678";

const input = (kind: FollowKind, value: string, userId = READER) => ({
  userId,
  kind,
  value,
  key: value.toLowerCase(),
  language: "en" as const,
});

const alertPlan = (userId: string, date: string): DeliveryPlan => ({
  channelId: alertChannel(userId),
  guildId: null,
  digestDate: date,
  kind: "scheduled",
  mode: "dm",
  language: "en",
  steps: [
    {
      role: "dm-open",
      payload: { embeds: [], allowed_mentions: { parse: [] }, recipient_id: userId },
    },
    { role: "papers", payload: { embeds: [{ title: "p" }], allowed_mentions: { parse: [] } } },
  ],
});

/** Readers, follows and alert bookkeeping: the same answers from every backend. */
export function followContract(open: OpenStores): void {
  test("a follow is added once, counted per reader, and refused past the limit", async () => {
    const [store] = await open();
    const first = await store.addFollow(input("author", "Ada Lovelace"), 2);
    expect(first).toMatchObject({ status: "added", follow: { userId: READER, kind: "author" } });
    expect(await store.addFollow(input("author", "Ada Lovelace"), 2)).toMatchObject({
      status: "exists",
    });
    expect(await store.addFollow(input("topic", "diffusion"), 2)).toMatchObject({
      status: "added",
    });
    expect(await store.addFollow(input("topic", "video"), 2)).toEqual({ status: "full", count: 2 });
    // Another reader's follows do not count against this one's.
    expect(await store.addFollow(input("topic", "video", OTHER), 2)).toMatchObject({
      status: "added",
    });
    expect((await store.follows(READER)).map((f) => f.value)).toEqual([
      "Ada Lovelace",
      "diffusion",
    ]);
    expect(await store.allFollows()).toHaveLength(3);
    expect((await store.reader(READER))?.language).toBe("en");
  });

  test("follows made at once by two processes never pass the limit", async () => {
    const [a, b] = await open();
    const results = await Promise.all(
      Array.from({ length: 12 }, (_, i) =>
        (i % 2 === 0 ? a : b).addFollow(input("topic", `topic ${i}`), 5),
      ),
    );
    expect(results.filter((r) => r.status === "added")).toHaveLength(5);
    expect(await a.follows(READER)).toHaveLength(5);
  });

  test("a reader removes only their own follows", async () => {
    const [store] = await open();
    const added = await store.addFollow(input("topic", "robots"), 25);
    if (added.status !== "added") throw new Error("not added");
    expect(await store.removeFollow(OTHER, added.follow.id)).toBeNull();
    expect(await store.removeFollow(READER, added.follow.id)).toMatchObject({ value: "robots" });
    expect(await store.follows(READER)).toEqual([]);
  });

  test("a digest's arrival is kept from the first time it is seen, on the database's clock", async () => {
    const [a, b] = await open();
    const added = await a.addFollow(input("topic", "robots"), 25);
    if (added.status !== "added") throw new Error("not added");
    await new Promise((resolve) => setTimeout(resolve, 5));
    await a.noteArrivals(["2024-02-20", "2024-02-21"]);
    const first = await a.alertDigests();
    await b.noteArrivals(["2024-02-21", "2024-02-22"]);
    const second = await b.alertDigests();
    expect(second.map((d) => d.date)).toEqual(["2024-02-20", "2024-02-21", "2024-02-22"]);
    expect(second[1]?.arrivedMs).toBe(first[1]?.arrivedMs);
    expect(first[0]?.arrivedMs).toBeGreaterThan(added.follow.createdMs);
    expect(second.every((d) => !d.matched)).toBe(true);
    await b.markMatched("2024-02-21");
    expect((await a.alertDigests()).map((d) => d.matched)).toEqual([false, true, false]);
  });

  test("a refused alert is told once, and a delivered one clears it", async () => {
    const [store] = await open();
    await store.addFollow(input("topic", "robots"), 25);
    expect(await store.takeClosedNotice(READER)).toBeNull();
    await store.markDmsClosed(READER, "2024-02-20");
    expect(await store.reader(READER)).toMatchObject({
      dmsClosedDate: "2024-02-20",
      closedNotice: true,
    });
    expect(await store.takeClosedNotice(READER)).toBe("2024-02-20");
    expect(await store.takeClosedNotice(READER)).toBeNull();
    await store.markDmsOpen(READER);
    expect(await store.reader(READER)).toMatchObject({ dmsClosedDate: null, closedNotice: false });
    await store.setDmChannel(READER, "523456789012345678");
    expect((await store.readers())[0]?.dmChannelId).toBe("523456789012345678");
  });

  test("alerts are counted by outcome, and a reader's data is exported and deleted whole", async () => {
    const [store] = await open();
    await store.addFollow(input("topic", "robots"), 25);
    await store.addFollow(input("author", "Ada Lovelace"), 25);
    await store.addFollow(input("topic", "robots", OTHER), 25);
    const done = await store.createDelivery(alertPlan(READER, "2024-02-20"));
    await store.finishDelivery(done?.id ?? 0, "done", null);
    const refused = await store.createDelivery(alertPlan(READER, "2024-02-21"));
    await store.finishDelivery(refused?.id ?? 0, "failed", `${DMS_CLOSED}: 403 Cannot send`);
    const broken = await store.createDelivery(alertPlan(READER, "2024-02-22"));
    await store.finishDelivery(broken?.id ?? 0, "failed", "400 Invalid Form Body");
    await store.createDelivery(alertPlan(OTHER, "2024-02-21"));
    // Once per reader and digest.
    expect(await store.createDelivery(alertPlan(READER, "2024-02-20"))).toBeNull();
    expect(await store.alertCounts()).toEqual({
      followers: 2,
      follows: 3,
      sent: 1,
      refused: 1,
      failed: 1,
      pending: 1,
    });
    const data = await store.readerData(READER);
    expect(data.follows.map((f) => f.value)).toEqual(["robots", "Ada Lovelace"]);
    expect(data.alerts.map((a) => [a.digestDate, a.status])).toEqual([
      ["2024-02-20", "done"],
      ["2024-02-21", "failed"],
      ["2024-02-22", "failed"],
    ]);
    expect(await store.deleteReader(READER)).toEqual({ follows: 2, alerts: 3, reader: true });
    expect(await store.readerData(READER)).toEqual({
      userId: READER,
      reader: null,
      follows: [],
      alerts: [],
    });
    expect(await store.alertCounts()).toMatchObject({ followers: 1, follows: 1, pending: 1 });
  });

  test("channel deliveries are claimed before readers' alerts, even when recorded later", async () => {
    const [store] = await open();
    await store.createDelivery(alertPlan(READER, "2024-02-20"));
    const channel = await store.createDelivery({
      ...alertPlan(READER, "2024-02-20"),
      channelId: "623456789012345678",
      mode: "embeds",
      steps: [
        { role: "papers", payload: { embeds: [{ title: "p" }], allowed_mentions: { parse: [] } } },
      ],
    });
    const first = await store.claimDeliveries("w1", 60_000, 1);
    expect(first.map((c) => c.delivery.id)).toEqual([channel?.id]);
    const second = await store.claimDeliveries("w1", 60_000, 1);
    expect(second.map((c) => c.delivery.channelId)).toEqual([alertChannel(READER)]);
  });

  test("a digest's alerts are recorded in one batch, each once, with their steps", async () => {
    const [store] = await open();
    const earlier = await store.createDelivery(alertPlan(OTHER, "2024-02-20"));
    const batch = await store.createScheduledDeliveries([
      alertPlan(READER, "2024-02-20"),
      alertPlan(OTHER, "2024-02-20"),
      alertPlan("523456789012345678", "2024-02-20"),
    ]);
    expect(batch.map((d) => d?.channelId ?? null)).toEqual([
      alertChannel(READER),
      null,
      alertChannel("523456789012345678"),
    ]);
    expect(batch[0]?.id).not.toBe(earlier?.id);
    const steps = await store.steps(batch[2]?.id ?? 0);
    expect(steps.map((s) => [s.role, s.status])).toEqual([
      ["dm-open", "pending"],
      ["papers", "pending"],
    ]);
    expect(steps[0]?.payload.recipient_id).toBe("523456789012345678");
    expect(new Set(steps.map((s) => s.nonce)).size).toBe(2);
    await expect(
      store.createScheduledDeliveries([{ ...alertPlan(READER, "2024-02-21"), kind: "manual" }]),
    ).rejects.toThrow(/only scheduled/);
    expect(await store.createScheduledDeliveries([])).toEqual([]);
  });
}
