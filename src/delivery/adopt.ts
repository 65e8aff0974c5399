import type { DiscordReader } from "./sender.js";
import { CLOCK_SKEW_MS, snowflakeTime } from "./snowflake.js";
import type { Store } from "./store.js";

/** Posts left for longer than this may have auto-archived (Discord's shortest archive is 1 hour). */
const ARCHIVE_AFTER_MS = 55 * 60_000;

/**
 * The forum post an earlier, unconfirmed attempt of this delivery created, if any: the bot's own
 * post in that forum with that name, created at or after the first attempt (allowing for a little
 * clock skew) and not recorded as any other delivery's post. The earliest such post wins, so every
 * retry settles on the same one. Forum posts carry no nonce: this is the only way to know.
 */
export async function findOwnPost(
  deps: { reader: DiscordReader; store: Store },
  where: { deliveryId: number; guildId: string; forumId: string; name: string },
  firstAttemptAt: number,
  now: number = Date.now(),
): Promise<string | null> {
  const { reader, store } = deps;
  const bot = await reader.botUserId();
  const archivedToo = now - firstAttemptAt > ARCHIVE_AFTER_MS;
  const threads = await reader.threadsIn(where.guildId, where.forumId, archivedToo);
  const candidates = threads
    .filter(
      (t) =>
        t.parentId === where.forumId &&
        t.name === where.name &&
        t.ownerId === bot &&
        snowflakeTime(t.id) >= firstAttemptAt - CLOCK_SKEW_MS,
    )
    .sort((a, b) => (BigInt(a.id) < BigInt(b.id) ? -1 : 1));
  for (const thread of candidates) {
    const owner = await store.threadOwner(thread.id);
    if (owner === null || owner === where.deliveryId) return thread.id;
  }
  return null;
}

/**
 * Serialises find-then-create per forum within this process, so two deliveries to one forum
 * (a schedule and a `/repost`) never look for their posts while the other's create is in flight.
 */
export class ForumLocks {
  private readonly tails = new Map<string, Promise<unknown>>();

  /** Runs `work` once every earlier holder of `forumId` has finished. */
  async with<T>(forumId: string, work: () => Promise<T>): Promise<T> {
    const before = this.tails.get(forumId) ?? Promise.resolve();
    const run = before.then(work, work);
    const tail = run.catch(() => {});
    this.tails.set(forumId, tail);
    try {
      return await run;
    } finally {
      if (this.tails.get(forumId) === tail) this.tails.delete(forumId);
    }
  }
}
