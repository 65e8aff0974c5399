import { afterEach, describe, expect, test } from "vitest";
import { subscriptionInput } from "../../src/delivery/subscription.js";
import {
  closeCoreWorlds,
  coreWorld,
  type DeliveryWorld,
  waitUntil,
} from "../support/delivery-world.js";
import { control } from "../support/discord.js";

afterEach(closeCoreWorlds);

/** The delivery pipeline with a short REST timeout, subscribed to the forum. */
async function setup(timeoutMs: number) {
  const { c, world } = await coreWorld({ restTimeoutMs: timeoutMs });
  await c.store.saveSubscription(subscriptionInput(world.guild.forum, world.guild.id, "forum"));
  return { c, world };
}

async function postsIn(world: DeliveryWorld): Promise<string[]> {
  const channels = await control<{ id: string; parent_id: string | null }[]>(
    world.emulator,
    "GET",
    `guilds/${world.guild.id}/channels`,
  );
  return channels.filter((ch) => ch.parent_id === world.guild.forum).map((ch) => ch.id);
}

describe("a forum post whose creation outlasts the REST timeout", () => {
  test("is created once: never resent blindly, and found again once Discord has finished", async () => {
    const { c, world } = await setup(600);
    // Discord answers the first create after 1.5 s: the bot has given up on it at 0.6 s.
    await control(world.emulator, "POST", "faults", {
      route: "POST /channels/:channel/threads",
      delay_ms: 1500,
      times: 1,
    });
    const [outcome] = await c.service.deliverNewest();
    expect(outcome?.status).toBe("done");
    await waitUntil(async () => {
      const log = await control<{ requests: unknown[] }>(
        world.emulator,
        "GET",
        "requests?in_flight=true",
      );
      return log.requests.length === 0;
    });
    const posts = await postsIn(world);
    expect(posts).toHaveLength(1);
    expect((await c.store.delivery(outcome?.deliveryId ?? 0))?.threadId).toBe(posts[0]);
    const creates = await control<{ requests: unknown[] }>(
      world.emulator,
      "GET",
      "requests?route=POST /channels/:channel/threads",
    );
    // The one that timed out, and none after it: the post it made was found and adopted.
    expect(creates.requests).toHaveLength(1);
  });

  test("a create that fails outright (503) is tried again at once and makes one post", async () => {
    const { c, world } = await setup(5_000);
    await control(world.emulator, "POST", "faults", {
      route: "POST /channels/:channel/threads",
      status: 503,
      times: 2,
    });
    const [outcome] = await c.service.deliverNewest();
    expect(outcome?.status).toBe("done");
    expect(await postsIn(world)).toHaveLength(1);
  });
});
