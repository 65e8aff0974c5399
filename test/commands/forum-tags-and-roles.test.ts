import { afterAll, beforeAll, describe, expect, test } from "vitest";
import type { RunningBot } from "../../src/app/bot.js";
import { subscriptionInput } from "../../src/delivery/subscription.js";
import {
  bot,
  type DeliveryWorld,
  deliveryWorld,
  messages,
  waitUntil,
} from "../support/delivery-world.js";
import { control } from "../support/discord.js";
import { interact } from "../support/interact.js";

let world: DeliveryWorld;
let running: RunningBot;
let forum: { id: string; tags: { id: string; name: string }[] };
const ADMIN = String(1n << 5n);
const REQUIRE_TAG = 1 << 4;

const add = (options: Record<string, unknown>[]) => ({
  guild_id: world.guild.id,
  channel_id: world.guild.text,
  permissions: ADMIN,
  user_id: "723456789012345678",
  type: 2,
  data: {
    name: "config",
    type: 1,
    options: [{ type: 2, name: "channel", options: [{ type: 1, name: "add", options }] }],
  },
});
const channelOption = (id: string) => ({ type: 7, name: "channel", value: id });

beforeAll(async () => {
  world = await deliveryWorld({ emulator: { rateLimits: { enabled: false } } });
  running = await bot(world);
  const created = await control<{ id: string; available_tags: { id: string; name: string }[] }>(
    world.emulator,
    "POST",
    `guilds/${world.guild.id}/channels`,
    {
      name: "tagged-forum",
      type: 15,
      flags: REQUIRE_TAG,
      available_tags: [{ name: "Papers" }, { name: "News" }],
    },
  );
  forum = { id: created.id, tags: created.available_tags };
  await waitUntil(() => running.client.channels.cache.get(forum.id));
});
afterAll(async () => {
  await running.stop();
  await world.emulator.close();
});

describe("forums that require a tag", () => {
  test("a subscription without a tag is refused with the forum's tags named", async () => {
    const view = await interact(world.emulator, add([channelOption(forum.id)]));
    expect(view.original?.content).toContain("requires a tag on every post");
    expect(view.original?.content).toContain("Papers, News");
    expect(await running.core.store.subscription(forum.id)).toBeNull();
  });

  test("the tag option autocompletes from the forum's tags", async () => {
    const view = await interact(world.emulator, {
      ...add([channelOption(forum.id), { type: 3, name: "tag", value: "ne", focused: true }]),
      type: 4,
    });
    expect(view.callbacks[0]?.data).toEqual({
      choices: [{ name: "News", value: forum.tags[1]?.id }],
    });
  });

  test("with a tag, every post carries it", async () => {
    const view = await interact(
      world.emulator,
      add([channelOption(forum.id), { type: 3, name: "tag", value: "Papers" }]),
    );
    expect(view.original?.content).toMatch(/^✅/);
    expect((await running.core.store.subscription(forum.id))?.forumTagId).toBe(forum.tags[0]?.id);
    await running.core.service.deliverNewest(world.guild.id);
    const posts = await control<{ parent_id: string | null; applied_tags?: string[] }[]>(
      world.emulator,
      "GET",
      `guilds/${world.guild.id}/channels`,
    );
    const post = posts.find((c) => c.parent_id === forum.id);
    expect(post?.applied_tags).toEqual([forum.tags[0]?.id]);
  });

  test("a post refused for want of a tag (40067) pauses the channel with that reason", async () => {
    await running.core.store.removeSubscription(forum.id);
    await running.core.store.saveSubscription(subscriptionInput(forum.id, world.guild.id, "forum"));
    const [outcome] = await running.core.service.repost("2024-02-20", forum.id, world.guild.id);
    expect(outcome?.status).toBe("paused");
    // The reason is in the server's language (Korean by default).
    expect((await running.core.store.subscription(forum.id))?.pausedReason).toMatch(
      /^40067: 포럼이 글마다 태그를 요구함/,
    );
  });
});

describe("a role to mention must really be notified", () => {
  test("a role that is not mentionable, with no Mention Everyone for the bot, is refused with the fix", async () => {
    const role = await control<{ id: string }>(
      world.emulator,
      "POST",
      `guilds/${world.guild.id}/roles`,
      {
        name: "readers",
        mentionable: false,
      },
    );
    await control(world.emulator, "POST", `channels/${world.guild.news}/access`, {
      allow: false,
      deny: ["MentionEveryone"],
    });
    await waitUntil(() =>
      running.client.guilds.cache.get(world.guild.id)?.roles.cache.get(role.id),
    );
    const withRole = [channelOption(world.guild.news), { type: 8, name: "role", value: role.id }];
    const refused = await interact(world.emulator, add(withRole));
    expect(refused.original?.content).toContain("is not mentionable");
    expect(refused.original?.content).toContain("Allow anyone to @mention this role");
    expect(await running.core.store.subscription(world.guild.news)).toBeNull();

    await control(world.emulator, "PATCH", `guilds/${world.guild.id}/roles/${role.id}`, {
      mentionable: true,
    });
    await waitUntil(
      () => running.client.guilds.cache.get(world.guild.id)?.roles.cache.get(role.id)?.mentionable,
    );
    const accepted = await interact(world.emulator, add(withRole));
    expect(accepted.original?.content).toMatch(/^✅/);
    await running.core.service.repost("2024-02-20", world.guild.news, world.guild.id);
    const [header] = await messages(world.emulator, world.guild.news);
    expect(header?.pinged.roles).toEqual([role.id]);
  });
});
