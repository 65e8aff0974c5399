import { readdirSync, readFileSync } from "node:fs";
import { afterAll, afterEach, describe, expect, test } from "vitest";
import { followKey } from "../../src/alerts/keys.js";
import { alertChannel } from "../../src/alerts/model.js";
import { WORKER_NICE_STEPS } from "../../src/app/worker-role.js";
import { postgresBackend } from "../support/backends.js";
import { exited } from "../support/bot-process.js";
import { waitUntil } from "../support/delivery-world.js";
import { control } from "../support/discord.js";
import { freePort } from "../support/ports.js";
import { holdsClaims, type ScaledWorld, scaledWorld } from "../support/scaled-world.js";

const postgres = postgresBackend();
afterAll(() => postgres.stop());
let world: ScaledWorld | undefined;
afterEach(async () => {
  await world?.close();
  world = undefined;
});

/** The nice value of each thread of a process (Linux). */
function threadNices(pid: number | undefined): number[] {
  return readdirSync(`/proc/${pid}/task`).map((tid) => {
    const stat = readFileSync(`/proc/${pid}/task/${tid}/stat`, "utf8");
    return Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[16]);
  });
}

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
/** Short claims and retries, so takeovers happen within seconds. */
const FAST = {
  DELIVERY_LEASE_SECONDS: "3",
  DELIVERY_RETRY_SECONDS: "1",
  DELIVERY_RETRY_MAX_SECONDS: "2",
  SEND_RATE_PER_SECOND: "6",
  WORKER_CONCURRENCY: "4",
};

async function posts(w: ScaledWorld, since: number): Promise<number> {
  const { requests } = await control<{ requests: { method: string; started_at: number }[] }>(
    w.emulator,
    "GET",
    "requests",
  );
  return requests.filter((r) => r.method === "POST" && r.started_at >= since).length;
}

