import { afterAll, beforeAll, describe, expect, test } from "vitest";
import type { Emulator } from "../../emulator/server.js";
import { control, rest } from "../support/discord.js";
import { emulatorWithGuild, type TestGuild } from "../support/emulator-world.js";

let emulator: Emulator;
let guild: TestGuild;
beforeAll(async () => {
  ({ emulator, guild } = await emulatorWithGuild({ rateLimits: { enabled: false } }));
});
afterAll(() => emulator.close());

const quiet = { allowed_mentions: { parse: [] } };
const post = (body: Record<string, unknown>) =>
  rest(emulator, "POST", `/channels/${guild.text}/messages`, { ...quiet, ...body });

describe("edits that would empty a message (docs: resources/message#edit-message, 50006)", () => {
  test("an edit clearing the only content of a channel message is 400/50006", async () => {
    const created = await post({ content: "hello" });
    const path = `/channels/${guild.text}/messages/${created.body.id}`;
    expect(await rest(emulator, "PATCH", path, { content: "" })).toMatchObject({
      status: 400,
      body: { code: 50006 },
    });
    expect((await rest(emulator, "PATCH", path, { content: "bye" })).status).toBe(200);
  });

  test("an edit clearing content keeps the message when its embeds stay", async () => {
    const created = await post({ content: "hello", embeds: [{ title: "t" }] });
    const path = `/channels/${guild.text}/messages/${created.body.id}`;
    expect((await rest(emulator, "PATCH", path, { content: null })).status).toBe(200);
    expect(await rest(emulator, "PATCH", path, { embeds: [] })).toMatchObject({
      status: 400,
      body: { code: 50006 },
    });
  });
});

test("a webhook edit emptying an interaction reply is 400/50006 (docs: interactions/receiving-and-responding#edit-original-interaction-response)", async () => {
  const { id, token } = await control<{ id: string; token: string }>(
    emulator,
    "POST",
    "interactions",
    {
      guild_id: guild.id,
      channel_id: guild.text,
      type: 2,
      data: { id: "123456789012345678", name: "paper", type: 1 },
    },
  );
  const reply = { type: 4, data: { content: "hi", ...quiet } };
  expect(
    (await rest(emulator, "POST", `/interactions/${id}/${token}/callback`, reply, null)).status,
  ).toBe(204);
  const original = `/webhooks/${emulator.ctx.world.applicationId}/${token}/messages/@original`;
  expect(await rest(emulator, "PATCH", original, { content: "  " }, null)).toMatchObject({
    status: 400,
    body: { code: 50006 },
  });
});

describe("the IS_COMPONENTS_V2 flag on edits (docs: resources/message#edit-message)", () => {
  const V2 = 1 << 15;
  const text = { type: 10, content: "hi" };
  const at = (id: unknown) => `/channels/${guild.text}/messages/${id}`;

  test("cannot be removed from a message that has it", async () => {
    const created = await post({ flags: V2, components: [text] });
    const response = await rest(emulator, "PATCH", at(created.body.id), { flags: 0 });
    expect(response.status).toBe(400);
    expect(response.body).toMatchObject({ code: 50035, errors: { flags: {} } });
  });

  test("a V2 message edited without flags stays V2: content is refused, V2 components taken", async () => {
    const created = await post({ flags: V2, components: [text] });
    const path = at(created.body.id);
    expect((await rest(emulator, "PATCH", path, { content: "x" })).status).toBe(400);
    const edit = { components: [{ type: 10, content: "bye" }] };
    expect((await rest(emulator, "PATCH", path, edit)).status).toBe(200);
  });

  test("can be set on a legacy message only if the same edit clears its content", async () => {
    const created = await post({ content: "hello" });
    const path = at(created.body.id);
    const upgrade = { flags: V2, components: [text] };
    const kept = await rest(emulator, "PATCH", path, upgrade);
    expect(kept.status).toBe(400);
    expect(kept.body).toMatchObject({ errors: { content: {} } });
    expect((await rest(emulator, "PATCH", path, { ...upgrade, content: null })).status).toBe(200);
  });
});
