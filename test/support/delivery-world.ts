import { copyFileSync, mkdirSync } from "node:fs";
import { join } from "node:path";
import type { Emulator, EmulatorOptions } from "../../emulator/server.js";
import { type RunningBot, startBot } from "../../src/app/bot.js";
import { buildCore, type Core } from "../../src/app/wiring.js";
import { type Config, parseConfig } from "../../src/config.js";
import { control } from "./discord.js";
import { emulatorWithGuild, type TestGuild } from "./emulator-world.js";
import { memoryLogger } from "./logger.js";
import { ROOT, tempDir } from "./paths.js";

export const SAMPLE_DIGEST = join(ROOT, "digests", "2024-02-20.md");
export const FAST_RETRY = { attempts: 6, baseDelayMs: 50, maxDelayMs: 400 };

export interface StoredMessage {
  id: string;
  content: string;
  embeds: { title?: string }[];
  thread_id: string | null;
  nonce: string | null;
  pinged: { everyone: boolean; users: string[]; roles: string[] };
}

/** An emulator with a guild, a digests folder holding the sample, and a config pointing at both. */
export async function deliveryWorld(
  options: { emulator?: EmulatorOptions; env?: Record<string, string> } = {},
) {
  const { emulator, guild } = await emulatorWithGuild(options.emulator ?? {});
  const dir = tempDir();
  const digestsDir = join(dir, "digests");
  mkdirSync(digestsDir);
  copyFileSync(SAMPLE_DIGEST, join(digestsDir, "2024-02-20.md"));
  const env = {
    DISCORD_TOKEN: emulator.token,
    DISCORD_API_URL: emulator.apiUrl,
    DIGESTS_DIR: digestsDir,
    DATABASE_URL: join(dir, "state.db"),
    LOG_LEVEL: "debug",
    CATCH_UP: "false",
    ...options.env,
  };
  const config: Config = parseConfig(env);
  const { logger, lines } = memoryLogger();
  return { emulator, guild, dir, digestsDir, env, config, logger, lines };
}

export type DeliveryWorld = Awaited<ReturnType<typeof deliveryWorld>>;

/** The delivery pipeline over REST only (no gateway); `options` as `buildCore` takes them. */
export function core(
  world: DeliveryWorld,
  options: Parameters<typeof buildCore>[3] = {},
): Promise<Core> {
  return buildCore(world.config, world.logger, () => world.emulator.ctx.world.botUser.id, {
    retry: FAST_RETRY,
    ...options,
  });
}

const openCores: { core: Core; world: DeliveryWorld }[] = [];

/**
 * A world (rate limits off; `env` added to its settings) with its REST-only pipeline, kept until `closeCoreWorlds`, which a
 * test file calls in `afterEach`.
 */
export async function coreWorld(
  options: Parameters<typeof buildCore>[3] = {},
  env: Record<string, string> = {},
): Promise<{ c: Core; world: DeliveryWorld }> {
  const world = await deliveryWorld({ emulator: { rateLimits: { enabled: false } }, env });
  const c = await core(world, options);
  openCores.push({ core: c, world });
  return { c, world };
}

/** Closes every pipeline and emulator `coreWorld` opened. */
export async function closeCoreWorlds(): Promise<void> {
  for (const { core: c, world } of openCores.splice(0)) {
    c.archive.close();
    await c.closeStore();
    await world.emulator.close();
  }
}

/** The whole bot, gateway included. */
export function bot(world: DeliveryWorld): Promise<RunningBot> {
  return startBot(world.config, world.logger, { retry: FAST_RETRY });
}

export function messages(emulator: Emulator, channelId: string): Promise<StoredMessage[]> {
  return control<StoredMessage[]>(emulator, "GET", `channels/${channelId}/messages`);
}

/** Every embed title a channel (and the thread or forum posts under it) received, in order. */
export async function receivedTitles(
  emulator: Emulator,
  guild: TestGuild,
  channelId: string,
): Promise<string[]> {
  const channels = await control<{ id: string; parent_id: string | null }[]>(
    emulator,
    "GET",
    `guilds/${guild.id}/channels`,
  );
  const ids = [channelId, ...channels.filter((c) => c.parent_id === channelId).map((c) => c.id)];
  const titles: string[] = [];
  for (const id of ids)
    for (const m of await messages(emulator, id))
      titles.push(...m.embeds.map((e) => e.title ?? ""));
  return titles;
}

export async function waitUntil<T>(
  check: () => Promise<T | null | undefined | false> | T | null | undefined | false,
  ms = 10_000,
): Promise<T> {
  const start = Date.now();
  for (;;) {
    const value = await check();
    if (value) return value;
    if (Date.now() - start > ms) throw new Error(`condition not met within ${ms} ms`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
