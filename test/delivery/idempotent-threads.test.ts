import { afterEach, describe, expect, test } from "vitest";
import type { Core } from "../../src/app/wiring.js";
import { subscriptionInput } from "../../src/delivery/subscription.js";
import {
  closeCoreWorlds,
  coreWorld,
  type DeliveryWorld,
  messages,
  receivedTitles,
} from "../support/delivery-world.js";
import { control, rest } from "../support/discord.js";

afterEach(closeCoreWorlds);

async function setup() {
  const { c, world } = await coreWorld();
  await c.store.saveSubscription(subscriptionInput(world.guild.forum, world.guild.id, "forum"));
  return { c, world };
}

const CREATE_POST = "POST /channels/:channel/threads";

async function posts(world: DeliveryWorld): Promise<string[]> {
  const channels = await control<{ id: string; parent_id: string | null }[]>(
    world.emulator,
    "GET",
    `guilds/${world.guild.id}/channels`,
  );
  return channels.filter((ch) => ch.parent_id === world.guild.forum).map((ch) => ch.id);
}

/** Every paper title a forum post holds, in order. */
async function titlesIn(world: DeliveryWorld, postId: string): Promise<string[]> {
  return (await messages(world.emulator, postId)).flatMap((m) =>
    m.embeds.map((e) => e.title ?? ""),
  );
}

/** A delivery the ledger holds as pending, its forum post attempted once at `firstAttemptAt`. */
async function crashedBeforeRecordingThePost(c: Core, firstAttemptAt: number) {
  const scheduled = await c.store.delivery(1);
  if (!scheduled) throw new Error("no first delivery");
  const delivery = await c.store.createDelivery({
    ...scheduled,
    kind: "manual",
    steps: (await c.store.steps(1)).map((s) => ({ role: s.role, payload: s.payload })),
  });
  if (!delivery) throw new Error("not recorded");
  await c.store.recordAttempt(delivery.id, 0, firstAttemptAt);
  return delivery;
}

describe("forum posts are created once per delivery", () => {
  test("a repost to a forum after a failed attempt gets its own post, not the previous delivery's", async () => {
    const { c, world } = await setup();
    const [first] = await c.service.deliverNewest();
    expect(first?.status).toBe("done");
    await control(world.emulator, "POST", "faults", { route: CREATE_POST, status: 503, times: 1 });
    const [again] = await c.service.repost("2024-02-20", world.guild.forum, world.guild.id);
    expect(again?.status).toBe("done");
    const ids = await posts(world);
    expect(ids).toHaveLength(2);
    const threadOf = async (id: number | undefined) => (await c.store.delivery(id ?? 0))?.threadId;
    expect(new Set([await threadOf(first?.deliveryId), await threadOf(again?.deliveryId)])).toEqual(
      new Set(ids),
    );
    for (const id of ids) expect(await titlesIn(world, id)).toHaveLength(14);
  });

  test("two reposts to one forum at once, both failing their first creates, get a post each", async () => {
    const { c, world } = await setup();
    await c.service.deliverNewest();
    await control(world.emulator, "POST", "faults", { route: CREATE_POST, status: 503, times: 2 });
    const outcomes = await Promise.all([
      c.service.repost("2024-02-20", world.guild.forum, world.guild.id),
      c.service.repost("2024-02-20", world.guild.forum, world.guild.id),
    ]);
    expect(outcomes.flat().map((o) => o.status)).toEqual(["done", "done"]);
    const ids = await posts(world);
    expect(ids).toHaveLength(3);
    for (const id of ids) expect(await titlesIn(world, id)).toHaveLength(14);
  });

  test("after a crash, the bot's post made after the first attempt is adopted, one made before is not", async () => {
    const { c, world } = await setup();
    await c.service.deliverNewest();
    // What an earlier attempt sent: the post with the delivery's own starter message.
    const {
      thread_name: name,
      applied_tags: _,
      ...starter
    } = (await c.store.steps(1))[0]?.payload ?? {
      embeds: [],
      allowed_mentions: { parse: [] },
    };
    const made = async () =>
      (
        await rest(world.emulator, "POST", `/channels/${world.guild.forum}/threads`, {
          name,
          message: starter,
        })
      ).body.id as string;

    // Made after the attempt started (its answer was lost): this delivery's own post.
    const adopted = await crashedBeforeRecordingThePost(c, Date.now() - 1000);
    const orphan = await made();
    await c.service.resumeUnfinished();
    expect((await c.store.delivery(adopted.id))?.threadId).toBe(orphan);
    expect(await titlesIn(world, orphan)).toHaveLength(14);

    // Made a minute before this delivery's first attempt: some other attempt's, never adopted.
    const stranger = await made();
    const fresh = await crashedBeforeRecordingThePost(c, Date.now() + 60_000);
    await c.service.resumeUnfinished();
    const own = (await c.store.delivery(fresh.id))?.threadId;
    expect(own).not.toBe(stranger);
    expect(own).not.toBe(orphan);
    expect(await titlesIn(world, stranger)).toHaveLength(starter.embeds.length); // nothing added
    expect(await titlesIn(world, own ?? "")).toHaveLength(14);
    expect(await posts(world)).toHaveLength(4);
    expect(await receivedTitles(world.emulator, world.guild, world.guild.forum)).toHaveLength(
      42 + starter.embeds.length,
    );
  });
});
