import { subscriptionInput } from "../../src/delivery/subscription.js";
import type { DeliveryMode } from "../../src/render/digest-messages.js";
import { openDatabase } from "../../src/storage/database.js";
import { SqliteStore } from "../../src/storage/sqlite-store.js";
import { type DeliveryWorld, deliveryWorld, waitUntil } from "./delivery-world.js";
import { control } from "./discord.js";
import { apply, BotLife, type EventLog, reach } from "./fault-events.js";
import { faultSchedule, type TimedEvent } from "./fault-schedule.js";
import { type ChannelVerdict, judgeChannels } from "./fault-verdict.js";

// One scenario of the exactly-once property: the real bot delivering the sample digest to three
// channels of each mode while a random schedule of faults, kills and permission changes unfolds.

/** About how many messages the whole delivery stores (three messages per channel, 9 channels): the schedule's span. */
const MESSAGES = 27;
const MODES = (["embeds", "thread", "forum"] as const).flatMap((mode) => [mode, mode, mode]);

export interface ScenarioResult {
  schedule: TimedEvent[];
  verdicts: ChannelVerdict[];
  /** How many times the bot was started (kills plus one). */
  starts: number;
  /** How many requests the fault rules hit. */
  faultHits: number;
  output: string;
}

/** What a scenario must undo if the test fails half-way (the bot, the database, the emulator). */
const undo: (() => Promise<void> | void)[] = [];

/** Stops whatever a scenario left running; call it from `afterEach`. */
export async function cleanUpScenario(): Promise<void> {
  for (const step of undo.splice(0).reverse()) await step();
}

/** Runs the scenario of `seed` to its end and judges every channel. */
export async function runScenario(seed: number): Promise<ScenarioResult> {
  // Short retry waits and a modest send rate: the delivery lasts long enough for the schedule,
  // and work left pending by the faults is picked up again within seconds once they are cleared.
  const world = await deliveryWorld({
    env: {
      CATCH_UP: "true",
      SEND_RATE_PER_SECOND: "3",
      DELIVERY_RETRY_SECONDS: "1",
      DELIVERY_RETRY_MAX_SECONDS: "2",
      DELIVERY_LEASE_SECONDS: "3",
    },
  });
  undo.push(() => world.emulator.close());
  const channels = await subscribeChannels(world);
  const db = openDatabase(world.config.databasePath);
  undo.push(() => {
    db.close();
  });
  const store = new SqliteStore(db);
  const schedule = faultSchedule(seed, MODES, MESSAGES);
  const life = new BotLife(world.env, undo);
  const log: EventLog = { denied: new Map(), restores: [] };

  life.start();
  for (const event of schedule) {
    await reach(world, event);
    await apply(world, channels, event, life, log);
  }
  await Promise.all(log.restores);
  const rules = await control<{ hits: number }[]>(world.emulator, "GET", "faults");
  const faultHits = rules.reduce((sum, rule) => sum + rule.hits, 0);
  await control(world.emulator, "DELETE", "faults");
  life.start();
  await settle(world, store, channels, life).catch((error) => {
    throw new Error(`${error}\n${life.output()}`);
  });
  await life.stop("SIGTERM");
  const verdicts = await judgeChannels(world, channels, log.denied);
  const { starts } = life;
  const output = life.output();
  await cleanUpScenario();
  return { schedule, verdicts, starts, faultHits, output };
}

async function subscribeChannels(world: DeliveryWorld) {
  const { emulator, guild } = world;
  const channels: { id: string; mode: DeliveryMode }[] = [];
  for (const [i, mode] of MODES.entries()) {
    const type = mode === "forum" ? 15 : mode === "thread" && i % 2 === 0 ? 5 : 0;
    const path = `guilds/${guild.id}/channels`;
    const { id } = await control<{ id: string }>(emulator, "POST", path, { name: `c${i}`, type });
    channels.push({ id, mode });
  }
  const db = openDatabase(world.config.databasePath);
  const store = new SqliteStore(db);
  for (const { id, mode } of channels)
    await store.saveSubscription(subscriptionInput(id, guild.id, mode));
  // English reasons, and a daily run missed two days ago: the bot delivers as soon as it starts.
  await store.saveGuildSettings(guild.id, {
    language: "en",
    schedule: "0 9 * * *",
    timezone: "UTC",
    lastRunAt: new Date(Date.now() - 2 * 86_400_000).toISOString(),
  });
  db.close();
  return channels;
}

/** Waits until the ledger owes nothing, no request is in flight and no message arrives for 2 s. */
async function settle(
  world: DeliveryWorld,
  store: SqliteStore,
  channels: readonly { id: string }[],
  life: BotLife,
): Promise<void> {
  const finished = async () => {
    if ((await store.unfinishedDeliveries()).length > 0) return false;
    const last = new Map((await store.lastDeliveries(100)).map((d) => [d.channelId, d.status]));
    for (const c of channels)
      if (!((await store.subscription(c.id))?.pausedReason || last.get(c.id))) return false;
    return true;
  };
  const quiet = async () => {
    const { requests } = await control<{ requests: unknown[] }>(
      world.emulator,
      "GET",
      "requests?in_flight=true",
    );
    return requests.length === 0;
  };
  let stable = 0;
  let count = -1;
  await waitUntil(async () => {
    const exit = life.running?.process.exitCode;
    if (exit !== null && exit !== undefined) throw new Error(`the bot exited with ${exit}`);
    const now = world.emulator.ctx.world.messages.size;
    stable = (await finished()) && (await quiet()) && now === count ? stable + 1 : 0;
    count = now;
    return stable >= 40;
  }, 150_000);
}
