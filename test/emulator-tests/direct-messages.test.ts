import { DiscordAPIError, REST } from "@discordjs/rest";
import { type APIDMChannel, type APIMessage, Routes } from "discord-api-types/v10";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import type { Emulator } from "../../emulator/server.js";
import { control, rest, testEmulator } from "../support/discord.js";

// Sources: discord-api-docs, developers/resources/user.mdx (#create-dm), resources/channel.mdx
// (#channel-object-example-dm-channel), resources/message.mdx (#create-message) and
// topics/opcodes-and-status-codes.mdx (50003, 50007, 50033).

let emulator: Emulator;
const READER = "312345678901234567";
const CLOSED = "312345678901234568";
const STRANGER = "312345678901234569";

beforeAll(async () => {
  emulator = await testEmulator({
    users: [
      { id: READER, username: "reader" },
      { id: CLOSED, dmsOpen: false },
    ],
  });
});
afterAll(() => emulator.close());

/** discord.js's own REST client, as the bot sends with it. */
const botRest = () => new REST({ api: emulator.apiUrl, retries: 0 }).setToken(emulator.token);
const openDm = (recipient: string) =>
  botRest().post(Routes.userChannels(), {
    body: { recipient_id: recipient },
  }) as Promise<APIDMChannel>;
const apiError = (promise: Promise<unknown>) =>
  promise.then(
    () => null,
    (error: unknown) => {
      if (!(error instanceof DiscordAPIError)) throw error;
      return { status: error.status, code: error.code, message: error.message };
    },
  );

const EMBED = {
  title: "Diffusion models, revisited",
  description: "A paper you follow was posted.",
  url: "https://example.org/papers/1",
  fields: [{ name: "Authors", value: "Kim, Lee" }],
  timestamp: "2024-02-20T09:00:00+09:00",
};

describe("Create DM (docs: resources/user#create-dm)", () => {
  test("answers 200 with a DM channel object, and the same channel for the same recipient", async () => {
    const first = await rest(emulator, "POST", "/users/@me/channels", { recipient_id: READER });
    expect(first.status).toBe(200);
    expect(first.body).toEqual({
      id: expect.stringMatching(/^\d{17,19}$/),
      type: 1,
      last_message_id: null,
      flags: 0,
      recipients: [expect.objectContaining({ id: READER, username: "reader" })],
    });
    const again = await openDm(READER);
    expect(again.id).toBe(first.body.id);
    expect(first.headers.get("x-ratelimit-bucket")).toBeTruthy();
  });

  test("refuses an id of no user with 400/50033 Invalid Recipient(s)", async () => {
    const raw = await rest(emulator, "POST", "/users/@me/channels", { recipient_id: STRANGER });
    expect(raw).toMatchObject({
      status: 400,
      body: { code: 50033, message: "Invalid Recipient(s)" },
    });
    expect(await apiError(openDm("312345678901234560"))).toMatchObject({
      status: 400,
      code: 50033,
    });
  });

  test("refuses an unknown field, a malformed or missing recipient with 400/50035", async () => {
    const typo = await rest(emulator, "POST", "/users/@me/channels", {
      recipient_id: READER,
      recipient: READER,
    });
    expect(typo.status).toBe(400);
    expect(typo.body).toMatchObject({
      code: 50035,
      errors: { recipient: { _errors: [{ code: "UNKNOWN_FIELD" }] } },
    });
    const malformed = await rest(emulator, "POST", "/users/@me/channels", { recipient_id: "abc" });
    expect(malformed.body).toMatchObject({ code: 50035, errors: { recipient_id: {} } });
    const missing = await rest(emulator, "POST", "/users/@me/channels", {});
    expect(missing.body).toMatchObject({
      code: 50035,
      errors: { _errors: [{ code: "CHANNEL_RECIPIENT_REQUIRED" }] },
    });
  });

  test("needs the bot token", async () => {
    const body = { recipient_id: READER };
    expect((await rest(emulator, "POST", "/users/@me/channels", body, null)).status).toBe(401);
  });
});

