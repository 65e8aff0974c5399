import { ChannelType, type Client, type Interaction, Partials } from "discord.js";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import type { Emulator } from "../../emulator/server.js";
import { control, readyClient, rest } from "../support/discord.js";
import { emulatorWithGuild, type TestGuild } from "../support/emulator-world.js";
import { interact } from "../support/interact.js";

// Sources: docs = discord-api-docs, developers/interactions/receiving-and-responding.mdx
// (#interaction-object, #interaction-context-types, #authorizing-integration-owners-object) and
// application-commands.mdx (#contexts, #registering-a-command).

let emulator: Emulator;
let guild: TestGuild;
let bot: Client;
let handler: (interaction: Interaction) => Promise<void> = async () => {};
const rawByShard: { shard: number; context: unknown }[] = [];
const USER = "423456789012345678";

beforeAll(async () => {
  ({ emulator, guild } = await emulatorWithGuild({ shards: 2, maxConcurrency: 16 }));
  bot = await readyClient(emulator, { shards: "auto", partials: [Partials.Channel] });
  bot.on("raw", (packet: { t?: string; d?: { context?: unknown } }, shard: number) => {
    if (packet.t === "INTERACTION_CREATE") rawByShard.push({ shard, context: packet.d?.context });
  });
  bot.on("interactionCreate", (interaction) => {
    void handler(interaction).catch((error: unknown) => console.error("handler failed", error));
  });
  const app = emulator.ctx.world.applicationId;
  const global = [
    { name: "everywhere", description: "d", integration_types: [0, 1], contexts: [0, 1, 2] },
    { name: "guildonly", description: "d", contexts: [0] },
    { name: "dm", description: "d", contexts: [1] },
  ];
  expect((await rest(emulator, "PUT", `/applications/${app}/commands`, global)).status).toBe(200);
  const local = [{ name: "local", description: "d" }];
  const path = `/applications/${app}/guilds/${guild.id}/commands`;
  expect((await rest(emulator, "PUT", path, local)).status).toBe(200);
});
afterAll(async () => {
  await bot.destroy();
  await emulator.close();
});

const slash = (name: string) => ({ id: "123456789012345678", name, type: 1 });
const refusal = (body: Record<string, unknown>) =>
  control(emulator, "POST", "interactions", { type: 2, user_id: USER, ...body }).then(
    () => "accepted",
    (error: Error) => error.message,
  );

describe("interactions outside guilds (docs: #interaction-context-types)", () => {
  test("a bot-DM command reaches discord.js on shard 0 with `user`, a DM channel, and can be answered", async () => {
    handler = async (i) => {
      if (!i.isChatInputCommand()) return;
      const where = `${i.channel?.type === ChannelType.DM ? "dm" : "?"} ${i.inGuild()} ${i.user.id}`;
      await i.reply({ content: where, allowedMentions: { parse: [] } });
    };
    const view = await interact(emulator, {
      context: 1,
      type: 2,
      user_id: USER,
      data: slash("dm"),
    });
    expect(view.original).toMatchObject({ content: `dm false ${USER}`, ephemeral: false });
    expect(view.original?.guild_id).toBeUndefined();
    expect(rawByShard.filter((r) => r.context === 1)).toEqual([{ shard: 0, context: 1 }]);
    const sent = emulator.ctx.interactions.get(view.id)?.payload;
    expect(sent).toMatchObject({
      context: 1,
      user: { id: USER },
      channel: { type: 1 },
      authorizing_integration_owners: { "0": "0" },
    });
    expect(sent?.member).toBeUndefined();
    expect(sent?.guild_id).toBeUndefined();
  });

  test("a private-channel (group DM) command carries the user install as its owner", async () => {
    handler = async (i) => {
      if (i.isChatInputCommand()) await i.reply({ content: "hi", allowedMentions: { parse: [] } });
    };
    const view = await interact(emulator, {
      context: 2,
      channel_type: 3,
      type: 2,
      user_id: USER,
      data: slash("everywhere"),
    });
    expect(view.original?.content).toBe("hi");
    expect(emulator.ctx.interactions.get(view.id)?.payload).toMatchObject({
      context: 2,
      channel: { type: 3 },
      authorizing_integration_owners: { "1": USER },
    });
  });

  test("the DM of one user is one channel across interactions", async () => {
    const first = await control<{ id: string }>(emulator, "POST", "interactions", {
      context: 1,
      type: 2,
      user_id: USER,
      data: slash("everywhere"),
    });
    const second = await control<{ id: string }>(emulator, "POST", "interactions", {
      context: 1,
      type: 2,
      user_id: USER,
      data: slash("dm"),
    });
    const channelOf = (id: string) => emulator.ctx.interactions.get(id)?.channelId;
    expect(channelOf(first.id)).toBe(channelOf(second.id));
  });
});

describe("commands are dispatched only where Discord offers them (docs: #contexts, #registering-a-command)", () => {
  test("a command whose contexts lack BOT_DM is refused in a DM", async () => {
    expect(await refusal({ context: 1, data: slash("guildonly") })).toContain(
      "not available in context 1",
    );
  });

  test("a global command without user install is refused in a private channel", async () => {
    // docs: PRIVATE_CHANNEL is only meaningful for commands installed to a user.
    expect(await refusal({ context: 2, data: slash("dm") })).toContain(
      "not available in context 2",
    );
  });

  test("a guild command is refused in DMs and in another guild, offered in its own", async () => {
    expect(await refusal({ context: 1, data: slash("local") })).toContain("no registered command");
    const other = await control<{ id: string }>(emulator, "POST", "guilds", { name: "Other" });
    const channel = await control<{ id: string }>(emulator, "POST", `guilds/${other.id}/channels`, {
      name: "general",
      type: 0,
    });
    expect(
      await refusal({ guild_id: other.id, channel_id: channel.id, data: slash("local") }),
    ).toContain("no registered command");
    expect(
      await refusal({ guild_id: guild.id, channel_id: guild.text, data: slash("local") }),
    ).toBe("accepted");
  });

  test("a guild-context interaction carries the registered command's id and the guild install", async () => {
    handler = async () => {};
    const created = await control<{ id: string }>(emulator, "POST", "interactions", {
      guild_id: guild.id,
      channel_id: guild.text,
      type: 2,
      data: slash("local"),
    });
    const payload = emulator.ctx.interactions.get(created.id)?.payload as {
      data: { id: string; guild_id: string };
      authorizing_integration_owners: unknown;
    };
    const registered = emulator.ctx.commands.get(guild.id)?.[0];
    expect(payload.data).toMatchObject({ id: registered?.id, guild_id: guild.id });
    expect(payload.authorizing_integration_owners).toEqual({ "0": guild.id });
  });

  test("a command no scope registered is refused", async () => {
    expect(
      await refusal({ guild_id: guild.id, channel_id: guild.text, data: slash("nope") }),
    ).toContain("no registered command");
  });
});
