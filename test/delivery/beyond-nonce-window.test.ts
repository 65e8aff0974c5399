import { afterEach, describe, expect, test } from "vitest";
import type { Core } from "../../src/app/wiring.js";
import { subscriptionInput } from "../../src/delivery/subscription.js";
import type { DeliveryMode } from "../../src/render/digest-messages.js";
import {
  closeCoreWorlds,
  coreWorld,
  type DeliveryWorld,
  messages,
  receivedTitles,
} from "../support/delivery-world.js";
import { control } from "../support/discord.js";

afterEach(closeCoreWorlds);

async function setup() {
  const { c, world } = await coreWorld();
  return { c, world };
}

const SIX_HOURS = 6 * 3_600_000;
const channelOf = (world: DeliveryWorld, mode: DeliveryMode) =>
  mode === "forum" ? world.guild.forum : world.guild.text;

/**
 * What a process killed right after Discord took its sends leaves behind: the steps from `from`
 * on arrived, but the ledger still has them pending with one attempt (and no thread recorded).
 */
function forgetConfirmations(c: Core, deliveryId: number, from: number, firstAttemptAt: number) {
  const db = c.db;
  if (!db) throw new Error("this test edits the SQLite file");
  db.prepare(
    `UPDATE delivery_steps SET status = 'pending', discord_id = NULL, attempts = 1, first_attempt_at = ?
       WHERE delivery_id = ? AND seq >= ?`,
  ).run(firstAttemptAt, deliveryId, from);
  if (from <= 1)
    db.prepare("UPDATE deliveries SET status = 'pending', thread_id = NULL WHERE id = ?").run(
      deliveryId,
    );
  else db.prepare("UPDATE deliveries SET status = 'pending' WHERE id = ?").run(deliveryId);
}

async function oneOfEach(world: DeliveryWorld, mode: DeliveryMode) {
  const channelId = channelOf(world, mode);
  const titles = await receivedTitles(world.emulator, world.guild, channelId);
  expect(titles, mode).toHaveLength(14);
  expect(new Set(titles).size, mode).toBe(14);
  const posts = (
    await control<{ parent_id: string | null }[]>(
      world.emulator,
      "GET",
      `guilds/${world.guild.id}/channels`,
    )
  ).filter((ch) => ch.parent_id === channelId);
  expect(posts, `${mode}: threads or posts`).toHaveLength(mode === "embeds" ? 0 : 1);
  if (mode !== "forum") {
    const headers = (await messages(world.emulator, channelId)).filter((m) =>
      m.content.startsWith("📰"),
    );
    expect(headers, `${mode}: headers`).toHaveLength(1);
  }
}

describe("exactly once beyond the nonce window", () => {
  for (const mode of ["embeds", "thread", "forum"] as const) {
    for (const from of [0, 1, 2]) {
      test(`${mode}: sends that arrived unconfirmed from step ${from} on are found six hours later and not sent again`, async () => {
        const { c, world } = await setup();
        await c.store.saveSubscription(
          subscriptionInput(channelOf(world, mode), world.guild.id, mode),
        );
        const startedAt = Date.now();
        const [first] = await c.service.deliverNewest();
        expect(first?.status).toBe("done");
        forgetConfirmations(c, first?.deliveryId ?? 0, from, startedAt);
        // Past the emulator's 5-minute nonce window: a resend would post a copy.
        await control(world.emulator, "POST", "clock", { advance_ms: SIX_HOURS });
        const resumed = await c.service.resumeUnfinished();
        expect(resumed.map((o) => o.status)).toEqual(["done"]);
        await oneOfEach(world, mode);
        const steps = await c.store.steps(first?.deliveryId ?? 0);
        expect(steps.every((s) => s.status === "sent" && s.discordId !== null)).toBe(true);
      }, 30_000);
    }
  }

  test("a message a moderator deleted before the restart is not sent again, and the delivery is done", async () => {
    const { c, world } = await setup();
    await c.store.saveSubscription(subscriptionInput(world.guild.text, world.guild.id));
    const [first] = await c.service.deliverNewest();
    const id = first?.deliveryId ?? 0;
    const header = (await c.store.steps(id))[0];
    await control(
      world.emulator,
      "DELETE",
      `channels/${world.guild.text}/messages/${header?.discordId}`,
    );
    forgetConfirmations(c, id, 0, Date.now());
    const [resumed] = await c.service.resumeUnfinished();
    expect(resumed).toMatchObject({ status: "done", error: null });
    expect(resumed?.counts).toMatchObject({ total: 3, delivered: 3, deleted: 1 });
    const left = await messages(world.emulator, world.guild.text);
    expect(left).toHaveLength(2);
    expect(left.some((m) => m.content.startsWith("📰"))).toBe(false);
    expect(
      world.lines().some((l) => l.msg === "a message was deleted after delivery; not resent"),
    ).toBe(true);
    expect(world.lines().some((l) => l.msg === "Discord refused a message; skipped")).toBe(false);
  });
});
