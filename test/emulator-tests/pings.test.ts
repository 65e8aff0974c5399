import { afterAll, beforeAll, describe, expect, test } from "vitest";
import type { Emulator } from "../../emulator/server.js";
import { control, rest } from "../support/discord.js";
import { emulatorWithGuild, type TestGuild } from "../support/emulator-world.js";

// docs: resources/message#allowed-mentions-object: who is really notified.
let emulator: Emulator;
let guild: TestGuild;
let botRole: string;
let quietRole: string;
let loudRole: string;
type Pinged = { everyone: boolean; users: string[]; roles: string[] };
type Stored = { content: string; pinged: Pinged; mention_roles: string[] };

beforeAll(async () => {
  ({ emulator, guild } = await emulatorWithGuild({ rateLimits: { enabled: false } }));
  botRole = (await control<{ bot_role_id: string }>(emulator, "GET", `guilds/${guild.id}`))
    .bot_role_id;
  const role = (body: object) =>
    control<{ id: string }>(emulator, "POST", `guilds/${guild.id}/roles`, body);
  quietRole = (await role({ name: "readers", mentionable: false })).id;
  loudRole = (await role({ name: "alerts", mentionable: true })).id;
});
afterAll(() => emulator.close());

async function send(channel: string, body: object): Promise<Stored> {
  const sent = await rest(emulator, "POST", `/channels/${channel}/messages`, body);
  expect(sent.status).toBe(200);
  const stored = await control<(Stored & { id: string })[]>(
    emulator,
    "GET",
    `channels/${channel}/messages`,
  );
  return stored.find((m) => m.id === sent.body.id) as Stored;
}

/** Gives or takes Mention Everyone on the bot's managed role (it has it by default). */
function setMentionEveryone(on: boolean) {
  return control(emulator, "PATCH", `guilds/${guild.id}/roles/${botRole}`, {
    [on ? "add_permissions" : "remove_permissions"]: ["MentionEveryone"],
  });
}

describe("role pings (docs: resources/message#allowed-mentions-object)", () => {
  test("with Mention Everyone (the bot role's default) any role mention pings", async () => {
    const m = await send(guild.text, { content: `<@&${quietRole}> <@&${loudRole}>` });
    expect(m.pinged.roles.sort()).toEqual([quietRole, loudRole].sort());
  });

  test("without Mention Everyone only a mentionable role pings, and @everyone does not", async () => {
    await setMentionEveryone(false);
    try {
      const m = await send(guild.text, { content: `@everyone <@&${quietRole}> <@&${loudRole}>` });
      expect(m.pinged).toEqual({ everyone: false, users: [], roles: [loudRole] });
      expect(m.mention_roles).toEqual([loudRole]);
    } finally {
      await setMentionEveryone(true);
    }
  });

  test("Mention Everyone granted by a role overwrite in the channel lets an unmentionable role ping", async () => {
    await setMentionEveryone(false);
    await control(emulator, "PUT", `channels/${guild.news}/permissions/${botRole}`, {
      type: 0,
      allow: ["MentionEveryone"],
    });
    expect((await send(guild.news, { content: `<@&${quietRole}>` })).pinged.roles).toEqual([
      quietRole,
    ]);
    expect((await send(guild.text, { content: `<@&${quietRole}>` })).pinged.roles).toEqual([]);
    await setMentionEveryone(true);
  });

  test("a role id the guild does not have counts as unmentionable", async () => {
    const unknown = "<@&523456789012345678>";
    expect((await send(guild.text, { content: unknown })).pinged.roles).toEqual([
      "523456789012345678",
    ]);
    await setMentionEveryone(false);
    try {
      expect((await send(guild.text, { content: unknown })).pinged.roles).toEqual([]);
    } finally {
      await setMentionEveryone(true);
    }
  });

  test("allowed_mentions still filters a mentionable role", async () => {
    const m = await send(guild.text, {
      content: `<@&${loudRole}>`,
      allowed_mentions: { parse: [] },
    });
    expect(m.pinged.roles).toEqual([]);
  });
});

describe("defaults by context (docs: resources/message#allowed-mentions-object-default-settings-for-allowed-mentions)", () => {
  test("a regular message without allowed_mentions parses users, roles and everyone", async () => {
    const m = await send(guild.text, { content: `@here <@123456789012345678> <@&${loudRole}>` });
    expect(m.pinged).toEqual({ everyone: true, users: ["123456789012345678"], roles: [loudRole] });
  });

  test("an edit without allowed_mentions rebuilds mentions with the defaults, not the original's (docs: resources/message#edit-message)", async () => {
    const sent = await rest(emulator, "POST", `/channels/${guild.text}/messages`, {
      content: "quiet",
      allowed_mentions: { parse: [] },
    });
    const edited = await rest(
      emulator,
      "PATCH",
      `/channels/${guild.text}/messages/${sent.body.id}`,
      {
        content: `<@&${loudRole}>`,
      },
    );
    expect(edited.body.mention_roles).toEqual([loudRole]);
  });
});

describe("interaction and webhook defaults (docs: resources/message#allowed-mentions-object-default-settings-for-allowed-mentions)", () => {
  const loud = () => `@everyone <@123456789012345678> <@&${loudRole}>`;
  const usersOnly = () => ({ everyone: false, users: ["123456789012345678"], roles: [] });

  async function answered() {
    const created = await control<{ id: string; token: string }>(emulator, "POST", "interactions", {
      guild_id: guild.id,
      channel_id: guild.text,
      type: 2,
      data: { id: "123456789012345678", name: "paper", type: 1 },
    });
    const reply = await rest(
      emulator,
      "POST",
      `/interactions/${created.id}/${created.token}/callback`,
      { type: 4, data: { content: loud() } },
      null,
    );
    expect(reply.status).toBe(204);
    return created;
  }
  const view = (id: string) =>
    control<{ original: { pinged: Pinged }; followups: { pinged: Pinged }[] }>(
      emulator,
      "GET",
      `interactions/${id}`,
    );

  test("a reply and a follow-up without allowed_mentions ping only users", async () => {
    const { id, token } = await answered();
    const app = emulator.ctx.world.applicationId;
    await rest(emulator, "POST", `/webhooks/${app}/${token}?wait=true`, { content: loud() }, null);
    const seen = await view(id);
    expect(seen.original.pinged).toEqual(usersOnly());
    expect(seen.followups[0]?.pinged).toEqual(usersOnly());
  });

  test("an @original edit without allowed_mentions parses only users; with parse it may ping roles", async () => {
    const { id, token } = await answered();
    const app = emulator.ctx.world.applicationId;
    const path = `/webhooks/${app}/${token}/messages/@original`;
    const plain = await rest(emulator, "PATCH", path, { content: `<@&${loudRole}> again` }, null);
    expect(plain.body.mention_roles).toEqual([]);
    const opted = await rest(
      emulator,
      "PATCH",
      path,
      { content: `<@&${loudRole}> again`, allowed_mentions: { parse: ["roles"] } },
      null,
    );
    expect(opted.body.mention_roles).toEqual([loudRole]);
    expect((await view(id)).original.pinged.roles).toEqual([loudRole]);
  });
});
