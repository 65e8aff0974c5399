import type { EmulatorOptions } from "../../emulator/server.js";
import type { Store } from "../../src/delivery/store.js";
import { subscriptionInput } from "../../src/delivery/subscription.js";
import type { DeliveryMode } from "../../src/render/digest-messages.js";
import type { StoreBackend } from "./backends.js";
import { type BotProcess, exited, spawnBot } from "./bot-process.js";
import { type DeliveryWorld, deliveryWorld, messages, receivedTitles } from "./delivery-world.js";
import { control } from "./discord.js";

const MODES: DeliveryMode[] = ["embeds", "thread", "forum"];
const TYPES: Record<DeliveryMode, number> = { embeds: 0, thread: 5, forum: 15 };

/**
 * An emulator and a shared database with `channels` subscribed channels (the three modes in
 * turn) of one server whose run is overdue, and a way to start any role as a real process.
 */
export async function scaledWorld(options: {
  backend: StoreBackend;
  channels: number;
  env?: Record<string, string>;
  emulator?: EmulatorOptions;
}) {
  const DATABASE_URL = await options.backend.databaseUrl("");
  const world: DeliveryWorld = await deliveryWorld({
    env: { CATCH_UP: "true", DATABASE_URL, ...options.env },
    ...(options.emulator ? { emulator: options.emulator } : {}),
  });
  const { emulator, guild } = world;
  const opened = await options.backend.open(DATABASE_URL);
  const store: Store = opened.store;
  const channels: { id: string; mode: DeliveryMode }[] = [];
  for (let i = 0; i < options.channels; i++) {
    const mode = MODES[i % 3] as DeliveryMode;
    const { id } = await control<{ id: string }>(emulator, "POST", `guilds/${guild.id}/channels`, {
      name: `c${i}`,
      type: TYPES[mode],
    });
    channels.push({ id, mode });
    await store.saveSubscription(subscriptionInput(id, guild.id, mode));
  }
  await store.saveGuildSettings(guild.id, {
    schedule: "0 9 * * *",
    timezone: "UTC",
    lastRunAt: new Date(Date.now() - 2 * 86_400_000).toISOString(),
  });
  const started: BotProcess[] = [];
  return {
    ...world,
    store,
    channels,
    /** Starts `npm start` with this world's settings and `ROLE=role`. */
    start(role: string, env: Record<string, string> = {}, level = "info"): BotProcess {
      const proc = spawnBot({ ...world.env, ROLE: role, ...env }, level);
      started.push(proc);
      return proc;
    },
    /** Every delivery recorded so far is done. */
    async allDone(): Promise<boolean> {
      const all = await store.lastDeliveries(100_000);
      return all.length >= channels.length && all.every((d) => d.status === "done");
    },
    /** What each channel received: papers missing or doubled, and stray threads or headers. */
    async problems(papers: number): Promise<string[]> {
      const problems: string[] = [];
      const listed = await control<{ parent_id: string | null }[]>(
        emulator,
        "GET",
        `guilds/${guild.id}/channels`,
      );
      for (const { id, mode } of channels) {
        const titles = await receivedTitles(emulator, guild, id);
        if (titles.length !== papers || new Set(titles).size !== papers)
          problems.push(`${mode} ${id}: ${titles.length} embeds, ${new Set(titles).size} distinct`);
        const threads = listed.filter((c) => c.parent_id === id).length;
        if (threads !== (mode === "embeds" ? 0 : 1))
          problems.push(`${mode} ${id}: ${threads} threads or posts`);
        if (mode !== "forum") {
          const headers = (await messages(emulator, id)).filter((m) => m.content.startsWith("📰"));
          if (headers.length !== 1) problems.push(`${mode} ${id}: ${headers.length} headers`);
        }
      }
      return problems;
    },
    /** Everything started, killed; the store closed; the emulator closed. */
    async close(): Promise<void> {
      for (const proc of started) {
        proc.process.kill("SIGCONT");
        proc.process.kill("SIGKILL");
        await exited(proc.process);
      }
      await opened.close();
      await emulator.close();
    },
  };
}

export type ScaledWorld = Awaited<ReturnType<typeof scaledWorld>>;

/** The claim holder names of a process (they start with `host/ns:pid:`). */
export function holdsClaims(
  counts: { holders: Record<string, number> },
  pid: number | undefined,
): number {
  return Object.entries(counts.holders)
    .filter(([holder]) => holder.split(":")[1] === String(pid))
    .reduce((sum, [, n]) => sum + n, 0);
}
