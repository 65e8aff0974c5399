import { type Client, GatewayIntentBits } from "discord.js";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import type { Emulator } from "../../emulator/server.js";
import { control, readyClient, rest } from "../support/discord.js";
import { emulatorWithGuild, type TestGuild } from "../support/emulator-world.js";

let emulator: Emulator;
let guild: TestGuild;
let client: Client;

beforeAll(async () => {
  // GUILD_MEMBER_UPDATE needs the privileged GUILD_MEMBERS intent (docs:
  // events/gateway#list-of-intents), switched on for the app here.
  ({ emulator, guild } = await emulatorWithGuild({
    rateLimits: { enabled: false },
    privilegedIntents: ["GuildMembers"],
  }));
  client = await readyClient(emulator, {
    intents: [GatewayIntentBits.Guilds, GatewayIntentBits.GuildMembers],
  });
});
afterAll(async () => {
  await client.destroy();
  await emulator.close();
});

const role = (body: object) =>
  control<{ id: string }>(emulator, "POST", `guilds/${guild.id}/roles`, body);
const send = (channel: string) =>
  rest(emulator, "POST", `/channels/${channel}/messages`, {
    content: "hi",
    allowed_mentions: { parse: [] },
  });

async function eventually(check: () => boolean): Promise<void> {
  const start = Date.now();
  while (!check()) {
    if (Date.now() - start > 3000) throw new Error("the client never saw the change");
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

describe("roles (docs: topics/permissions, events/gateway-events#guild-role-create)", () => {
  test("a created and then updated role reaches the client through GUILD_ROLE_CREATE/UPDATE", async () => {
    const { id } = await role({ name: "readers", permissions: ["ViewChannel"] });
    const cached = () => client.guilds.cache.get(guild.id)?.roles.cache.get(id);
    await eventually(() => cached() !== undefined);
    expect(cached()?.mentionable).toBe(false);
    await control(emulator, "PATCH", `guilds/${guild.id}/roles/${id}`, { mentionable: true });
    await eventually(() => cached()?.mentionable === true);
  });

  test("a role given to the bot shows on its member (GUILD_MEMBER_UPDATE) and its overwrite applies", async () => {
    const { id } = await role({ name: "muted" });
    await control(emulator, "PUT", `channels/${guild.news}/permissions/${id}`, {
      type: 0,
      deny: ["SendMessages"],
    });
    expect((await send(guild.news)).status).toBe(200);
    await control(emulator, "PUT", `guilds/${guild.id}/members/@me/roles/${id}`);
    const me = () => client.guilds.cache.get(guild.id)?.members.me;
    await eventually(() => me()?.roles.cache.has(id) === true);
    expect(await send(guild.news)).toMatchObject({ status: 403, body: { code: 50013 } });
    expect(me()?.permissionsIn(guild.news).has("SendMessages")).toBe(false);

    await control(emulator, "DELETE", `guilds/${guild.id}/members/@me/roles/${id}`);
    await eventually(() => me()?.roles.cache.has(id) === false);
    expect((await send(guild.news)).status).toBe(200);
  });

  test("a deleted role leaves the client (GUILD_ROLE_DELETE) and the bot's member", async () => {
    const { id } = await role({ name: "temporary" });
    await control(emulator, "PUT", `guilds/${guild.id}/members/@me/roles/${id}`);
    const g = () => client.guilds.cache.get(guild.id);
    await eventually(() => g()?.members.me?.roles.cache.has(id) === true);
    await control(emulator, "DELETE", `guilds/${guild.id}/roles/${id}`);
    await eventually(() => g()?.roles.cache.has(id) === false);
    expect(g()?.members.me?.roles.cache.has(id)).toBe(false);
  });

  test("Administrator from a role overrides every channel overwrite", async () => {
    const { id } = await role({ name: "admin", permissions: ["Administrator"] });
    await control(emulator, "POST", `channels/${guild.text}/access`, { allow: false });
    expect((await send(guild.text)).status).toBe(403);
    await control(emulator, "PUT", `guilds/${guild.id}/members/@me/roles/${id}`);
    expect((await send(guild.text)).status).toBe(200);
    await control(emulator, "DELETE", `guilds/${guild.id}/members/@me/roles/${id}`);
    await control(emulator, "POST", `channels/${guild.text}/access`, { allow: true });
  });

  test("the bot's managed role cannot be taken away; its permissions can be changed", async () => {
    const { bot_role_id } = await control<{ bot_role_id: string }>(
      emulator,
      "GET",
      `guilds/${guild.id}`,
    );
    await expect(
      control(emulator, "DELETE", `guilds/${guild.id}/members/@me/roles/${bot_role_id}`),
    ).rejects.toThrow(/managed/);
    const updated = await control<{ permissions: string }>(
      emulator,
      "PATCH",
      `guilds/${guild.id}/roles/${bot_role_id}`,
      { remove_permissions: ["MentionEveryone"] },
    );
    expect(BigInt(updated.permissions) & (1n << 17n)).toBe(0n);
    await control(emulator, "PATCH", `guilds/${guild.id}/roles/${bot_role_id}`, {
      add_permissions: ["MentionEveryone"],
    });
  });
});
