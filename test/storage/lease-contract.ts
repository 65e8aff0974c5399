import { expect, test } from "vitest";
import type { LeaseStore } from "../../src/delivery/store.js";

/** Two stores on one fresh database, as two processes would open it. */
export type OpenLeaseStores = () => Promise<[LeaseStore, LeaseStore]>;

const MINUTE = 60_000;
const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Several acquisitions at once from both processes, every connection they need open first. */
async function race(a: LeaseStore, b: LeaseStore, name: string) {
  const contenders = Array.from({ length: 12 }, (_, i) => i);
  // A pool opening connections one by one would space the contenders out, hiding the race.
  await Promise.all(contenders.map((i) => (i % 2 ? a : b).lease("warm-up")));
  return Promise.all(contenders.map((i) => (i % 2 ? a : b).acquireLease(name, `P${i}`, MINUTE)));
}

/** The lease part of the Store contract (see `LeaseStore`). */
export function leaseContract(open: OpenLeaseStores): void {
  test("the first holder gets token 1 and an expiry one TTL ahead", async () => {
    const [a] = await open();
    const before = Date.now();
    const lease = await a.acquireLease("deliverer", "A", MINUTE);
    expect(lease).toMatchObject({ name: "deliverer", holder: "A", token: 1 });
    expect(lease.expiresAt).toBeGreaterThanOrEqual(before + MINUTE - 1000);
    expect(lease.expiresAt).toBeLessThanOrEqual(Date.now() + MINUTE + 1000);
    expect(await a.lease("deliverer")).toEqual(lease);
  });

  test("a live lease stays with its holder: another process is told who holds it", async () => {
    const [a, b] = await open();
    await a.acquireLease("deliverer", "A", MINUTE);
    expect(await b.acquireLease("deliverer", "B", MINUTE)).toMatchObject({ holder: "A", token: 1 });
    expect(await b.renewLease("deliverer", "B", 1, MINUTE)).toBeNull();
    expect(await b.releaseLease("deliverer", "B", 1)).toBe(false);
    expect(await a.lease("deliverer")).toMatchObject({ holder: "A", token: 1 });
  });

  test("renewing moves the expiry forward and keeps the token", async () => {
    const [a] = await open();
    const first = await a.acquireLease("deliverer", "A", MINUTE);
    await pause(20);
    const renewed = await a.renewLease("deliverer", "A", first.token, 2 * MINUTE);
    expect(renewed).toMatchObject({ holder: "A", token: first.token });
    expect(renewed?.expiresAt).toBeGreaterThan(first.expiresAt);
    expect(await a.lease("deliverer")).toEqual(renewed);
    // Acquiring again while holding is a renewal too, not a new holding.
    expect((await a.acquireLease("deliverer", "A", MINUTE)).token).toBe(first.token);
  });

  test("an expired lease cannot be renewed and goes to the next process with a higher token", async () => {
    const [a, b] = await open();
    const first = await a.acquireLease("deliverer", "A", 1);
    await pause(20);
    expect(await a.renewLease("deliverer", "A", first.token, MINUTE)).toBeNull();
    const taken = await b.acquireLease("deliverer", "B", MINUTE);
    expect(taken).toMatchObject({ holder: "B", token: first.token + 1 });
    expect(await a.acquireLease("deliverer", "A", MINUTE)).toMatchObject({ holder: "B" });
  });

  test("every takeover increments the token, even back to an earlier holder", async () => {
    const [a, b] = await open();
    const tokens: number[] = [];
    for (const [store, holder] of [
      [a, "A"],
      [b, "B"],
      [a, "A"],
      [b, "B"],
    ] as const) {
      tokens.push((await store.acquireLease("deliverer", holder, 1)).token);
      await pause(10);
    }
    expect(tokens).toEqual([1, 2, 3, 4]);
  });

  test("a release hands the lease over at once; a stale token cannot release or renew", async () => {
    const [a, b] = await open();
    const first = await a.acquireLease("deliverer", "A", MINUTE);
    expect(await a.releaseLease("deliverer", "A", first.token)).toBe(true);
    expect(await a.lease("deliverer")).toMatchObject({ holder: "A", expiresAt: 0 });
    expect(await a.renewLease("deliverer", "A", first.token, MINUTE)).toBeNull();
    const taken = await b.acquireLease("deliverer", "B", MINUTE);
    expect(taken).toMatchObject({ holder: "B", token: 2 });
    expect(await a.releaseLease("deliverer", "A", first.token)).toBe(false);
    expect(await a.renewLease("deliverer", "B", first.token, MINUTE)).toBeNull();
    expect(await b.lease("deliverer")).toMatchObject({ holder: "B", token: 2 });
  });

  test("a live lease is taken from a holder named as dead, and only from that one", async () => {
    const [a, b] = await open();
    await a.acquireLease("deliverer", "A", MINUTE);
    expect(await b.acquireLease("deliverer", "B", MINUTE, "C")).toMatchObject({ holder: "A" });
    expect(await b.acquireLease("deliverer", "B", MINUTE, "A")).toMatchObject({
      holder: "B",
      token: 2,
    });
  });

  test("leases of different names are independent", async () => {
    const [a, b] = await open();
    await a.acquireLease("deliverer", "A", MINUTE);
    expect(await b.acquireLease("scheduler", "B", MINUTE)).toMatchObject({ holder: "B", token: 1 });
    expect(await a.lease("nothing")).toBeNull();
    expect(await a.renewLease("nothing", "A", 1, MINUTE)).toBeNull();
    expect(await a.releaseLease("nothing", "A", 1)).toBe(false);
  });

  // Several rounds: one round of a race the implementation loses can still come out right.
  const ROUNDS = ["r1", "r2", "r3", "r4", "r5"];

  test("processes racing for a new lease: exactly one holds it, with token 1", async () => {
    const [a, b] = await open();
    for (const name of ROUNDS) {
      const results = await race(a, b, name);
      expect(new Set(results.map((lease) => lease.holder)).size).toBe(1);
      expect(results.every((lease) => lease.token === 1)).toBe(true);
      expect((await a.lease(name))?.holder).toBe(results[0]?.holder);
    }
  });

  test("processes racing to take over an expired lease: exactly one new holding", async () => {
    const [a, b] = await open();
    for (const name of ROUNDS) {
      await a.acquireLease(name, "old", 1);
      await pause(10);
      const results = await race(a, b, name);
      expect(new Set(results.map((lease) => lease.holder)).size).toBe(1);
      expect(results.every((lease) => lease.token === 2)).toBe(true);
      expect(await b.lease(name)).toMatchObject({ holder: results[0]?.holder, token: 2 });
    }
  });
}
