import type { ChildProcess } from "node:child_process";
import { afterAll, expect, test } from "vitest";
import { subscriptionInput } from "../../src/delivery/subscription.js";
import type { DeliveryMode } from "../../src/render/digest-messages.js";
import { openDatabase } from "../../src/storage/database.js";
import { SqliteStore } from "../../src/storage/sqlite-store.js";
import { exited, spawnBot } from "../support/bot-process.js";
import {
  type DeliveryWorld,
  deliveryWorld,
  messages,
  receivedTitles,
} from "../support/delivery-world.js";
import { control } from "../support/discord.js";

let world: DeliveryWorld | undefined;
let child: ChildProcess | undefined;
afterAll(async () => {
  child?.kill("SIGKILL");
  await world?.emulator.close();
});

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const FORUM_POST = "POST /channels/:channel/threads";
const THREAD = "POST /channels/:channel/messages/:message/threads";
const MESSAGE = "POST /channels/:channel/messages";
const THREE_HOURS = 3 * 3_600_000;

/** Waits (at most `ms`) until the bot has a request of one of `routes` in flight. */
async function inFlight(w: DeliveryWorld, routes: string[], ms: number): Promise<string | null> {
  const start = Date.now();
  while (Date.now() - start < ms) {
    const { requests } = await control<{ requests: { route: string | null }[] }>(
      w.emulator,
      "GET",
      "requests?in_flight=true",
    );
    const hit = requests.find((r) => r.route !== null && routes.includes(r.route));
    if (hit?.route) return hit.route;
    await pause(5);
  }
  return null;
}

test("kills while threads, forum posts and messages are being created, each restart three hours later, leave every paper once in all three modes", async () => {
  world = await deliveryWorld({ env: { CATCH_UP: "true", SEND_RATE_PER_SECOND: "3" } });
  const w = world;
  const { emulator, guild } = w;
  const channels: { id: string; mode: DeliveryMode }[] = [];
  for (let i = 0; i < 9; i++) {
    const mode: DeliveryMode = (["embeds", "thread", "forum"] as const)[i % 3] ?? "embeds";
    const type = mode === "embeds" ? 0 : mode === "thread" ? 5 : 15;
    const { id } = await control<{ id: string }>(emulator, "POST", `guilds/${guild.id}/channels`, {
      name: `c${i}`,
      type,
    });
    channels.push({ id, mode });
  }
  const db = openDatabase(w.config.databasePath);
  const store = new SqliteStore(db);
  for (const { id, mode } of channels)
    await store.saveSubscription(subscriptionInput(id, guild.id, mode));
  await store.saveGuildSettings(guild.id, {
    schedule: "0 9 * * *",
    timezone: "UTC",
    lastRunAt: new Date(Date.now() - 2 * 86_400_000).toISOString(),
  });
  // Slow creates keep requests in flight long enough to kill the bot during one; Discord still
  // carries them out after the caller is gone, as the emulator does.
  // Every thread and forum post is slow, so a round waiting for one always finds it in flight.
  for (const route of [FORUM_POST, THREAD])
    await control(emulator, "POST", "faults", { route, delay_ms: 400, rate: 1 });
  await control(emulator, "POST", "faults", { route: MESSAGE, delay_ms: 400, rate: 0.5 });

  const doneCount = async () =>
    (await store.lastDeliveries(100)).filter((d) => d.status === "done").length;
  const killedDuring: string[] = [];
  for (let round = 0; round < 8 && (await doneCount()) < 9; round++) {
    // Past the nonce window every time: only the ledger and Discord's history can tell.
    await control(emulator, "POST", "clock", { advance_ms: THREE_HOURS });
    const bot = spawnBot(w.env);
    child = bot.process;
    const routes = round % 2 === 0 ? [FORUM_POST, THREAD] : [MESSAGE];
    // A loaded machine can take many seconds to start the bot: wait long enough for it.
    const route = await inFlight(w, routes, round % 2 === 0 ? 25_000 : 10_000);
    if (route === null) await pause(Math.floor(Math.random() * 800));
    bot.process.kill("SIGKILL");
    await exited(bot.process);
    killedDuring.push(route ?? "random");
  }

  await control(emulator, "DELETE", "faults");
  await control(emulator, "POST", "clock", { advance_ms: THREE_HOURS });
  const final = spawnBot(w.env);
  child = final.process;
  const deadline = Date.now() + 90_000;
  while ((await doneCount()) < 9) {
    if (Date.now() > deadline)
      throw new Error(`only ${await doneCount()} of 9 deliveries finished:\n${final.output()}`);
    await pause(200);
  }
  final.process.kill("SIGTERM");
  await exited(final.process);
  db.close();

  let duplicates = 0;
  let losses = 0;
  for (const { id, mode } of channels) {
    const titles = await receivedTitles(emulator, guild, id);
    duplicates += titles.length - new Set(titles).size;
    losses += 14 - new Set(titles).size;
    expect(titles, `${mode} channel ${id}`).toHaveLength(14);
    expect(new Set(titles).size).toBe(14);
    const listed = await control<{ parent_id: string | null }[]>(
      emulator,
      "GET",
      `guilds/${guild.id}/channels`,
    );
    const threads = listed.filter((c) => c.parent_id === id);
    expect(threads, `${mode} ${id}: threads or posts`).toHaveLength(mode === "embeds" ? 0 : 1);
    if (mode !== "forum") {
      const headers = (await messages(emulator, id)).filter((m) => m.content.startsWith("📰"));
      expect(headers, `${mode} channel ${id}: headers`).toHaveLength(1);
    }
  }
  console.log(
    `killed during: ${killedDuring.join(", ")}; duplicates ${duplicates}, losses ${losses}`,
  );
  expect(killedDuring.filter((r) => r === FORUM_POST || r === THREAD).length).toBeGreaterThan(0);
}, 240_000);
