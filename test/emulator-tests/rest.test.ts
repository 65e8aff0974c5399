import { afterAll, beforeAll, describe, expect, test } from "vitest";
import type { Emulator } from "../../emulator/server.js";
import { control, rest } from "../support/discord.js";
import { emulatorWithGuild, type TestGuild } from "../support/emulator-world.js";

let emulator: Emulator;
let guild: TestGuild;
const quiet = { allowed_mentions: { parse: [] } };

beforeAll(async () => {
  ({ emulator, guild } = await emulatorWithGuild({ rateLimits: { enabled: false } }));
});
afterAll(() => emulator.close());

describe("emulator REST", () => {
  test("creates, gets, lists, edits and deletes messages with Discord's shapes", async () => {
    const created = await rest(emulator, "POST", `/channels/${guild.text}/messages`, {
      content: "one",
      ...quiet,
    });
    expect(created.status).toBe(200);
    expect(created.body).toMatchObject({
      content: "one",
      channel_id: guild.text,
      author: { bot: true },
      type: 0,
    });
    const id = created.body.id as string;
    expect(id).toMatch(/^\d{17,19}$/);
    await rest(emulator, "POST", `/channels/${guild.text}/messages`, { content: "two", ...quiet });

    expect(
      (await rest(emulator, "GET", `/channels/${guild.text}/messages/${id}`)).body.content,
    ).toBe("one");
    const listed = await rest(emulator, "GET", `/channels/${guild.text}/messages?limit=10`);
    expect((listed.body as unknown as { content: string }[]).map((m) => m.content)).toEqual([
      "two",
      "one",
    ]);

    const edited = await rest(emulator, "PATCH", `/channels/${guild.text}/messages/${id}`, {
      content: "uno",
    });
    expect(edited.body).toMatchObject({ content: "uno", edited_timestamp: expect.any(String) });
    expect((await rest(emulator, "DELETE", `/channels/${guild.text}/messages/${id}`)).status).toBe(
      204,
    );
    expect(
      (await rest(emulator, "GET", `/channels/${guild.text}/messages/${id}`)).body,
    ).toMatchObject({ code: 10008 });
  });

  test("starts a thread from a message, whose id is the message id, and refuses a second one (160004)", async () => {
    const message = await rest(emulator, "POST", `/channels/${guild.text}/messages`, {
      content: "header",
      ...quiet,
    });
    const id = message.body.id as string;
    const thread = await rest(emulator, "POST", `/channels/${guild.text}/messages/${id}/threads`, {
      name: "Papers",
    });
    expect(thread.status).toBe(201);
    expect(thread.body).toMatchObject({ id, type: 11, parent_id: guild.text, name: "Papers" });
    const again = await rest(emulator, "POST", `/channels/${guild.text}/messages/${id}/threads`, {
      name: "Again",
    });
    expect(again).toMatchObject({ status: 400, body: { code: 160004 } });
    await rest(emulator, "POST", `/channels/${id}/messages`, {
      content: "in the thread",
      ...quiet,
    });
    const stored = await control<{ thread_id: string }[]>(
      emulator,
      "GET",
      `channels/${guild.text}/messages`,
    );
    expect(stored.find((m) => m.thread_id === id)).toBeDefined();
    expect(
      await control<{ content: string }[]>(emulator, "GET", `channels/${id}/messages`),
    ).toMatchObject([{ content: "in the thread" }]);
  });

  test("a thread in an announcement channel is an announcement thread (type 10)", async () => {
    const message = await rest(emulator, "POST", `/channels/${guild.news}/messages`, {
      content: "news",
      ...quiet,
    });
    const thread = await rest(
      emulator,
      "POST",
      `/channels/${guild.news}/messages/${message.body.id}/threads`,
      { name: "n" },
    );
    expect(thread.body.type).toBe(10);
  });

  test("creates a forum post with its first message, and refuses one without a message", async () => {
    const post = await rest(emulator, "POST", `/channels/${guild.forum}/threads`, {
      name: "Daily Papers 2024-02-20",
      message: { content: "14 papers", ...quiet },
    });
    expect(post.status).toBe(201);
    expect(post.body).toMatchObject({
      type: 11,
      parent_id: guild.forum,
      message: { content: "14 papers" },
    });
    expect((post.body.message as { id: string }).id).toBe(post.body.id);
    const bare = await rest(emulator, "POST", `/channels/${guild.forum}/threads`, {
      name: "no message",
    });
    expect(bare).toMatchObject({
      status: 400,
      body: { code: 50035, errors: { message: { _errors: [{ code: "BASE_TYPE_REQUIRED" }] } } },
    });
    const direct = await rest(emulator, "POST", `/channels/${guild.forum}/messages`, {
      content: "x",
    });
    expect(direct).toMatchObject({ status: 400, body: { code: 50008 } });
  });

  test("gets a channel and a guild", async () => {
    expect((await rest(emulator, "GET", `/channels/${guild.forum}`)).body).toMatchObject({
      id: guild.forum,
      type: 15,
      guild_id: guild.id,
    });
    expect((await rest(emulator, "GET", `/guilds/${guild.id}`)).body).toMatchObject({
      id: guild.id,
      name: "Research Lab",
    });
  });

  test("bulk-overwrites global and guild commands, keeping ids of unchanged names", async () => {
    const app = emulator.ctx.world.applicationId;
    const command = { name: "paper", description: "Find a paper", options: [] };
    const first = await rest(emulator, "PUT", `/applications/${app}/commands`, [command]);
    expect(first.status).toBe(200);
    const [stored] = first.body as unknown as { id: string; application_id: string }[];
    expect(stored?.application_id).toBe(app);
    const second = await rest(emulator, "PUT", `/applications/${app}/commands`, [
      command,
      { name: "top", description: "Top papers" },
    ]);
    expect((second.body as unknown as { id: string }[])[0]?.id).toBe(stored?.id);
    const guildCommands = await rest(
      emulator,
      "PUT",
      `/applications/${app}/guilds/${guild.id}/commands`,
      [command],
    );
    expect((guildCommands.body as unknown as { guild_id: string }[])[0]?.guild_id).toBe(guild.id);
    expect(
      ((await rest(emulator, "GET", `/applications/${app}/commands`)).body as unknown as unknown[])
        .length,
    ).toBe(2);
  });

  test("answers 401 without a valid bot token, but not on interaction routes", async () => {
    expect((await rest(emulator, "GET", `/channels/${guild.text}`, undefined, null)).status).toBe(
      401,
    );
    expect(
      (await rest(emulator, "GET", `/channels/${guild.text}`, undefined, "wrong")).body,
    ).toMatchObject({ code: 0, message: "401: Unauthorized" });
    const callback = await rest(
      emulator,
      "POST",
      "/interactions/123456789012345678/nope/callback",
      { type: 4 },
      null,
    );
    expect(callback).toMatchObject({ status: 404, body: { code: 10062 } });
  });

  test("reports an unknown channel as 404/10003", async () => {
    expect(
      await rest(emulator, "POST", "/channels/123456789012345678/messages", { content: "x" }),
    ).toMatchObject({ status: 404, body: { code: 10003, message: "Unknown Channel" } });
  });

  test("a channel that hides itself from the bot answers 403/50001; one that forbids sending answers 403/50013", async () => {
    const hidden = (
      await control<{ id: string }>(emulator, "POST", `guilds/${guild.id}/channels`, {
        name: "hidden",
        type: 0,
      })
    ).id;
    await control(emulator, "POST", `channels/${hidden}/access`, { allow: false });
    expect(
      await rest(emulator, "POST", `/channels/${hidden}/messages`, { content: "x" }),
    ).toMatchObject({ status: 403, body: { code: 50001 } });
    const readOnly = (
      await control<{ id: string }>(emulator, "POST", `guilds/${guild.id}/channels`, {
        name: "read-only",
        type: 0,
      })
    ).id;
    await control(emulator, "POST", `channels/${readOnly}/access`, {
      allow: false,
      deny: ["SendMessages"],
    });
    expect(
      await rest(emulator, "POST", `/channels/${readOnly}/messages`, { content: "x" }),
    ).toMatchObject({ status: 403, body: { code: 50013 } });
    await control(emulator, "POST", `channels/${readOnly}/access`, { allow: true });
    expect(
      (await rest(emulator, "POST", `/channels/${readOnly}/messages`, { content: "x", ...quiet }))
        .status,
    ).toBe(200);
  });

  test("drops embeds when the bot lacks Embed Links, as Discord does", async () => {
    const plain = (
      await control<{ id: string }>(emulator, "POST", `guilds/${guild.id}/channels`, {
        name: "plain",
        type: 0,
      })
    ).id;
    await control(emulator, "POST", `channels/${plain}/access`, {
      allow: false,
      deny: ["EmbedLinks"],
    });
    const sent = await rest(emulator, "POST", `/channels/${plain}/messages`, {
      content: "c",
      embeds: [{ title: "t" }],
      ...quiet,
    });
    expect(sent.body.embeds).toEqual([]);
  });

  test("records who each message would ping, given its content and allowed_mentions", async () => {
    const user = "123456789012345678";
    const role = "223456789012345678";
    const content = `@everyone <@${user}> <@&${role}>`;
    await rest(emulator, "POST", `/channels/${guild.text}/messages`, {
      content: `${content} default`,
    });
    await rest(emulator, "POST", `/channels/${guild.text}/messages`, {
      content: `${content} none`,
      allowed_mentions: { parse: [] },
    });
    await rest(emulator, "POST", `/channels/${guild.text}/messages`, {
      content: `${content} role`,
      allowed_mentions: { parse: [], roles: [role] },
    });
    const stored = await control<{ content: string; pinged: unknown; allowed_mentions: unknown }[]>(
      emulator,
      "GET",
      `channels/${guild.text}/messages`,
    );
    const find = (suffix: string) => stored.find((m) => m.content.endsWith(suffix));
    expect(find("default")).toMatchObject({
      allowed_mentions: null,
      pinged: { everyone: true, users: [user], roles: [role] },
    });
    expect(find("none")).toMatchObject({
      allowed_mentions: { parse: [] },
      pinged: { everyone: false, users: [], roles: [] },
    });
    expect(find("role")?.pinged).toEqual({ everyone: false, users: [], roles: [role] });
  });

  test("with enforce_nonce a second create with the same nonce returns the first message", async () => {
    const body = { content: "once", nonce: "digest-2024-02-20-1", enforce_nonce: true, ...quiet };
    const first = await rest(emulator, "POST", `/channels/${guild.text}/messages`, body);
    const second = await rest(emulator, "POST", `/channels/${guild.text}/messages`, body);
    expect(second.body.id).toBe(first.body.id);
    const stored = await control<{ nonce: string }[]>(
      emulator,
      "GET",
      `channels/${guild.text}/messages`,
    );
    expect(stored.filter((m) => m.nonce === body.nonce)).toHaveLength(1);
    await control(emulator, "POST", "clock", { advance_ms: 5 * 60 * 1000 + 1 });
    const later = await rest(emulator, "POST", `/channels/${guild.text}/messages`, body);
    expect(later.body.id).not.toBe(first.body.id);
    const withoutEnforce = await rest(emulator, "POST", `/channels/${guild.text}/messages`, {
      ...body,
      enforce_nonce: false,
    });
    expect(withoutEnforce.body.id).not.toBe(later.body.id);
    // Two messages in the window carry the nonce now: the older one answers.
    const again = await rest(emulator, "POST", `/channels/${guild.text}/messages`, body);
    expect(again.body.id).toBe(later.body.id);
    // With the older one deleted, the one left answers (no 10008 while a message carries it).
    await rest(emulator, "DELETE", `/channels/${guild.text}/messages/${later.body.id}`);
    const remaining = await rest(emulator, "POST", `/channels/${guild.text}/messages`, body);
    expect(remaining.body.id).toBe(withoutEnforce.body.id);
  });
});
