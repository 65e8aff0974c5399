import type { ChildProcess } from "node:child_process";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, describe, expect, test } from "vitest";
import { followKey } from "../../src/alerts/keys.js";
import { alertChannel } from "../../src/alerts/model.js";
import { postgresBackend, sqliteBackend } from "../support/backends.js";
import { type BotProcess, exited, spawnBot } from "../support/bot-process.js";
import { type DeliveryWorld, deliveryWorld } from "../support/delivery-world.js";
import { control } from "../support/discord.js";
import { tempDir } from "../support/paths.js";

let world: DeliveryWorld | undefined;
let child: ChildProcess | undefined;
const backends = [sqliteBackend, postgresBackend()];
afterAll(async () => {
  child?.kill("SIGKILL");
  await world?.emulator.close();
  for (const backend of backends) await backend.stop();
});

const READERS = 24;
const readerId = (i: number) => String(820000000000000000n + BigInt(i));

function startBot(env: Record<string, string>, logLevel?: string): BotProcess {
  const bot = spawnBot(env, logLevel);
  child = bot.process;
  return bot;
}

describe.each(backends)("with state in $name", (backend) => {
  test.skipIf(!backend.available)(
    "killing the bot with SIGKILL during an alert fan-out leaves every reader exactly one DM",
    async () => {
      await world?.emulator.close();
      const DATABASE_URL = await backend.databaseUrl(tempDir());
      // Four requests a second: 24 alerts (a DM opened, a message sent) take about 12 s.
      world = await deliveryWorld({
        env: {
          SEND_RATE_PER_SECOND: "4",
          DELIVERY_RETRY_SECONDS: "2",
          DELIVERY_RETRY_MAX_SECONDS: "8",
          DATABASE_URL,
        },
      });
      const { emulator } = world;
      const { store, close } = await backend.open(DATABASE_URL);
      for (let i = 0; i < READERS; i++) {
        await control(emulator, "POST", "users", { id: readerId(i) });
        const value = i % 2 === 0 ? "falling sky" : "하늘";
        await store.addFollow(
          {
            userId: readerId(i),
            kind: "topic",
            value,
            key: followKey("topic", value),
            language: "ko",
          },
          25,
        );
      }
      // The digest arrives after every follow: the first start matches it.
      writeFileSync(
        join(world.digestsDir, "2024-03-01.md"),
        [
          "## Daily Papers (2024-03-01)",
          "",
          "### [The Falling Sky](https://arxiv.org/abs/2403.00001)",
          "",
          "Vote: 5",
          "",
          "Authors: Chicken Little",
          "",
          "- 하늘이 무너집니다.",
          "",
        ].join("\n"),
      );
      const alerts = async () =>
        Promise.all(
          Array.from({ length: READERS }, async (_, i) =>
            store.findScheduledDelivery(alertChannel(readerId(i)), "2024-03-01"),
          ),
        );
      const allDone = async () => (await alerts()).every((d) => d?.status === "done");
      const dmsSent = () =>
        [...emulator.ctx.world.messages.values()].filter((m) =>
          JSON.stringify(m).includes("Daily Papers 2024-03-01"),
        ).length;

      const killedAfter: number[] = [];
      for (let round = 0; round < 6; round++) {
        const before = dmsSent();
        const bot = startBot(world.env);
        const start = Date.now();
        while (
          dmsSent() === before &&
          !(await allDone()) &&
          Date.now() - start < 15_000 &&
          bot.process.exitCode === null
        )
          await new Promise((resolve) => setTimeout(resolve, 5));
        await new Promise((resolve) => setTimeout(resolve, Math.floor(Math.random() * 1500)));
        bot.process.kill("SIGKILL");
        await exited(bot.process);
        killedAfter.push(dmsSent() - before);
      }
      const final = startBot(world.env, "info");
      const deadline = Date.now() + 60_000;
      while (!(await allDone())) {
        if (Date.now() > deadline)
          throw new Error(
            `alerts unfinished: ${JSON.stringify(await alerts())}\n${final.output()}`,
          );
        await new Promise((resolve) => setTimeout(resolve, 200));
      }
      final.process.kill("SIGTERM");
      await exited(final.process);
      await close();

      for (let i = 0; i < READERS; i++) {
        const dm = await control<{ messages: { embeds: { title: string }[] }[] }>(
          emulator,
          "GET",
          `users/${readerId(i)}/dm`,
        );
        expect(dm.messages, `reader ${i}`).toHaveLength(1);
        expect(dm.messages[0]?.embeds[0]?.title).toContain("2024-03-01");
      }
      console.log(`alert DMs stored per killed round: ${killedAfter.join(", ")}`);
      expect(killedAfter.filter((n) => n > 0).length).toBeGreaterThanOrEqual(3);
    },
    240_000,
  );
});
