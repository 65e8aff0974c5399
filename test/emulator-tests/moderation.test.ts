import { type Client, GatewayIntentBits } from "discord.js";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import type { Emulator } from "../../emulator/server.js";
import { control, readyClient, rest } from "../support/discord.js";
import { emulatorWithGuild, type TestGuild } from "../support/emulator-world.js";

let emulator: Emulator;
let guild: TestGuild;
let client: Client;
const quiet = { allowed_mentions: { parse: [] } };

beforeAll(async () => {
  ({ emulator, guild } = await emulatorWithGuild({ rateLimits: { enabled: false } }));
  client = await readyClient(emulator, {
    intents: [GatewayIntentBits.Guilds, GatewayIntentBits.GuildMessages],
  });
});
afterAll(async () => {
  await client.destroy();
  await emulator.close();
});

const channel = async (name: string) =>
  (
    await control<{ id: string }>(emulator, "POST", `guilds/${guild.id}/channels`, {
      name,
      type: 0,
    })
  ).id;
const send = (to: string, body: object = {}) =>
  rest(emulator, "POST", `/channels/${to}/messages`, { content: "hi", ...quiet, ...body });

async function waitFor(check: () => boolean): Promise<void> {
  const start = Date.now();
  while (!check()) {
    if (Date.now() - start > 3000) throw new Error("the client never saw the change");
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

describe("what moderators do (docs: events/gateway-events#channel-delete, #thread-delete, #message-delete)", () => {
  test("a deleted channel leaves the client's cache and later calls get 404/10003", async () => {
    const id = await channel("doomed");
    await waitFor(() => client.channels.cache.has(id));
    await control(emulator, "DELETE", `channels/${id}`);
    await waitFor(() => !client.channels.cache.has(id));
    expect(await send(id)).toMatchObject({ status: 404, body: { code: 10003 } });
  });

  test("a deleted thread is gone (THREAD_DELETE) and its starter message may start another", async () => {
    const starter = await send(guild.text);
    const id = starter.body.id as string;
    await rest(emulator, "POST", `/channels/${guild.text}/messages/${id}/threads`, { name: "t" });
    await waitFor(() => client.channels.cache.has(id));
    await control(emulator, "DELETE", `channels/${id}`);
    await waitFor(() => !client.channels.cache.has(id));
    expect(await send(id)).toMatchObject({ status: 404, body: { code: 10003 } });
  });

  test("a message deleted by a moderator reaches the client and then answers 404/10008", async () => {
    const sent = await send(guild.text);
    const id = sent.body.id as string;
    // The raw dispatch: discord.js emits messageDelete only for messages it has cached.
    const deleted = new Promise<string>((resolve) =>
      client.on("raw", (packet: { t: string; d: { id: string } }) => {
        if (packet.t === "MESSAGE_DELETE") resolve(packet.d.id);
      }),
    );
    await control(emulator, "DELETE", `channels/${guild.text}/messages/${id}`);
    expect(await deleted).toBe(id);
    const path = `/channels/${guild.text}/messages/${id}`;
    expect(await rest(emulator, "PATCH", path, { content: "x" })).toMatchObject({
      status: 404,
      body: { code: 10008 },
    });
  });
});

describe("system channel (docs: resources/guild#guild-object)", () => {
  test("a system channel set through control shows on GET guild and reaches the client (GUILD_UPDATE)", async () => {
    const id = await channel("welcome");
    await control(emulator, "PATCH", `guilds/${guild.id}`, { system_channel_id: id });
    expect((await rest(emulator, "GET", `/guilds/${guild.id}`)).body.system_channel_id).toBe(id);
    await waitFor(() => client.guilds.cache.get(guild.id)?.systemChannelId === id);
    await control(emulator, "PATCH", `guilds/${guild.id}`, { system_channel_id: null });
    expect((await rest(emulator, "GET", `/guilds/${guild.id}`)).body.system_channel_id).toBeNull();
  });
});

describe("Embed Links (docs: resources/message#create-message)", () => {
  test("without Embed Links the message is accepted and its dropped embeds are recorded", async () => {
    const id = await channel("no-embeds");
    await control(emulator, "POST", `channels/${id}/access`, {
      allow: false,
      deny: ["EmbedLinks"],
    });
    const sent = await send(id, { embeds: [{ title: "a" }, { title: "b" }] });
    expect(sent).toMatchObject({ status: 200, body: { embeds: [] } });
    const stored = await control<Record<string, unknown>[]>(
      emulator,
      "GET",
      `channels/${id}/messages`,
    );
    expect(stored[0]).toMatchObject({ embeds_dropped: true, embeds_dropped_count: 2 });
    const fine = await send(guild.text, { embeds: [{ title: "a" }] });
    const kept = await control<Record<string, unknown>[]>(
      emulator,
      "GET",
      `channels/${guild.text}/messages`,
    );
    expect(kept.find((m) => m.id === fine.body.id)).toMatchObject({ embeds_dropped: false });
  });
});

describe("nonces after deletion (Discord staff, discord-api-docs PR #6647)", () => {
  test("enforce_nonce for a nonce whose message was deleted is 404/10008, not a new message", async () => {
    const first = await send(guild.news, { nonce: "digest-1", enforce_nonce: true });
    await rest(emulator, "DELETE", `/channels/${guild.news}/messages/${first.body.id}`);
    expect(await send(guild.news, { nonce: "digest-1", enforce_nonce: true })).toMatchObject({
      status: 404,
      body: { code: 10008 },
    });
    // Without enforce_nonce the nonce is only echoed: a new message.
    expect((await send(guild.news, { nonce: "digest-1" })).status).toBe(200);
  });

  test("after the nonce window the same nonce makes a new message", async () => {
    const first = await send(guild.news, { nonce: "digest-2", enforce_nonce: true });
    await control(emulator, "DELETE", `channels/${guild.news}/messages/${first.body.id}`);
    await control(emulator, "POST", "clock", { advance_ms: 6 * 60 * 1000 });
    const again = await send(guild.news, { nonce: "digest-2", enforce_nonce: true });
    expect(again.status).toBe(200);
    expect(again.body.id).not.toBe(first.body.id);
  });
});
