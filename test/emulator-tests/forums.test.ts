import type { Client, ForumChannel } from "discord.js";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import type { Emulator } from "../../emulator/server.js";
import { control, readyClient, rest } from "../support/discord.js";
import { emulatorWithGuild, type TestGuild } from "../support/emulator-world.js";

let emulator: Emulator;
let guild: TestGuild;
let client: Client;
const quiet = { allowed_mentions: { parse: [] } };
type Tag = { id: string; name: string };

beforeAll(async () => {
  ({ emulator, guild } = await emulatorWithGuild({ rateLimits: { enabled: false } }));
  client = await readyClient(emulator);
});
afterAll(async () => {
  await client.destroy();
  await emulator.close();
});

async function forum(body: object): Promise<{ id: string; available_tags: Tag[] }> {
  return control(emulator, "POST", `guilds/${guild.id}/channels`, { name: "f", type: 15, ...body });
}
const post = (channel: string, body: object) =>
  rest(emulator, "POST", `/channels/${channel}/threads`, {
    name: "Paper",
    message: { content: "hi", ...quiet },
    ...body,
  });

describe("thread options (docs: resources/channel#start-thread-from-message)", () => {
  test("auto_archive_duration and rate_limit_per_user are stored and shown on the thread", async () => {
    const m = await rest(emulator, "POST", `/channels/${guild.text}/messages`, {
      content: "x",
      ...quiet,
    });
    const thread = await rest(
      emulator,
      "POST",
      `/channels/${guild.text}/messages/${m.body.id}/threads`,
      {
        name: "t",
        auto_archive_duration: 60,
        rate_limit_per_user: 21_600,
      },
    );
    expect(thread.body).toMatchObject({
      rate_limit_per_user: 21_600,
      thread_metadata: { auto_archive_duration: 60 },
    });
    const again = await rest(emulator, "GET", `/channels/${m.body.id}`);
    expect(again.body).toMatchObject({ thread_metadata: { auto_archive_duration: 60 } });
  });

  test("a duration outside {60, 1440, 4320, 10080}, a slowmode over 21,600 or an empty name is 50035", async () => {
    const m = await rest(emulator, "POST", `/channels/${guild.text}/messages`, {
      content: "x",
      ...quiet,
    });
    const bad = await rest(
      emulator,
      "POST",
      `/channels/${guild.text}/messages/${m.body.id}/threads`,
      {
        name: "",
        auto_archive_duration: 120,
        rate_limit_per_user: 21_601,
      },
    );
    expect(bad).toMatchObject({ status: 400, body: { code: 50035 } });
    expect(Object.keys(bad.body.errors as object).sort()).toEqual([
      "auto_archive_duration",
      "name",
      "rate_limit_per_user",
    ]);
    // docs: resources/channel#start-thread-in-forum-or-media-channel: the same for forum posts.
    expect(await post(guild.forum, { auto_archive_duration: 30 })).toMatchObject({
      status: 400,
      body: { code: 50035, errors: { auto_archive_duration: {} } },
    });
  });
});

describe("forum tags (docs: resources/channel#forum-tag-object, #start-thread-in-forum-or-media-channel)", () => {
  test("a post keeps applied tags of its forum; more than 5 or a foreign id is 50035 on applied_tags", async () => {
    const names = ["a", "b", "c", "d", "e", "f"].map((name) => ({ name }));
    const { id, available_tags: tags } = await forum({ available_tags: names });
    const ids = tags.map((t) => t.id);
    const ok = await post(id, { applied_tags: ids.slice(0, 2) });
    expect(ok.status).toBe(201);
    expect(ok.body.applied_tags).toEqual(ids.slice(0, 2));
    expect(await post(id, { applied_tags: ids })).toMatchObject({
      status: 400,
      body: { code: 50035, errors: { applied_tags: {} } },
    });
    expect(await post(id, { applied_tags: ["123456789012345678"] })).toMatchObject({
      status: 400,
      body: { code: 50035, errors: { applied_tags: {} } },
    });
  });

  test("a REQUIRE_TAG forum refuses a post without a tag: 400/40067 (docs: topics/opcodes-and-status-codes)", async () => {
    const { id, available_tags: tags } = await forum({
      available_tags: [{ name: "ml" }],
      flags: 16,
    });
    expect(await post(id, {})).toMatchObject({
      status: 400,
      body: { code: 40067, message: "A tag is required to create a forum post in this channel" },
    });
    expect((await post(id, { applied_tags: [tags[0]?.id] })).status).toBe(201);
  });

  test("tags and flags changed later reach the client through CHANNEL_UPDATE", async () => {
    const { id } = await forum({});
    const cached = () => client.channels.cache.get(id) as ForumChannel | undefined;
    await waitFor(() => cached() !== undefined);
    expect(cached()?.availableTags).toEqual([]);
    const updated = await control<{ available_tags: Tag[]; flags: number }>(
      emulator,
      "PATCH",
      `channels/${id}`,
      {
        available_tags: [{ name: "vision", emoji_name: "👁" }],
        flags: 16,
      },
    );
    expect(updated).toMatchObject({
      flags: 16,
      available_tags: [{ name: "vision", moderated: false }],
    });
    await waitFor(() => cached()?.availableTags.length === 1);
    expect(cached()?.flags.has("RequireTag")).toBe(true);
  });

  test("the control API refuses more than 20 tags and names over 20 characters", async () => {
    const many = Array.from({ length: 21 }, (_, i) => ({ name: `t${i}` }));
    await expect(forum({ available_tags: many })).rejects.toThrow(/20/);
    await expect(forum({ available_tags: [{ name: "x".repeat(21) }] })).rejects.toThrow(/20/);
  });

  test("a media channel (16) takes posts with tags as a forum does", async () => {
    const { id, available_tags: tags } = await forum({
      type: 16,
      available_tags: [{ name: "clip" }],
      flags: 16,
    });
    expect((await post(id, {})).body).toMatchObject({ code: 40067 });
    expect((await post(id, { applied_tags: [tags[0]?.id] })).status).toBe(201);
  });
});

async function waitFor(check: () => boolean): Promise<void> {
  const start = Date.now();
  while (!check()) {
    if (Date.now() - start > 3000) throw new Error("the client never saw the change");
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}
