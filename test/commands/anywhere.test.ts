import { afterAll, beforeAll, describe, expect, test } from "vitest";
import type { RunningBot } from "../../src/app/bot.js";
import { inviteUrl, userInstallUrl } from "../../src/app/invite.js";
import { loadCommands } from "../../src/commands/loader.js";
import { subscriptionInput } from "../../src/delivery/subscription.js";
import { COMMANDS_DIR } from "../../src/paths.js";
import { bot, type DeliveryWorld, deliveryWorld } from "../support/delivery-world.js";
import { control, rest } from "../support/discord.js";
import { type InteractionView, interact, slash } from "../support/interact.js";

let world: DeliveryWorld;
let running: RunningBot;
beforeAll(async () => {
  world = await deliveryWorld({ emulator: { rateLimits: { enabled: false } } });
  // Registered as `npm run deploy-commands` does: the emulator then offers each command only
  // where its contexts and installs allow, as Discord does.
  const commands = await loadCommands(COMMANDS_DIR);
  const body = [...commands.values()].map((c) => c.data);
  const app = world.emulator.ctx.world.applicationId;
  expect((await rest(world.emulator, "PUT", `/applications/${app}/commands`, body)).status).toBe(
    200,
  );
  running = await bot(world);
});
afterAll(async () => {
  await running.stop();
  await world.emulator.close();
});

const READERS = [
  "author",
  "digest",
  "help",
  "paper",
  "search",
  "top",
  "follow",
  "following",
  "unfollow",
];
const ADMINS = ["config", "repost", "status"];
const UNKNOWN_SERVER = "1234567890123456789";

function content(view: InteractionView): string {
  const original = view.original;
  const embeds = (original?.embeds ?? []) as { title?: string; description?: string }[];
  return `${original?.content ?? ""}\n${embeds.map((e) => `${e.title}\n${e.description}`).join("\n")}`;
}

