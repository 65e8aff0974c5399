import Database from "better-sqlite3";
import { type NeededPermission, PERMISSION_LABELS } from "../../src/delivery/channel-health.js";
import type { DeliveryMode } from "../../src/render/digest-messages.js";
import { type DeliveryWorld, messages, receivedTitles } from "./delivery-world.js";
import { control } from "./discord.js";

const PAPERS = 14;

/** What one subscribed channel ended with, and every way it breaks the exactly-once promise. */
export interface ChannelVerdict {
  id: string;
  mode: DeliveryMode;
  papers: number;
  pausedReason: string | null;
  /** The permission the schedule took away in this channel, if any. */
  denied: NeededPermission | null;
  problems: string[];
}

/** Whether a pause reason names what was taken away (or Discord's own code for it). */
function namesIt(reason: string, denied: NeededPermission): boolean {
  if (reason.includes(PERMISSION_LABELS[denied])) return true;
  // A 403 that beat the gateway's update to the bot: Discord's answer is all the bot knows.
  return denied === "ViewChannel"
    ? reason.includes("Missing Access")
    : reason.includes("Missing Permissions");
}

/**
 * Judges every channel once the bot has stopped: each paper exactly once, or the channel paused
 * with a reason naming the permission it lost, holding a prefix of the papers and no repeat.
 */
export async function judgeChannels(
  world: DeliveryWorld,
  channels: readonly { id: string; mode: DeliveryMode }[],
  denied: ReadonlyMap<string, NeededPermission>,
): Promise<ChannelVerdict[]> {
  const db = new Database(world.config.databasePath, { readonly: true });
  const reasonOf = db.prepare<[string], { paused_reason: string | null }>(
    "SELECT paused_reason FROM subscriptions WHERE channel_id = ?",
  );
  const listed = await control<{ parent_id: string | null }[]>(
    world.emulator,
    "GET",
    `guilds/${world.guild.id}/channels`,
  );
  const seen = [];
  for (const { id, mode } of channels) {
    const titles = await receivedTitles(world.emulator, world.guild, id);
    const headers = (await messages(world.emulator, id)).filter((m) => m.content.startsWith("📰"));
    const threads = listed.filter((c) => c.parent_id === id).length;
    seen.push({ id, mode, titles, headers: headers.length, threads });
  }
  const complete = seen.find(
    (c) => new Set(c.titles).size === PAPERS && c.titles.length === PAPERS,
  );
  const verdicts = seen.map(({ id, mode, titles, headers, threads }): ChannelVerdict => {
    const pausedReason = reasonOf.get(id)?.paused_reason ?? null;
    const lost = denied.get(id) ?? null;
    const problems: string[] = [];
    const repeated = titles.filter((t, i) => titles.indexOf(t) !== i);
    if (repeated.length > 0) problems.push(`repeated papers: ${repeated.join(" | ")}`);
    if (headers > 1) problems.push(`${headers} headers`);
    if (threads > (mode === "embeds" ? 0 : 1)) problems.push(`${threads} threads or forum posts`);
    const unique = new Set(titles).size;
    if (pausedReason === null) {
      if (unique < PAPERS)
        problems.push(`not paused, yet only ${unique} of ${PAPERS} papers arrived`);
      if (mode !== "forum" && headers === 0) problems.push("not paused, yet no header arrived");
      if (mode !== "embeds" && threads === 0) problems.push("not paused, yet no thread or post");
    } else {
      if (lost === null) problems.push(`paused though no permission was taken: ${pausedReason}`);
      else if (!namesIt(pausedReason, lost))
        problems.push(
          `paused for lacking ${lost} with a reason that does not say so: ${pausedReason}`,
        );
      const order = complete?.titles ?? titles;
      if (titles.some((t, i) => order[i] !== t))
        problems.push(`not a prefix of the digest: ${titles.join(" | ")}`);
    }
    return { id, mode, papers: unique, pausedReason, denied: lost, problems };
  });
  db.close();
  return verdicts;
}
