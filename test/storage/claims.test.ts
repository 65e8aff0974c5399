import { afterAll, afterEach, describe, expect, test } from "vitest";
import type { DeliveryPlan } from "../../src/delivery/model.js";
import type { Store } from "../../src/delivery/store.js";
import { subscriptionInput } from "../../src/delivery/subscription.js";
import { postgresBackend, type StoreBackend, sqliteBackend } from "../support/backends.js";
import { tempDir } from "../support/paths.js";

const postgres = postgresBackend();
afterAll(() => postgres.stop());
const opened: { close(): Promise<void> }[] = [];
afterEach(async () => {
  for (const handle of opened.splice(0)) await handle.close();
});

/** Two stores on one new database, as two worker processes would open it. */
async function twoWorkers(backend: StoreBackend): Promise<[Store, Store]> {
  const url = await backend.databaseUrl(tempDir());
  const a = await backend.open(url);
  const b = await backend.open(url);
  opened.push(a, b);
  return [a.store, b.store];
}

const plan = (channelId: string, digestDate: string): DeliveryPlan => ({
  channelId,
  guildId: "900000000000000001",
  digestDate,
  kind: "scheduled",
  mode: "embeds",
  language: "en",
  steps: [
    { role: "header", payload: { content: "h", embeds: [], allowed_mentions: { parse: [] } } },
  ],
});

const channel = (i: number) => String(100000000000000000n + BigInt(i));
const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

for (const backend of [sqliteBackend, postgres]) {
  describe.skipIf(!backend.available)(`delivery claims on ${backend.name}`, () => {
    test("workers claiming at once never get the same delivery, and together get them all", async () => {
      const [a, b] = await twoWorkers(backend);
      for (let i = 0; i < 60; i++) await a.createDelivery(plan(channel(i), "2024-02-20"));
      const got: number[][] = [[], []];
      await Promise.all(
        [a, b].map(async (store, w) => {
          for (;;) {
            const claims = await store.claimDeliveries(`worker-${w}`, 30_000, 7);
            if (claims.length === 0) return;
            got[w]?.push(...claims.map((c) => c.delivery.id));
          }
        }),
      );
      const all = [...(got[0] ?? []), ...(got[1] ?? [])];
      expect(all).toHaveLength(60);
      expect(new Set(all).size).toBe(60);
      // Each holder holds what it got (a worker that got none, on a busy machine, holds none).
      const holders = Object.fromEntries(
        got.flatMap((ids, w) => (ids.length > 0 ? [[`worker-${w}`, ids.length]] : [])),
      );
      expect(await a.claimCounts()).toEqual({ holders, unclaimed: 0 });
    });

    test("a channel's deliveries are claimed one at a time, oldest first, and a paused channel's not at all", async () => {
      const [a] = await twoWorkers(backend);
      const first = await a.createDelivery(plan(channel(1), "2024-02-19"));
      const second = await a.createDelivery(plan(channel(1), "2024-02-20"));
      await a.saveSubscription(subscriptionInput(channel(2), "900000000000000001", "embeds"));
      await a.createDelivery(plan(channel(2), "2024-02-20"));
      await a.pauseSubscription(channel(2), "missing access");
      const claims = await a.claimDeliveries("w", 30_000, 10);
      expect(claims.map((c) => c.delivery.id)).toEqual([first?.id]);
      // Still the older one's turn while it is pending, claimed or not.
      expect(await a.claimDeliveries("other", 30_000, 10)).toEqual([]);
      await a.finishDelivery(first?.id as number, "done", null);
      await a.releaseClaim("w", first?.id as number, claims[0]?.token as number, 0);
      expect((await a.claimDeliveries("other", 30_000, 10)).map((c) => c.delivery.id)).toEqual([
        second?.id,
      ]);
    });

    test("a claim that ran out is taken by another worker with a new token, and the old holder can neither renew nor release it", async () => {
      const [a, b] = await twoWorkers(backend);
      const delivery = await a.createDelivery(plan(channel(3), "2024-02-20"));
      const id = delivery?.id as number;
      const [mine] = await a.claimDeliveries("frozen", 300, 5);
      expect(await b.claimDeliveries("other", 30_000, 5)).toEqual([]);
      expect(await a.renewClaims("frozen", [{ id, token: mine?.token as number }], 300)).toEqual([
        id,
      ]);
      await pause(450);
      const [theirs] = await b.claimDeliveries("other", 30_000, 5);
      expect(theirs?.delivery.id).toBe(id);
      expect(theirs?.token).toBe((mine?.token as number) + 1);
      expect(await a.renewClaims("frozen", [{ id, token: mine?.token as number }], 300)).toEqual(
        [],
      );
      await a.releaseClaim("frozen", id, mine?.token as number, 0);
      expect((await a.claimCounts()).holders).toEqual({ other: 1 });
    });

    test("a delivery given back with a wait is claimed again only after it", async () => {
      const [a] = await twoWorkers(backend);
      const delivery = await a.createDelivery(plan(channel(4), "2024-02-20"));
      const [claim] = await a.claimDeliveries("w", 30_000, 5);
      await a.releaseClaim("w", delivery?.id as number, claim?.token as number, 400);
      expect(await a.claimDeliveries("w", 30_000, 5)).toEqual([]);
      expect((await a.claimCounts()).unclaimed).toBe(1);
      await pause(500);
      expect(await a.claimDeliveries("w", 30_000, 5)).toHaveLength(1);
    });
  });
}
