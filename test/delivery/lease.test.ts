import { spawnSync } from "node:child_process";
import { join } from "node:path";
import { afterEach, describe, expect, test } from "vitest";
import { DeliveryLease, newHolderId } from "../../src/delivery/lease.js";
import { DeliveryRunner } from "../../src/delivery/runner.js";
import { DISCORD_SEND_LIMITS, SendQueue } from "../../src/delivery/send-queue.js";
import type { Sender } from "../../src/delivery/sender.js";
import type { LeaseStore } from "../../src/delivery/store.js";
import { openDatabase } from "../../src/storage/database.js";
import { SqliteStore } from "../../src/storage/sqlite-store.js";
import { waitUntil } from "../support/delivery-world.js";
import { memoryLogger } from "../support/logger.js";
import { tempDir } from "../support/paths.js";

const leases: DeliveryLease[] = [];
afterEach(async () => {
  for (const lease of leases.splice(0)) await lease.release();
});

/** A process's view of one database file: its own connection, lease keeper and log. */
function peer(path: string, ttlMs: number, store: LeaseStore = storeAt(path)) {
  const { logger, lines } = memoryLogger();
  const events = { acquired: 0, lost: 0 };
  const lease = new DeliveryLease({
    store,
    logger,
    ttlMs,
    onAcquired: () => {
      events.acquired++;
    },
    onLost: () => {
      events.lost++;
    },
  });
  leases.push(lease);
  const said = (text: string) => lines().filter((l) => String(l.msg).includes(text)).length;
  return { lease, events, said };
}

const storeAt = (path: string) => new SqliteStore(openDatabase(path));
const dbPath = () => join(tempDir(), "state.db");

describe("the deliverer lease", () => {
  test("a second process stands by, says so once, and takes over about one TTL after the holder stops renewing", async () => {
    const path = dbPath();
    // Another machine's process (so its pid cannot be checked) that took the lease and hung.
    storeAt(path).acquireLease("deliverer", "elsewhere:4242:dead", 1500);
    const standby = peer(path, 1500);
    const started = Date.now();
    await standby.lease.start();
    expect(standby.lease.role).toBe("standby");
    expect(standby.lease.canSend()).toBe(false);
    await waitUntil(() => standby.events.acquired === 1, 20_000);
    const tookMs = Date.now() - started;
    expect(standby.lease.role).toBe("deliverer");
    expect(standby.lease.token).toBe(2);
    expect(standby.lease.canSend()).toBe(true);
    expect(standby.said("(holder elsewhere:4242:dead); standing by")).toBe(1);
    expect(standby.said("taking over deliveries")).toBe(1);
    expect(tookMs).toBeGreaterThanOrEqual(1000);
    console.log(`took over ${tookMs} ms after a 1500 ms lease was last renewed`);
  }, 30_000);

  test("a graceful release hands the deliveries over within about a second", async () => {
    const path = dbPath();
    const first = peer(path, 60_000);
    const second = peer(path, 60_000);
    await first.lease.start();
    await second.lease.start();
    expect([first.lease.role, second.lease.role]).toEqual(["deliverer", "standby"]);
    const released = Date.now();
    await first.lease.release();
    expect(first.lease.canSend()).toBe(false);
    await waitUntil(() => second.events.acquired === 1, 10_000);
    expect(Date.now() - released).toBeLessThan(5_000);
    expect(second.lease.token).toBe(2);
    expect(first.events.lost).toBe(0);
  }, 20_000);

  test("a process on this machine that died holding the lease is replaced at once, not after its TTL", async () => {
    const path = dbPath();
    const dead = spawnSync(process.execPath, ["-e", ""]).pid;
    const [scope] = newHolderId().split(":");
    storeAt(path).acquireLease("deliverer", `${scope}:${dead}:gone`, 10 * 60_000);
    const restarted = peer(path, 60_000);
    await restarted.lease.start();
    expect(restarted.lease.role).toBe("deliverer");
    expect(restarted.lease.token).toBe(2);
    expect(restarted.said("standing by")).toBe(0);
  });

  test("a holder whose renewal is refused stops sending at once and stops delivering", async () => {
    const path = dbPath();
    const real = storeAt(path);
    let refuse = false;
    const store: LeaseStore = {
      acquireLease: (...args) => real.acquireLease(...args),
      renewLease: async (...args) => (refuse ? null : real.renewLease(...args)),
      releaseLease: (...args) => real.releaseLease(...args),
      lease: (name) => real.lease(name),
    };
    const holder = peer(path, 900, store);
    await holder.lease.start();
    expect(holder.lease.canSend()).toBe(true);
    // Someone else holds it now (as after a long stall): the next renewal is refused.
    refuse = true;
    real.releaseLease("deliverer", holder.lease.holder, holder.lease.token ?? 0);
    real.acquireLease("deliverer", "elsewhere:1:other", 60_000);
    await waitUntil(() => holder.events.lost === 1, 10_000);
    expect(holder.lease.canSend()).toBe(false);
    expect(holder.lease.role).toBe("standby");
    expect(holder.said("stopped sending")).toBe(1);
    expect(holder.said("(holder elsewhere:1:other); standing by")).toBe(1);
  });

  test("a runner that may no longer send leaves the delivery pending and sends nothing", async () => {
    const store = storeAt(dbPath());
    const delivery = await store.createDelivery({
      channelId: "123456789012345678",
      guildId: "223456789012345678",
      digestDate: "2024-02-20",
      kind: "scheduled",
      mode: "embeds",
      language: "en",
      steps: [
        { role: "header", payload: { content: "h", embeds: [], allowed_mentions: { parse: [] } } },
      ],
    });
    let sends = 0;
    const sender = {
      createMessage: async () => ({ id: String(++sends) }),
    } as unknown as Sender;
    const runner = new DeliveryRunner({
      store,
      sender,
      queue: new SendQueue(DISCORD_SEND_LIMITS, Date.now),
      logger: memoryLogger().logger,
      canSend: () => false,
    });
    const outcome = await runner.run(delivery ?? expect.unreachable());
    expect(outcome).toMatchObject({ status: "pending", sent: 0 });
    expect(sends).toBe(0);
    expect(await store.unfinishedDeliveries()).toHaveLength(1);
  });
});
