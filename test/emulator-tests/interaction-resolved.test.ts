import { afterAll, beforeAll, describe, expect, test } from "vitest";
import type { Emulator } from "../../emulator/server.js";
import { control } from "../support/discord.js";
import { emulatorWithGuild, type TestGuild } from "../support/emulator-world.js";

// Sources: docs = discord-api-docs, developers/interactions/receiving-and-responding.mdx
// (#interaction-object-resolved-data-structure, #application-command-data-structure).

let emulator: Emulator;
let guild: TestGuild;
let other: { id: string; channel: string };
beforeAll(async () => {
  ({ emulator, guild } = await emulatorWithGuild({ rateLimits: { enabled: false } }));
  const id = (await control<{ id: string }>(emulator, "POST", "guilds", { name: "Elsewhere" })).id;
  const channel = await control<{ id: string }>(emulator, "POST", `guilds/${id}/channels`, {
    name: "secret",
    type: 0,
  });
  other = { id, channel: channel.id };
});
afterAll(() => emulator.close());

const USER = "523456789012345678";
/** A `/config channel add` style command with the given leaf options. */
const data = (options: Record<string, unknown>[], resolved?: unknown) => ({
  id: "123456789012345678",
  name: "config",
  type: 1,
  options: [{ type: 1, name: "add", options }],
  ...(resolved ? { resolved } : {}),
});

async function sent(body: Record<string, unknown>) {
  const { id } = await control<{ id: string }>(emulator, "POST", "interactions", {
    guild_id: guild.id,
    channel_id: guild.text,
    type: 2,
    permissions: "2048",
    ...body,
  });
  return emulator.ctx.interactions.get(id)?.payload as {
    data: { resolved: Record<string, Record<string, Record<string, unknown>>> };
  };
}
const refused = (body: Record<string, unknown>) =>
  control(emulator, "POST", "interactions", {
    guild_id: guild.id,
    channel_id: guild.text,
    type: 2,
    ...body,
  }).then(
    () => "accepted",
    (error: Error) => error.message,
  );

describe("resolved data built from option ids", () => {
  test("channel, role and user options given by id get Discord's resolved entries", async () => {
    const everyone = guild.id; // the @everyone role shares the guild's id
    const payload = await sent({
      data: data([
        { type: 7, name: "where", value: guild.text },
        { type: 8, name: "role", value: everyone },
        { type: 6, name: "who", value: USER },
      ]),
    });
    const resolved = payload.data.resolved;
    expect(resolved.channels?.[guild.text]).toMatchObject({
      id: guild.text,
      type: 0,
      name: "papers",
      guild_id: guild.id,
      permissions: "2048",
    });
    // docs: partial channels carry only id, name, type, permissions, … (no overwrites).
    expect(resolved.channels?.[guild.text]?.permission_overwrites).toBeUndefined();
    expect(resolved.roles?.[everyone]).toMatchObject({ id: everyone, name: "@everyone" });
    expect(resolved.users?.[USER]).toMatchObject({ id: USER });
    // docs: partial members lack user, deaf and mute.
    expect(resolved.members?.[USER]).toMatchObject({ roles: [], permissions: "2048" });
    expect(resolved.members?.[USER]?.user).toBeUndefined();
  });

  test("entries written by the test are kept as written", async () => {
    const mine = { id: guild.text, type: 0, name: "hand-made", permissions: "0" };
    const payload = await sent({
      data: data([{ type: 7, name: "where", value: guild.text }], {
        channels: { [guild.text]: mine },
      }),
    });
    expect(payload.data.resolved.channels?.[guild.text]).toEqual(mine);
  });

  test("a channel that does not exist is refused", async () => {
    const missing = "999999999999999999";
    expect(await refused({ data: data([{ type: 7, name: "where", value: missing }]) })).toContain(
      "names no channel",
    );
  });
});

describe("channels and roles of another guild (Discord never sends them)", () => {
  test("are refused unless allow_foreign_resolved is set", async () => {
    const channel = data([{ type: 7, name: "where", value: other.channel }]);
    expect(await refused({ data: channel })).toContain("belongs to another guild");
    const role = data([{ type: 8, name: "role", value: other.id }]);
    expect(await refused({ data: role })).toContain("belongs to another guild");
    const handWritten = data([{ type: 7, name: "where", value: other.channel }], {
      channels: { [other.channel]: { id: other.channel, type: 0, name: "x", permissions: "0" } },
    });
    expect(await refused({ data: handWritten })).toContain("belongs to another guild");
  });

  test("are passed through with allow_foreign_resolved, so the bot's own check can be tested", async () => {
    const payload = await sent({
      allow_foreign_resolved: true,
      data: data([{ type: 7, name: "where", value: other.channel }]),
    });
    expect(payload.data.resolved.channels?.[other.channel]).toMatchObject({ guild_id: other.id });
  });
});
