import { afterAll, beforeAll, describe, expect, test } from "vitest";
import type { Emulator } from "../../emulator/server.js";
import { control, rest } from "../support/discord.js";
import { emulatorWithGuild, type TestGuild } from "../support/emulator-world.js";

// Sources: docs = discord-api-docs, developers/interactions/receiving-and-responding.mdx
// (#create-followup-message, #interaction-callback, #interaction-callback-response-object).
// Answered over raw HTTP, as a bot would, so that each request is exactly what the rule needs.

let emulator: Emulator;
let guild: TestGuild;
let app: string;
beforeAll(async () => {
  ({ emulator, guild } = await emulatorWithGuild({ rateLimits: { enabled: false } }));
  app = emulator.ctx.world.applicationId;
  const commands = [
    { name: "paper", description: "d" },
    { name: "mine", description: "d", integration_types: [1], contexts: [0, 1, 2] },
  ];
  expect((await rest(emulator, "PUT", `/applications/${app}/commands`, commands)).status).toBe(200);
});
afterAll(() => emulator.close());

interface View {
  original: Record<string, unknown> | null;
  followups: Record<string, unknown>[];
}
const quiet = { allowed_mentions: { parse: [] } };
const slash = (name = "paper") => ({ id: "123456789012345678", name, type: 1 });

async function created(extra: Record<string, unknown> = {}) {
  return control<{ id: string; token: string }>(emulator, "POST", "interactions", {
    guild_id: guild.id,
    channel_id: guild.text,
    type: 2,
    data: slash(),
    ...extra,
  });
}
const answer = (i: { id: string; token: string }, body: unknown, query = "") =>
  rest(emulator, "POST", `/interactions/${i.id}/${i.token}/callback${query}`, body, null);
const followUp = (i: { token: string }, body: unknown) =>
  rest(emulator, "POST", `/webhooks/${app}/${i.token}?wait=true`, body, null);
const view = (i: { id: string }) => control<View>(emulator, "GET", `interactions/${i.id}`);

describe("follow-ups (docs: #create-followup-message)", () => {
  test("a follow-up right after a deferred reply edits the loading message and keeps it ephemeral", async () => {
    const i = await created();
    await answer(i, { type: 5, data: { flags: 64 } });
    const sent = await followUp(i, { content: "result", flags: 0, ...quiet });
    const after = await view(i);
    expect(sent.body.id).toBe(after.original?.id);
    expect(after.followups).toEqual([]);
    expect(after.original).toMatchObject({ content: "result", ephemeral: true });
    expect(Number(after.original?.flags) & 128).toBe(0); // no longer "thinking…"
  });

  test("once the deferred reply was edited, a follow-up is a new message", async () => {
    const i = await created();
    await answer(i, { type: 5 });
    const path = `/webhooks/${app}/${i.token}/messages/@original`;
    await rest(emulator, "PATCH", path, { content: "done", ...quiet }, null);
    await followUp(i, { content: "more", ...quiet });
    const after = await view(i);
    expect(after.original?.content).toBe("done");
    expect(after.followups.map((m) => m.content)).toEqual(["more"]);
  });

  test("an interaction authorized only by a user install gets 5 follow-ups, then 400/40094", async () => {
    // docs: "Apps are limited to 5 followup messages per interaction if it was initiated from a
    // user-installed app and isn't installed in the server".
    const i = await created({ data: slash("mine") });
    await answer(i, { type: 4, data: { content: "hi", ...quiet } });
    for (let n = 0; n < 5; n++)
      expect((await followUp(i, { content: `f${n}`, ...quiet })).status).toBe(200);
    expect(await followUp(i, { content: "f5", ...quiet })).toMatchObject({
      status: 400,
      body: { code: 40094 },
    });
  });

  test("a guild-installed interaction is not held to 5 follow-ups", async () => {
    const i = await created();
    await answer(i, { type: 4, data: { content: "hi", ...quiet } });
    for (let n = 0; n < 6; n++)
      expect((await followUp(i, { content: `f${n}`, ...quiet })).status).toBe(200);
  });
});

describe("?with_response=true (docs: #interaction-callback-response-object)", () => {
  test.each([
    ["an ephemeral reply", { type: 4, data: { content: "x", flags: 64, ...quiet } }, true],
    ["a deferred ephemeral reply", { type: 5, data: { flags: 64 } }, true],
    ["a public reply", { type: 4, data: { content: "x", ...quiet } }, false],
    ["a deferred public reply", { type: 5 }, false],
  ])("reports response_message_ephemeral for %s", async (_name, body, ephemeral) => {
    const response = await answer(await created(), body, "?with_response=true");
    expect(response.body).toMatchObject({
      interaction: { response_message_ephemeral: ephemeral },
    });
  });
});
