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

// Discord offers a server's admin only that server's channels and roles; these interactions are
// forged (the emulator sends them only when asked), to prove the bot does not rely on that.
let world: DeliveryWorld;
let running: RunningBot;
let other: { guild: string; channel: string; role: string };
const ADMIN = String(1n << 5n);

const command = (options: Record<string, unknown>[], resolved: Record<string, unknown>) => ({
  id: "123456789012345679",
  name: "config",
  type: 1,
  options: [{ type: 2, name: "channel", options }],
  resolved,
});
const channelResolved = (id: string) => ({
  channels: { [id]: { id, type: 0, name: "theirs", permissions: "0" } },
});
const asAdmin = (data: Record<string, unknown>) => ({
  guild_id: world.guild.id,
  channel_id: world.guild.text,
  permissions: ADMIN,
  user_id: "723456789012345678",
  type: 2,
  data,
  allow_foreign_resolved: true,
});

beforeAll(async () => {
  world = await deliveryWorld({ emulator: { rateLimits: { enabled: false } } });
  running = await bot(world);
  const guild = (
    await control<{ id: string }>(world.emulator, "POST", "guilds", { name: "Theirs" })
  ).id;
  const channel = (
    await control<{ id: string }>(world.emulator, "POST", `guilds/${guild}/channels`, {
      name: "their-papers",
      type: 0,
    })
  ).id;
  other = { guild, channel, role: guild };
  await waitUntil(() => running.client.channels.cache.get(channel));
  await running.core.store.saveSubscription(subscriptionInput(channel, guild, "embeds", {}));
});
afterAll(async () => {
  await running.stop();
  await world.emulator.close();
});

describe("an admin acts on their own server only", () => {
  test("/config channel remove of another server's channel is refused and its subscription stays", async () => {
    const view = await interact(
      world.emulator,
      asAdmin(
        command(
          [
            {
              type: 1,
              name: "remove",
              options: [{ type: 7, name: "channel", value: other.channel }],
            },
          ],
          channelResolved(other.channel),
        ),
      ),
    );
    expect(view.original).toMatchObject({
      ephemeral: true,
      content: expect.stringContaining("is not a channel of this server"),
    });
    expect((await running.core.store.subscription(other.channel))?.guildId).toBe(other.guild);
    expect(world.lines().some((l) => l.msg === "refused a channel of another server")).toBe(true);
  });

  test("/status digest about another server's channel is refused: its deliveries are not told", async () => {
    const view = await interact(
      world.emulator,
      asAdmin({
        id: "123456789012345680",
        name: "status",
        type: 1,
        options: [
          { type: 3, name: "digest", value: "2024-02-20" },
          { type: 7, name: "channel", value: other.channel },
        ],
        resolved: channelResolved(other.channel),
      }),
    );
    expect(view.original?.content).toContain("is not a channel of this server");
    expect(view.original?.content).not.toContain("discord.com/channels");
  });

  test("/config channel add of another server's channel cannot take over its subscription", async () => {
    const view = await interact(
      world.emulator,
      asAdmin(
        command(
          [{ type: 1, name: "add", options: [{ type: 7, name: "channel", value: other.channel }] }],
          channelResolved(other.channel),
        ),
      ),
    );
    expect(view.original?.content).toContain("is not a channel of this server");
    expect((await running.core.store.subscription(other.channel))?.guildId).toBe(other.guild);
  });

  test("/config channel add with another server's role is refused", async () => {
    const view = await interact(
      world.emulator,
      asAdmin(
        command(
          [
            {
              type: 1,
              name: "add",
              options: [
                { type: 7, name: "channel", value: world.guild.text },
                { type: 8, name: "role", value: other.role },
              ],
            },
          ],
          {
            ...channelResolved(world.guild.text),
            roles: {
              [other.role]: {
                id: other.role,
                name: "@everyone",
                color: 0,
                hoist: false,
                position: 0,
                permissions: "0",
                managed: false,
                mentionable: false,
                flags: 0,
              },
            },
          },
        ),
      ),
    );
    expect(view.original?.content).toContain("not a role of this server");
    expect(await running.core.store.subscription(world.guild.text)).toBeNull();
  });

  test("/repost into another server's channel is refused and nothing is posted there", async () => {
    const view = await interact(world.emulator, {
      ...asAdmin({
        id: "123456789012345680",
        name: "repost",
        type: 1,
        options: [{ type: 7, name: "channel", value: other.channel }],
        resolved: channelResolved(other.channel),
      }),
    });
    expect(view.original?.content).toContain("is not a channel of this server");
    expect(await messages(world.emulator, other.channel)).toEqual([]);
  });

  test("the delivery service refuses a channel of another server whatever the caller checked", async () => {
    await expect(
      running.core.service.repost("2024-02-20", other.channel, world.guild.id),
    ).rejects.toThrow(/not in server/);
    await expect(
      running.core.service.repost("2024-02-20", world.guild.text, other.guild),
    ).rejects.toThrow(/not in server/);
    expect(await messages(world.emulator, other.channel)).toEqual([]);
  });
});
