import type { ChildProcess } from "node:child_process";
import { afterAll, describe, expect, test } from "vitest";
import { subscriptionInput } from "../../src/delivery/subscription.js";
import type { DeliveryMode } from "../../src/render/digest-messages.js";
import { postgresBackend, sqliteBackend } from "../support/backends.js";
import { type BotProcess, exited, spawnBot } from "../support/bot-process.js";
import {
  type DeliveryWorld,
  deliveryWorld,
  messages,
  receivedTitles,
} from "../support/delivery-world.js";
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

/** Starts the real bot as a child process, remembered so that it is killed if the test fails. */
function startBot(env: Record<string, string>, logLevel?: string): BotProcess {
  const bot = spawnBot(env, logLevel);
  child = bot.process;
  return bot;
}

describe.each(backends)("with state in $name", (backend) => {
  test.skipIf(!backend.available)(
    "killing the bot with SIGKILL ten times during a 20-channel delivery leaves every paper in every channel exactly once",
    async () => {
      // A slow send rate stretches the delivery over several seconds, so every kill lands mid-way.
      await world?.emulator.close();
      const DATABASE_URL = await backend.databaseUrl(tempDir());
      world = await deliveryWorld({
        // A delivery a kill left pending is retried within seconds (not the default 30 s): the
        // final run must finish within its minute however often the work was interrupted.
        env: {
          CATCH_UP: "true",
          SEND_RATE_PER_SECOND: "4",
          DELIVERY_RETRY_SECONDS: "2",
          DELIVERY_RETRY_MAX_SECONDS: "8",
          DATABASE_URL,
        },
      });
      const { emulator, guild } = world;
      const channels: { id: string; mode: DeliveryMode }[] = [];
      for (let i = 0; i < 20; i++) {
        const mode: DeliveryMode = i < 10 ? "embeds" : i < 16 ? "thread" : "forum";
        const type = mode === "embeds" ? 0 : mode === "thread" ? 5 : 15;
        const { id } = await control<{ id: string }>(
          emulator,
          "POST",
          `guilds/${guild.id}/channels`,
          {
            name: `c${i}`,
            type,
          },
        );
        channels.push({ id, mode });
      }
      // The state a previous run left: subscribed channels and a daily run that was missed.
      const { store, close } = await backend.open(DATABASE_URL);
      for (const { id, mode } of channels) {
        await store.saveSubscription(subscriptionInput(id, guild.id, mode));
      }
      await store.saveGuildSettings(guild.id, {
        schedule: "0 9 * * *",
        timezone: "UTC",
        lastRunAt: new Date(Date.now() - 2 * 86_400_000).toISOString(),
      });

      // Each round kills the bot at a random moment once it has started sending again.
      const stored = () => emulator.ctx.world.messages.size;
      const killedAfter: number[] = [];
      for (let round = 0; round < 10; round++) {
        const before = stored();
        const bot = startBot(world.env);
        const start = Date.now();
        const allDone = async () =>
          (await store.lastDeliveries(100)).filter((d) => d.status === "done").length === 20;
        while (
          stored() === before &&
          !(await allDone()) &&
          Date.now() - start < 15_000 &&
          bot.process.exitCode === null
        ) {
          await new Promise((resolve) => setTimeout(resolve, 5));
        }
        await new Promise((resolve) => setTimeout(resolve, Math.floor(Math.random() * 1200)));
        bot.process.kill("SIGKILL");
        await exited(bot.process);
        killedAfter.push(stored() - before);
      }
      const sentBeforeFinal = stored();

      // At info level: should it not finish, its output says what it waited for.
      const final = startBot(world.env, "info");
      const deadline = Date.now() + 60_000;
      for (;;) {
        const done = (await store.lastDeliveries(100)).filter((d) => d.status === "done").length;
        if (done === 20) break;
        if (Date.now() > deadline)
          throw new Error(`only ${done} of 20 deliveries finished:\n${final.output()}`);
        await new Promise((resolve) => setTimeout(resolve, 200));
      }
      final.process.kill("SIGTERM");
      await exited(final.process);
      await close();

      const expected = await receivedTitles(emulator, guild, guild.text); // nothing is subscribed there
      expect(expected).toEqual([]);
      for (const { id, mode } of channels) {
        const titles = await receivedTitles(emulator, guild, id);
        expect(titles, `${mode} channel ${id}`).toHaveLength(14);
        expect(new Set(titles).size).toBe(14);
        if (mode !== "forum") {
          const headers = (await messages(emulator, id)).filter((m) => m.content.startsWith("📰"));
          expect(headers, `${mode} channel ${id}`).toHaveLength(1);
        } else {
          const posts = (
            await control<{ parent_id: string | null }[]>(
              emulator,
              "GET",
              `guilds/${guild.id}/channels`,
            )
          ).filter((c) => c.parent_id === id);
          expect(posts, `forum ${id}`).toHaveLength(1);
        }
      }
      expect(sentBeforeFinal).toBeGreaterThan(0);
      console.log(
        `messages stored per killed round: ${killedAfter.join(", ")}; before the final run: ${sentBeforeFinal}; after: ${stored()}`,
      );
      expect(killedAfter.filter((n) => n > 0).length).toBeGreaterThanOrEqual(5);
    },
    180_000,
  );
});