describe("messages in a DM channel (docs: resources/message#create-message)", () => {
  test("an embed message is sent, listed back and fetched, without a guild", async () => {
    const dm = await openDm(READER);
    const sent = (await botRest().post(Routes.channelMessages(dm.id), {
      body: { content: "New papers for you", embeds: [EMBED], allowed_mentions: { parse: [] } },
    })) as APIMessage;
    expect(sent).toMatchObject({ channel_id: dm.id, embeds: [{ title: EMBED.title }] });
    expect(sent).not.toHaveProperty("guild_id");
    const listed = (await botRest().get(Routes.channelMessages(dm.id), {
      query: new URLSearchParams({ limit: "10" }),
    })) as APIMessage[];
    expect(listed.map((m) => m.id)).toEqual([sent.id]);
    const after = await rest(emulator, "GET", `/channels/${dm.id}/messages?after=${sent.id}`);
    expect(after.body).toEqual([]);
    const one = (await botRest().get(Routes.channelMessage(dm.id, sent.id))) as APIMessage;
    expect(one.embeds[0]?.fields).toEqual(EMBED.fields);
    expect(((await openDm(READER)) as APIDMChannel).last_message_id).toBe(sent.id);
  });

  test("a second create with the same nonce and enforce_nonce returns the first message", async () => {
    const dm = await openDm(READER);
    const body = { content: "once", nonce: "alert-42", enforce_nonce: true };
    const first = (await botRest().post(Routes.channelMessages(dm.id), { body })) as APIMessage;
    const second = (await botRest().post(Routes.channelMessages(dm.id), { body })) as APIMessage;
    expect(second.id).toBe(first.id);
    const { messages } = await control<{ messages: { nonce: string }[] }>(
      emulator,
      "GET",
      `users/${READER}/dm`,
    );
    expect(messages.filter((m) => m.nonce === "alert-42")).toHaveLength(1);
  });

  test("the usual message rules apply: an empty message is 50006, a long title 50035", async () => {
    const dm = await openDm(READER);
    const empty = await rest(emulator, "POST", `/channels/${dm.id}/messages`, { content: "" });
    expect(empty.body).toMatchObject({ code: 50006 });
    const long = await rest(emulator, "POST", `/channels/${dm.id}/messages`, {
      embeds: [{ title: "x".repeat(257) }],
    });
    expect(long.body).toMatchObject({ code: 50035, errors: { embeds: { 0: { title: {} } } } });
  });

  test("no threads nor forum posts in a DM: 403/50003", async () => {
    const dm = await openDm(READER);
    const sent = await rest(emulator, "POST", `/channels/${dm.id}/messages`, { content: "t" });
    const fromMessage = await rest(
      emulator,
      "POST",
      `/channels/${dm.id}/messages/${sent.body.id}/threads`,
      { name: "talk" },
    );
    expect(fromMessage).toMatchObject({ status: 403, body: { code: 50003 } });
    const thread = await rest(emulator, "POST", `/channels/${dm.id}/threads`, { name: "talk" });
    expect(thread).toMatchObject({ status: 403, body: { code: 50003 } });
  });
});

describe("a user who closed DMs to the bot (docs: topics/opcodes-and-status-codes, 50007)", () => {
  test("the DM opens, and each message is 403/50007, counted as an invalid request", async () => {
    const dm = await openDm(CLOSED);
    expect(dm.recipients?.[0]?.id).toBe(CLOSED);
    const raw = await rest(emulator, "POST", `/channels/${dm.id}/messages`, { content: "hi" });
    expect(raw).toMatchObject({
      status: 403,
      body: { code: 50007, message: "Cannot send messages to this user" },
    });
    const viaRest = botRest().post(Routes.channelMessages(dm.id), { body: { content: "hi" } });
    expect(await apiError(viaRest)).toMatchObject({ status: 403, code: 50007 });
    const bans = await control<{ clients: { invalid: number }[] }>(emulator, "GET", "bans");
    expect(bans.clients[0]?.invalid).toBeGreaterThanOrEqual(2);
    const view = await control(emulator, "GET", `users/${CLOSED}/dm`);
    expect(view).toMatchObject({ id: dm.id, dms_open: false, refused: 2, messages: [] });
  });

  test("the control API closes and reopens a user's DMs", async () => {
    const user = "312345678901234570";
    expect(await control(emulator, "POST", "users", { id: user })).toMatchObject({
      id: user,
      dms_open: true,
      dm_channel_id: null,
    });
    const dm = await openDm(user);
    const closed = await control(emulator, "POST", `users/${user}/dms`, { open: false });
    expect(closed).toMatchObject({ id: user, dms_open: false, dm_channel_id: dm.id });
    expect(await apiError(openDm(user))).toBeNull();
    const refused = await rest(emulator, "POST", `/channels/${dm.id}/messages`, { content: "x" });
    expect(refused.body).toMatchObject({ code: 50007 });
    await control(emulator, "POST", `users/${user}/dms`, { open: true });
    const sent = await rest(emulator, "POST", `/channels/${dm.id}/messages`, { content: "x" });
    expect(sent.status).toBe(200);
  });

  test("GET dms and GET stats show every DM channel, its recipient and messages", async () => {
    const made = await control<{ id: string }>(emulator, "POST", "users", { username: "late" });
    const dm = await openDm(made.id);
    await rest(emulator, "POST", `/channels/${dm.id}/messages`, { content: "welcome" });
    const { channels } = await control<{ channels: Record<string, unknown>[] }>(
      emulator,
      "GET",
      "dms",
    );
    expect(channels.find((c) => c.id === dm.id)).toMatchObject({
      recipient: { id: made.id, username: "late" },
      dms_open: true,
      messages: [{ content: "welcome", channel_id: dm.id }],
    });
    const stats = await control<{ dms: Record<string, number> }>(emulator, "GET", "stats");
    expect(stats.dms).toMatchObject({ channels: channels.length, refused: 3 });
  });
});

describe("rate limits", () => {
  test("a DM channel allows 5 message creates per 5 s, like any channel", async () => {
    const made = await control<{ id: string }>(emulator, "POST", "users", {});
    const dm = await openDm(made.id);
    const statuses: number[] = [];
    for (let i = 0; i < 6; i++)
      statuses.push(
        (await rest(emulator, "POST", `/channels/${dm.id}/messages`, { content: `${i}` })).status,
      );
    expect(statuses).toEqual([200, 200, 200, 200, 200, 429]);
  });
});
