import { REST } from "@discordjs/rest";
import { type Client, type Interaction, Partials } from "discord.js";
import { type APIDMChannel, type APIMessage, Routes } from "discord-api-types/v10";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import type { Emulator } from "../../emulator/server.js";
import { control, readyClient, rest, testEmulator } from "../support/discord.js";
import { interact } from "../support/interact.js";
import { type Frame, raw } from "../support/raw-gateway.js";

// Sources: discord-api-docs, developers/interactions/receiving-and-responding.mdx
// (#interaction-object, #interaction-context-types) and events/gateway.mdx (#list-of-intents:
// DIRECT_MESSAGES carries MESSAGE_CREATE, MESSAGE_UPDATE and MESSAGE_DELETE in DMs).

let emulator: Emulator;
let bot: Client;
let handler: (interaction: Interaction) => Promise<void> = async () => {};
const botPackets: string[] = [];
const cleanup: (() => unknown)[] = [];
const READER = "412345678901234567";
const OTHER = "412345678901234568";
const DIRECT_MESSAGES = 1 << 12;

beforeAll(async () => {
  emulator = await testEmulator({ users: [{ id: READER }, { id: OTHER }] });
  // Like Paperboy: the Guilds intent only, no DirectMessages.
  bot = await readyClient(emulator, { partials: [Partials.Channel] });
  bot.on("raw", (packet: { t?: string }) => botPackets.push(packet.t ?? ""));
  bot.on("interactionCreate", (interaction) => {
    void handler(interaction).catch((error: unknown) => console.error("handler failed", error));
  });
});
afterAll(async () => {
  for (const step of cleanup) step();
  await bot.destroy();
  await emulator.close();
});

const botRest = () => new REST({ api: emulator.apiUrl, retries: 0 }).setToken(emulator.token);
const openDm = (recipient: string) =>
  botRest().post(Routes.userChannels(), {
    body: { recipient_id: recipient },
  }) as Promise<APIDMChannel>;
const FOLLOW_ROW = {
  type: 1,
  components: [{ type: 2, style: 2, custom_id: "unfollow:42", label: "Unfollow" }],
};
const sendAlert = async (channelId: string) =>
  (await botRest().post(Routes.channelMessages(channelId), {
    body: { content: "A paper you follow", components: [FOLLOW_ROW] },
  })) as APIMessage;
const click = (message: APIMessage, user: string) => ({
  context: 1,
  type: 3,
  user_id: user,
  message_id: message.id,
  data: { custom_id: "unfollow:42", component_type: 2 },
});

describe("a button on a message the bot sent in a DM it opened", () => {
  test("builds a bot-DM component interaction in that channel, which discord.js can answer", async () => {
    const dm = await openDm(READER);
    const alert = await sendAlert(dm.id);
    handler = async (i) => {
      if (!i.isButton()) return;
      const where = `${i.channel?.id === dm.id} ${i.inGuild()} ${i.user.id} ${i.customId}`;
      await i.update({ content: where, components: [] });
    };
    const view = await interact(emulator, click(alert, READER));
    expect(view.callbacks.map((c) => c.type)).toEqual([7]);
    const sent = emulator.ctx.interactions.get(view.id)?.payload;
    expect(sent).toMatchObject({
      context: 1,
      channel_id: dm.id,
      channel: { id: dm.id, type: 1, recipients: [{ id: READER }] },
      user: { id: READER },
      message: { id: alert.id, channel_id: dm.id },
      authorizing_integration_owners: { "0": "0" },
    });
    expect(sent?.guild_id).toBeUndefined();
    expect(sent?.member).toBeUndefined();
    const edited = (await botRest().get(Routes.channelMessage(dm.id, alert.id))) as APIMessage;
    expect(edited).toMatchObject({ content: `true false ${READER} unfollow:42`, components: [] });
  });

  test("a reply in that DM is a message of the channel", async () => {
    const dm = await openDm(READER);
    const alert = await sendAlert(dm.id);
    handler = async (i) => {
      if (i.isButton()) await i.reply({ content: "Unfollowed.", allowedMentions: { parse: [] } });
    };
    const view = await interact(emulator, { ...click(alert, READER), user_id: undefined });
    expect(view.original).toMatchObject({ content: "Unfollowed.", channel_id: dm.id });
    const listed = await rest(emulator, "GET", `/channels/${dm.id}/messages?limit=1`);
    expect(listed.body).toMatchObject([{ content: "Unfollowed.", channel_id: dm.id }]);
  });

  test("refuses a user who is not the channel's recipient, and another context", async () => {
    const alert = await sendAlert((await openDm(READER)).id);
    await expect(control(emulator, "POST", "interactions", click(alert, OTHER))).rejects.toThrow(
      /is not the recipient of DM channel/,
    );
    await expect(
      control(emulator, "POST", "interactions", { ...click(alert, READER), context: 2 }),
    ).rejects.toThrow(/context is 1/);
  });

  test("a user who used a command in the bot's DM can be DMed, in that same channel", async () => {
    const app = emulator.ctx.world.applicationId;
    const command = { name: "following", description: "d", contexts: [0, 1] };
    expect((await rest(emulator, "PUT", `/applications/${app}/commands`, [command])).status).toBe(
      200,
    );
    const newcomer = "412345678901234569";
    expect(
      (await rest(emulator, "POST", "/users/@me/channels", { recipient_id: newcomer })).status,
    ).toBe(400);
    handler = async (i) => {
      if (i.isChatInputCommand()) await i.reply({ content: "You follow nothing yet." });
    };
    const view = await interact(emulator, {
      context: 1,
      type: 2,
      user_id: newcomer,
      data: { id: "123456789012345678", name: "following", type: 1 },
    });
    const standIn = emulator.ctx.interactions.get(view.id)?.channelId;
    expect((await openDm(newcomer)).id).toBe(standIn);
  });
});

describe("DM message events need the DirectMessages intent (docs: events/gateway#list-of-intents)", () => {
  test("a session with it gets MESSAGE_CREATE without guild_id; the bot's (Guilds only) does not", async () => {
    // One identify per 5 s per bucket (max_concurrency 1): move the clock past the bot's.
    await control(emulator, "POST", "clock", { advance_ms: 5_000 });
    const listener = await raw(cleanup, emulator);
    listener.identify({ intents: 1 | DIRECT_MESSAGES });
    await listener.next((f) => f.t === "READY");
    const dm = await openDm(OTHER);
    const sent = await rest(emulator, "POST", `/channels/${dm.id}/messages`, { content: "ping" });
    const isCreate = (f: Frame) =>
      f.t === "MESSAGE_CREATE" && (f.d as { id?: unknown }).id === sent.body.id;
    const event = await listener.next(isCreate);
    expect(event.d).toMatchObject({ channel_id: dm.id, content: "ping" });
    expect(event.d).not.toHaveProperty("guild_id");
    await rest(emulator, "DELETE", `/channels/${dm.id}/messages/${sent.body.id}`);
    const deleted = await listener.next((f) => f.t === "MESSAGE_DELETE");
    expect(deleted.d).toEqual({ id: sent.body.id, channel_id: dm.id });
    expect(botPackets).not.toContain("MESSAGE_CREATE");
    expect(botPackets).not.toContain("MESSAGE_DELETE");
  });
});