describe.skipIf(!postgres.available)("delivery workers sharing PostgreSQL", () => {
  test("a worker killed mid-delivery has its deliveries finished by the other, nothing doubled", async () => {
    const w = await scaledWorld({ backend: postgres, channels: 12, env: FAST });
    world = w;
    w.start("scheduler");
    const a = w.start("worker");
    const b = w.start("worker");
    await waitUntil(
      async () =>
        holdsClaims(await w.store.claimCounts(), a.process.pid) > 0 &&
        w.emulator.ctx.world.messages.size >= 20,
      30_000,
    ).catch(() => {
      throw new Error(`worker A never held a claim mid-delivery:\n${a.output()}`);
    });
    a.process.kill("SIGKILL");
    await exited(a.process);
    await waitUntil(() => w.allDone(), 90_000).catch(() => {
      throw new Error(`the deliveries were not finished:\n${b.output()}`);
    });
    expect(await w.problems(14)).toEqual([]);
    expect(w.emulator.ctx.stats.rateLimited).toEqual({ user: 0, global: 0, shared: 0 });
  }, 180_000);

  test("a worker frozen past its claims sends nothing when it wakes; the other finishes its work", async () => {
    const w = await scaledWorld({ backend: postgres, channels: 9, env: FAST });
    world = w;
    w.start("scheduler");
    const a = w.start("worker");
    await waitUntil(
      async () => holdsClaims(await w.store.claimCounts(), a.process.pid) >= 3,
      30_000,
    );
    a.process.kill("SIGSTOP");
    const b = w.start("worker");
    await waitUntil(() => w.allDone(), 90_000).catch(() => {
      throw new Error(`the other worker did not take over:\n${b.output()}`);
    });
    // Only the frozen worker runs from here: whatever reaches Discord now is its doing.
    b.process.kill("SIGSTOP");
    const woke = Date.now();
    a.process.kill("SIGCONT");
    await pause(5_000);
    expect(await posts(w, woke), a.output()).toBe(0);
    expect(a.process.exitCode).toBeNull();
    b.process.kill("SIGCONT");
    expect(await w.problems(14)).toEqual([]);
  }, 180_000);

  test("the scheduler leader killed before a due run: the standby runs it, once", async () => {
    const w = await scaledWorld({ backend: postgres, channels: 6, env: FAST });
    world = w;
    // The next whole minute at least 25 s away, in UTC.
    const due = new Date(Math.ceil((Date.now() + 25_000) / 60_000) * 60_000);
    await w.store.saveGuildSettings(w.guild.id, {
      schedule: `${due.getUTCMinutes()} ${due.getUTCHours()} * * *`,
      lastRunAt: new Date().toISOString(),
    });
    const ports = [await freePort(), await freePort(), await freePort()] as const;
    const first = w.start("scheduler", { HTTP_PORT: String(ports[0]) });
    const second = w.start("scheduler", { HTTP_PORT: String(ports[1]) });
    const worker = w.start("worker", { HTTP_PORT: String(ports[2]) });
    const leader = await waitUntil(async () => (await w.store.lease("scheduler"))?.holder, 20_000);
    const [leading, standing] =
      leader.split(":")[1] === String(first.process.pid) ? [first, second] : [second, first];
    // Both candidates are up before the leader dies; /healthz tells the leader from the standby.
    await waitUntil(() => standing.output().includes("scheduler started"), 20_000);
    const health = async (port: number) => {
      const response = await fetch(`http://127.0.0.1:${port}/healthz`);
      return { status: response.status, role: ((await response.json()) as { role: string }).role };
    };
    const [leaderPort, standbyPort] =
      leading === first ? [ports[0], ports[1]] : [ports[1], ports[0]];
    expect(await health(leaderPort)).toEqual({ status: 200, role: "scheduler" });
    expect(await health(standbyPort)).toEqual({ status: 503, role: "scheduler-standby" });
    expect(
      await waitUntil(async () => (await health(ports[2])).status === 200 && health(ports[2])),
    ).toEqual({
      status: 200,
      role: "worker",
    });
    const metrics = await (await fetch(`http://127.0.0.1:${ports[2]}/metrics`)).text();
    expect(metrics).toMatch(/^paperboy_worker_claims \d+$/m);
    // The worker sends at a lower CPU priority than the scheduler beside it, every thread of it.
    const workerNice = threadNices(worker.process.pid);
    expect(new Set(workerNice)).toEqual(
      new Set([Math.min(19, (threadNices(leading.process.pid)[0] as number) + WORKER_NICE_STEPS)]),
    );
    expect(Date.now()).toBeLessThan(due.getTime() - 5_000);
    leading.process.kill("SIGKILL");
    await waitUntil(async () => {
      const lease = await w.store.lease("scheduler");
      return lease?.holder.split(":")[1] === String(standing.process.pid);
    }, 10_000);
    expect(await health(standbyPort)).toEqual({ status: 200, role: "scheduler" });
    await waitUntil(() => w.allDone(), due.getTime() - Date.now() + 60_000).catch(() => {
      throw new Error(`the due run was not delivered:\n${standing.output()}`);
    });
    expect(await w.problems(14)).toEqual([]);
    for (const { id } of w.channels)
      expect(await w.store.channelDeliveries(id, "2000-01-01"), id).toHaveLength(1);
  }, 180_000);

  test("readers' alerts are sent by the workers: a worker killed mid-run, and still one DM per reader", async () => {
    const w = await scaledWorld({ backend: postgres, channels: 3, env: FAST });
    world = w;
    const readers = Array.from({ length: 30 }, (_, i) => String(830000000000000000n + BigInt(i)));
    for (const userId of readers) {
      await control(w.emulator, "POST", "users", { id: userId });
      // The sample digest's first paper is about speculative decoding (추측적 디코딩).
      await w.store.addFollow(
        {
          userId,
          kind: "topic",
          value: "디코딩",
          key: followKey("topic", "디코딩"),
          language: "ko",
        },
        25,
      );
    }
    w.start("scheduler");
    const a = w.start("worker");
    const b = w.start("worker");
    const dms = () => control<{ dms: { messages: number } }>(w.emulator, "GET", "stats");
    await waitUntil(async () => (await dms()).dms.messages >= 4, 60_000).catch(() => {
      throw new Error(`no alert was sent:\n${a.output()}\n${b.output()}`);
    });
    a.process.kill("SIGKILL");
    await exited(a.process);
    const alertsDone = async () => {
      const all = await Promise.all(
        readers.map((r) => w.store.findScheduledDelivery(alertChannel(r), "2024-02-20")),
      );
      return all.every((d) => d?.status === "done");
    };
    await waitUntil(alertsDone, 90_000).catch(() => {
      throw new Error(`the alerts were not finished:\n${b.output()}`);
    });
    for (const userId of readers) {
      const dm = await control<{ messages: unknown[] }>(w.emulator, "GET", `users/${userId}/dm`);
      expect(dm.messages, userId).toHaveLength(1);
    }
    await waitUntil(() => w.allDone(), 60_000);
    expect(await w.problems(14)).toEqual([]);
    expect(w.emulator.ctx.stats.rateLimited).toEqual({ user: 0, global: 0, shared: 0 });
  }, 180_000);
});
