import { join } from "node:path";
import { describe, expect, test } from "vitest";
import type { LeaseStore } from "../../src/delivery/store.js";
import { openDatabase } from "../../src/storage/database.js";
import { SqliteStore } from "../../src/storage/sqlite-store.js";
import { tempDir } from "../support/paths.js";

/** Two stores on one database, as two processes would open it. */
type TwoStores = () => [LeaseStore, LeaseStore];

const sqlite: TwoStores = () => {
  const path = join(tempDir(), "lease.db");
  return [new SqliteStore(openDatabase(path)), new SqliteStore(openDatabase(path))];
};

const MINUTE = 60_000;
const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

// The lease part of the Store contract; a PostgreSQL store is meant to join this list.
describe.each([["SQLite file", sqlite]])("leases in the %s store", (_name, open) => {
  test("the first holder gets token 1 and an expiry one TTL ahead", () => {
    const [a] = open();
    const before = Date.now();
    const lease = a.acquireLease("deliverer", "A", MINUTE);
    expect(lease).toMatchObject({ name: "deliverer", holder: "A", token: 1 });
    expect(lease.expiresAt).toBeGreaterThanOrEqual(before + MINUTE - 1000);
    expect(lease.expiresAt).toBeLessThanOrEqual(Date.now() + MINUTE + 1000);
    expect(a.lease("deliverer")).toEqual(lease);
  });

  test("a live lease stays with its holder: another process is told who holds it", () => {
    const [a, b] = open();
    a.acquireLease("deliverer", "A", MINUTE);
    expect(b.acquireLease("deliverer", "B", MINUTE)).toMatchObject({ holder: "A", token: 1 });
    expect(b.renewLease("deliverer", "B", 1, MINUTE)).toBeNull();
    expect(b.releaseLease("deliverer", "B", 1)).toBe(false);
    expect(a.lease("deliverer")).toMatchObject({ holder: "A", token: 1 });
  });

  test("renewing moves the expiry forward and keeps the token", async () => {
    const [a] = open();
    const first = a.acquireLease("deliverer", "A", MINUTE);
    await pause(20);
    const renewed = a.renewLease("deliverer", "A", first.token, 2 * MINUTE);
    expect(renewed).toMatchObject({ holder: "A", token: first.token });
    expect(renewed?.expiresAt).toBeGreaterThan(first.expiresAt);
    // Acquiring again while holding is a renewal too, not a new holding.
    expect(a.acquireLease("deliverer", "A", MINUTE).token).toBe(first.token);
  });

  test("an expired lease cannot be renewed and goes to the next process with a higher token", async () => {
    const [a, b] = open();
    const first = a.acquireLease("deliverer", "A", 1);
    await pause(20);
    expect(a.renewLease("deliverer", "A", first.token, MINUTE)).toBeNull();
    const taken = b.acquireLease("deliverer", "B", MINUTE);
    expect(taken).toMatchObject({ holder: "B", token: first.token + 1 });
    expect(a.acquireLease("deliverer", "A", MINUTE)).toMatchObject({ holder: "B" });
  });

  test("every takeover increments the token, even back to an earlier holder", async () => {
    const [a, b] = open();
    const tokens: number[] = [];
    for (const [store, holder] of [
      [a, "A"],
      [b, "B"],
      [a, "A"],
      [b, "B"],
    ] as const) {
      tokens.push(store.acquireLease("deliverer", holder, 1).token);
      await pause(10);
    }
    expect(tokens).toEqual([1, 2, 3, 4]);
  });

  test("a release hands the lease over at once; a stale token cannot release or renew", () => {
    const [a, b] = open();
    const first = a.acquireLease("deliverer", "A", MINUTE);
    expect(a.releaseLease("deliverer", "A", first.token)).toBe(true);
    expect(a.renewLease("deliverer", "A", first.token, MINUTE)).toBeNull();
    const taken = b.acquireLease("deliverer", "B", MINUTE);
    expect(taken).toMatchObject({ holder: "B", token: 2 });
    expect(a.releaseLease("deliverer", "A", first.token)).toBe(false);
    expect(b.lease("deliverer")).toMatchObject({ holder: "B", token: 2 });
  });

  test("a live lease is taken from a holder named as dead, and only from that one", () => {
    const [a, b] = open();
    a.acquireLease("deliverer", "A", MINUTE);
    expect(b.acquireLease("deliverer", "B", MINUTE, "C")).toMatchObject({ holder: "A" });
    expect(b.acquireLease("deliverer", "B", MINUTE, "A")).toMatchObject({ holder: "B", token: 2 });
  });

  test("leases of different names are independent", () => {
    const [a, b] = open();
    a.acquireLease("deliverer", "A", MINUTE);
    expect(b.acquireLease("scheduler", "B", MINUTE)).toMatchObject({ holder: "B", token: 1 });
    expect(a.lease("nothing")).toBeNull();
  });
});
