import { expect } from "vitest";
import { subscriptionInput } from "../../src/delivery/subscription.js";
import type { DeliveryMode } from "../../src/render/digest-messages.js";
import { type StoreBackend, sqliteBackend } from "./backends.js";
import { type BotProcess, exited, spawnBot } from "./bot-process.js";
import {
  type DeliveryWorld,
  deliveryWorld,
  messages,
  receivedTitles,
  waitUntil,
} from "./delivery-world.js";
import { control } from "./discord.js";
import { tempDir } from "./paths.js";

// Two bot processes on one database and one emulator (the deliverer lease tests).

export const LEASE_SECONDS = 3;
export const STANDBY = "another Paperboy process delivers from this database";
export const TAKEOVER = "taking over deliveries";

/** What a test undoes when it ends, last first (processes, database, emulator). */
export const cleanup: (() => Promise<void>)[] = [];

/** Runs and empties `cleanup`; call it from `afterEach`. */
export async function cleanUp(): Promise<void> {
  for (const step of cleanup.splice(0).reverse()) await step();
}

/** Two channels of each mode, subscribed in the database both processes will open. */
export async function twoOfEachMode(
  env: Record<string, string>,
  backend: StoreBackend = sqliteBackend,
) {
  const DATABASE_URL = await backend.databaseUrl(tempDir());
  const world = await deliveryWorld({
    env: {
      SEND_RATE_PER_SECOND: "4",
      DELIVERY_LEASE_SECONDS: String(LEASE_SECONDS),
      DATABASE_URL,
      ...env,
    },
  });
  cleanup.push(() => world.emulator.close());
  const channels: { id: string; mode: DeliveryMode }[] = [];
  for (const mode of ["embeds", "thread", "forum", "embeds", "thread", "forum"] as const) {
    const type = mode === "embeds" ? 0 : mode === "thread" ? 5 : 15;
    const { id } = await control<{ id: string }>(
      world.emulator,
      "POST",
      `guilds/${world.guild.id}/channels`,
      { name: `${mode}-${channels.length}`, type },
    );
    channels.push({ id, mode });
  }
  const { store, close } = await backend.open(DATABASE_URL);
  cleanup.push(close);
  for (const { id, mode } of channels)
    await store.saveSubscription(subscriptionInput(id, world.guild.id, mode));
  const done = async () =>
    (await store.lastDeliveries(100)).filter((d) => d.status === "done").length;
  return { world, channels, store, done };
}

export function start(world: DeliveryWorld): BotProcess {
  const bot = spawnBot({ ...world.env, HTTP_PORT: "0" }, "info");
  cleanup.push(async () => {
    bot.process.kill("SIGKILL");
    await exited(bot.process);
  });
  return bot;
}

export const said = (bot: BotProcess, text: string) =>
  bot.logLines().filter((line) => String(line.msg).includes(text)).length;

export async function health(bot: BotProcess): Promise<{ status: number; role: unknown }> {
  const port = await waitUntil(
    () => bot.logLines().find((l) => l.msg === "serving /healthz and /metrics")?.port,
    60_000,
  );
  // The port answers "starting" from the first second; the answer wanted is the one after.
  return waitUntil(async () => {
    const response = await fetch(`http://127.0.0.1:${port}/healthz`);
    const body = (await response.json()) as { status: string; role: unknown };
    return body.status === "starting" ? null : { status: response.status, role: body.role };
  }, 60_000);
}

/** Every channel got every paper once, one header (embeds and thread) and one forum post. */
export async function expectEachPaperOnce(
  world: DeliveryWorld,
  channels: { id: string; mode: string }[],
) {
  const forumPosts = (
    await control<{ parent_id: string | null }[]>(
      world.emulator,
      "GET",
      `guilds/${world.guild.id}/channels`,
    )
  ).map((c) => c.parent_id);
  for (const { id, mode } of channels) {
    const titles = await receivedTitles(world.emulator, world.guild, id);
    expect(titles, `${mode} channel ${id}`).toHaveLength(14);
    expect(new Set(titles).size, `${mode} channel ${id}`).toBe(14);
    if (mode === "forum")
      expect(
        forumPosts.filter((p) => p === id),
        `forum ${id}`,
      ).toHaveLength(1);
    else {
      const headers = (await messages(world.emulator, id)).filter((m) =>
        m.content.startsWith("📰"),
      );
      expect(headers, `${mode} channel ${id}`).toHaveLength(1);
    }
  }
}