describe("commands anywhere", () => {
  test("reader commands install for users and servers and work in servers, DMs and private channels; admin commands stay in servers", async () => {
    const commands = await loadCommands(COMMANDS_DIR);
    for (const name of READERS) {
      expect(commands.get(name)?.data.integration_types, name).toEqual([0, 1]);
      expect(commands.get(name)?.data.contexts, name).toEqual([0, 1, 2]);
    }
    for (const name of ADMINS) {
      expect(commands.get(name)?.data.integration_types, name).toEqual([0]);
      expect(commands.get(name)?.data.contexts, name).toEqual([0]);
    }
  });

  test("/top in a DM with the bot is answered, in the user's language", async () => {
    const view = await interact(world.emulator, {
      context: 1,
      locale: "ko",
      type: 2,
      data: slash("top", [{ type: 3, name: "period", value: "all" }]),
    });
    expect(view.callbacks).toHaveLength(1);
    expect(content(view)).toContain("🏆 추천 상위 논문");
  });

  test("/paper in a group DM through the user's own install is answered", async () => {
    const view = await interact(world.emulator, {
      context: 2,
      channel_type: 3,
      locale: "en-US",
      type: 2,
      data: slash("paper", [{ type: 3, name: "query", value: "Speculative Streaming" }]),
    });
    expect(content(view)).toContain("Speculative Streaming");
  });

  test("/search in a server that never installed the bot is answered through the user's install", async () => {
    const view = await interact(world.emulator, {
      guild_id: UNKNOWN_SERVER,
      uninstalled_guild: true,
      locale: "en-US",
      type: 2,
      data: slash("search", [{ type: 3, name: "text", value: "diffusion" }]),
    });
    expect(view.callbacks).toHaveLength(1);
    expect(content(view)).toMatch(/🔎 "diffusion" — \d+ results?/);
  });

  test("admin commands are not offered in DMs nor in a server that did not install the bot", async () => {
    await expect(
      control(world.emulator, "POST", "interactions", {
        context: 1,
        type: 2,
        data: slash("status"),
      }),
    ).rejects.toThrow(/not available in context 1/);
    await expect(
      control(world.emulator, "POST", "interactions", {
        guild_id: UNKNOWN_SERVER,
        uninstalled_guild: true,
        permissions: "32",
        type: 2,
        data: slash("config", [{ type: 1, name: "show", options: [] }]),
      }),
    ).rejects.toThrow(/no installation of the app reaches/);
  });

  test("/follow in the bot's DM says the alerts come to that DM", async () => {
    const view = await interact(world.emulator, {
      context: 1,
      user_id: "840000000000000001",
      type: 2,
      data: slash("follow", [{ type: 3, name: "topic", value: "diffusion" }]),
    });
    expect(content(view)).toContain("Now following topic **diffusion**");
    expect(content(view)).toContain("Alerts come here, to this DM.");
  });

  test("/help in a DM lists only the reader commands, in Korean for a Korean user", async () => {
    const view = await interact(world.emulator, {
      context: 1,
      locale: "ko",
      type: 2,
      data: slash("help"),
    });
    const text = view.original?.content ?? "";
    expect(view.original?.ephemeral).toBe(true);
    expect(text).toContain("여기서 쓸 수 있는 명령");
    for (const name of ["논문", "인기", "도움말"]) expect(text).toContain(`\`/${name}\``);
    expect(text).not.toMatch(/관리자 명령|\/설정|\/상태/);
  });

  test("/help for a server's admin shows the setup and the next step; a member sees no admin commands", async () => {
    const admin = await interact(world.emulator, {
      guild_id: world.guild.id,
      channel_id: world.guild.text,
      permissions: "32",
      locale: "en-US",
      type: 2,
      data: slash("help"),
    });
    const text = admin.original?.content ?? "";
    expect(text).toContain("Admin commands:");
    expect(text).toContain("`/config`");
    expect(text).toContain("Subscribed channels: none");
    expect(text).toMatch(/Schedule: `[^`]+` \([^)]+\) · next: \w/);
    expect(text).toContain("👉 Subscribe a channel: `/config channel add");

    await running.core.store.saveSubscription(
      subscriptionInput(world.guild.text, world.guild.id, "embeds"),
    );
    const after = await interact(world.emulator, {
      guild_id: world.guild.id,
      channel_id: world.guild.text,
      permissions: "32",
      type: 2,
      data: slash("help"),
    });
    expect(after.original?.content).toContain(
      `Subscribed channels: <#${world.guild.text}> (embeds)`,
    );
    expect(after.original?.content).toContain("👉 All set.");

    const member = await interact(world.emulator, {
      guild_id: world.guild.id,
      channel_id: world.guild.text,
      permissions: "0",
      type: 2,
      data: slash("help"),
    });
    expect(member.original?.content).not.toMatch(/Admin commands|This server's setup|`\/config`/);
  });

  test("/help in a server that only the user installed says the server must add the bot for channel digests", async () => {
    const view = await interact(world.emulator, {
      guild_id: UNKNOWN_SERVER,
      uninstalled_guild: true,
      permissions: "32",
      type: 2,
      data: slash("help"),
    });
    expect(view.original?.content).toContain("installed for you, not for this server");
    expect(view.original?.content).not.toContain("Admin commands");
  });

  test("the links add the bot to a server, or the app for oneself", () => {
    const server = new URL(inviteUrl("111111111111111111"));
    expect(server.searchParams.get("integration_type")).toBe("0");
    expect(server.searchParams.get("scope")).toBe("bot applications.commands");
    const own = new URL(userInstallUrl("111111111111111111"));
    expect(own.searchParams.get("integration_type")).toBe("1");
    expect(own.searchParams.get("scope")).toBe("applications.commands");
    expect(own.searchParams.has("permissions")).toBe(false);
  });

  test("/paper and /digest's menu, asked in a channel that gets cards, answer with a card", async () => {
    await running.core.store.saveSubscription(
      subscriptionInput(world.guild.news, world.guild.id, "embeds", { style: "cards" }),
    );
    const view = await interact(world.emulator, {
      guild_id: world.guild.id,
      channel_id: world.guild.news,
      type: 2,
      data: slash("paper", [{ type: 3, name: "query", value: "Speculative Streaming" }]),
    });
    const original = view.original as unknown as {
      flags: number;
      embeds: unknown[];
      components: { type: number }[];
    };
    expect(original.flags & (1 << 15)).not.toBe(0);
    expect(original.embeds).toEqual([]);
    expect(original.components.map((c) => c.type)).toEqual([17]);
    const listed = await interact(world.emulator, {
      guild_id: world.guild.id,
      channel_id: world.guild.news,
      type: 2,
      data: slash("digest", [{ type: 3, name: "date", value: "2024-02-20" }]),
    });
    const menu = (
      listed.original?.components[0] as { components: { custom_id: string }[] } | undefined
    )?.components[0];
    const picked = await interact(world.emulator, {
      guild_id: world.guild.id,
      channel_id: world.guild.news,
      type: 3,
      message_id: listed.original?.id,
      data: { custom_id: menu?.custom_id, component_type: 3, values: ["2402.11131"] },
    });
    const card = picked.original as unknown as { flags: number; components: { type: number }[] };
    expect(picked.original?.ephemeral).toBe(true);
    expect(card.flags & (1 << 15)).not.toBe(0);
    expect(card.components.map((c) => c.type)).toEqual([17]);
    const contract = await control<{ violations: unknown[] }>(world.emulator, "GET", "contract");
    expect(contract.violations).toEqual([]);
  });
});
