import { copyFileSync, unlinkSync } from "node:fs";
import { join } from "node:path";
import { afterAll, afterEach, describe, expect, test } from "vitest";
import { postgresBackend } from "../support/backends.js";
import { type BotProcess, exited } from "../support/bot-process.js";
import { SAMPLE_DIGEST, waitUntil } from "../support/delivery-world.js";
import {
  cleanUp,
  expectEachPaperOnce,
  health,
  LEASE_SECONDS,
  STANDBY,
  said,
  start,
  TAKEOVER,
  twoOfEachMode,
} from "../support/two-bots.js";

afterEach(cleanUp);
const postgres = postgresBackend();
afterAll(() => postgres.stop());

describe.each([
  ["SQLite", undefined],
  ["PostgreSQL", postgres],
] as const)("with state in %s", (_name, backend) => {
  test.skipIf(backend?.available === false)(
    "two processes started together on one database: one delivers every paper exactly once in all three modes, the other stands by and says so",
    async () => {
      const { world, channels, store, done } = await twoOfEachMode({ CATCH_UP: "true" }, backend);
      await store.saveGuildSettings(world.guild.id, {
        schedule: "0 9 * * *",
        timezone: "UTC",
        lastRunAt: new Date(Date.now() - 2 * 86_400_000).toISOString(),
      });
      const bots = [start(world), start(world)];
      await waitUntil(async () => (await done()) === 6, 120_000).catch((error) => {
        throw new Error(`${error}\n${bots.map((b) => b.output()).join("\n---\n")}`);
      });
      await waitUntil(
        () => bots.every((b) => said(b, STANDBY) + said(b, "delivering from") > 0),
        30_000,
      );
      const standbys = bots.filter((b) => said(b, STANDBY) > 0);
      expect(standbys).toHaveLength(1);
      expect(said(standbys[0] as BotProcess, STANDBY)).toBe(1);
      const answers = await Promise.all(bots.map(health));
      // The deliverer is healthy; the standby answers 503, so nothing is routed to it.
      expect(answers.map((a) => `${a.role}:${a.status}`).sort()).toEqual([
        "deliverer:200",
        "standby:503",
      ]);
      expect(answers.map((a) => a.role).sort()).toEqual(["deliverer", "standby"]);
      await expectEachPaperOnce(world, channels);

      // A clean stop releases the lease: the standby takes over without waiting for it to expire.
      const standby = standbys[0] as BotProcess;
      const deliverer = bots.find((b) => b !== standby) as BotProcess;
      deliverer.process.kill("SIGTERM");
      const stoppedAt = Date.now();
      await exited(deliverer.process);
      expect(deliverer.process.exitCode).toBe(0);
      await waitUntil(() => said(standby, TAKEOVER), 30_000);
      const tookMs = Date.now() - stoppedAt;
      expect(await health(standby)).toEqual({ status: 200, role: "deliverer" });
      standby.process.kill("SIGTERM");
      await exited(standby.process);
      expect(standby.process.exitCode).toBe(0);
      await expectEachPaperOnce(world, channels);
      console.log(`after a clean stop the standby took over ${tookMs} ms later`);
    },
    240_000,
  );

  test.skipIf(backend?.available === false)(
    "when the delivering process is killed mid-delivery the standby takes over within about one lease and finishes every paper exactly once",
    async () => {
      const { world, channels, store, done } = await twoOfEachMode(
        { POST_ON_ARRIVAL: "true" },
        backend,
      );
      // The digest arrives once both processes run, so the holder starts delivering on arrival.
      const digestFile = join(world.digestsDir, "2024-02-20.md");
      unlinkSync(digestFile);
      const first = start(world);
      await waitUntil(() => said(first, "delivering from this database"), 60_000);
      const second = start(world);
      await waitUntil(() => said(second, STANDBY), 60_000);
      expect(await health(second)).toEqual({ status: 503, role: "standby" });

      const stored = () => world.emulator.ctx.world.messages.size;
      copyFileSync(SAMPLE_DIGEST, digestFile);
      await waitUntil(() => stored() >= 2, 60_000);
      first.process.kill("SIGKILL");
      const killedAt = Date.now();
      await exited(first.process);
      const storedAtKill = stored();
      const unfinishedAtKill = (await store.unfinishedDeliveries()).length;
      await waitUntil(() => said(second, TAKEOVER), 60_000);
      const tookMs = Date.now() - killedAt;
      await waitUntil(async () => (await done()) === 6, 120_000).catch((error) => {
        throw new Error(`${error}\n${second.output()}`);
      });

      expect(unfinishedAtKill).toBeGreaterThan(0);
      expect(said(second, TAKEOVER)).toBe(1);
      expect(tookMs).toBeLessThan(LEASE_SECONDS * 1000 + 15_000);
      expect(await health(second)).toEqual({ status: 200, role: "deliverer" });
      await expectEachPaperOnce(world, channels);
      console.log(
        `killed after ${storedAtKill} messages with ${unfinishedAtKill} deliveries unfinished; the standby took over ${tookMs} ms later`,
      );
    },
    240_000,
  );
});

test("a holder that freezes loses the lease after one TTL: the standby finishes, and the frozen one, woken, sends nothing more", async () => {
  const { world, channels, done } = await twoOfEachMode({ POST_ON_ARRIVAL: "true" });
  const digestFile = join(world.digestsDir, "2024-02-20.md");
  unlinkSync(digestFile);
  const first = start(world);
  await waitUntil(() => said(first, "delivering from this database"), 60_000);
  const second = start(world);
  await waitUntil(() => said(second, STANDBY), 60_000);

  const stored = () => world.emulator.ctx.world.messages.size;
  copyFileSync(SAMPLE_DIGEST, digestFile);
  await waitUntil(() => stored() >= 2, 60_000);
  // Alive but not renewing (a stalled VM, a debugger): its pid exists, so only expiry frees it.
  first.process.kill("SIGSTOP");
  const frozenAt = Date.now();
  await waitUntil(() => said(second, TAKEOVER), 60_000);
  const tookMs = Date.now() - frozenAt;
  first.process.kill("SIGCONT");
  await waitUntil(async () => (await done()) === 6, 120_000).catch((error) => {
    throw new Error(`${error}\n${second.output()}`);
  });
  await waitUntil(() => said(first, STANDBY), 30_000);

  expect(tookMs).toBeGreaterThanOrEqual(1000);
  expect(tookMs).toBeLessThan(LEASE_SECONDS * 1000 + 15_000);
  expect(said(first, "stopped sending")).toBe(1);
  expect(await health(first)).toEqual({ status: 503, role: "standby" });
  await expectEachPaperOnce(world, channels);
  console.log(
    `the standby took over ${tookMs} ms after the holder froze (lease ${LEASE_SECONDS} s)`,
  );
}, 240_000);
