import { afterAll, beforeAll, describe, expect, test } from "vitest";
import type { Emulator } from "../../emulator/server.js";
import { checkSchema } from "../../emulator/validate/schema.js";
import { FIELD_OVERRIDES } from "../../emulator/validate/spec-overrides.js";
import { rest } from "../support/discord.js";
import { emulatorWithGuild, type TestGuild } from "../support/emulator-world.js";

let emulator: Emulator;
let guild: TestGuild;
beforeAll(async () => {
  ({ emulator, guild } = await emulatorWithGuild({ rateLimits: { enabled: false } }));
});
afterAll(() => emulator.close());

type Body = Record<string, unknown>;
const errorsAt = (body: Body, path: (string | number)[]) => {
  let node: unknown = body.errors;
  for (const key of path) node = (node as Body | undefined)?.[String(key)];
  return (node as { _errors?: { code: string; message: string }[] } | undefined)?._errors;
};
const post = (body: unknown) => rest(emulator, "POST", `/channels/${guild.text}/messages`, body);

describe("the official schema as the first gate", () => {
  test.each([
    ["at the top", { content: "c", colour: 1 }, ["colour"]],
    [
      "in an embed's footer",
      { embeds: [{ footer: { text: "f", url: "u" } }] },
      ["embeds", 0, "footer", "url"],
    ],
    [
      "in a button inside a union of component types",
      {
        components: [
          {
            type: 1,
            components: [{ type: 2, style: 1, custom_id: "b", label: "l", emoji_name: "x" }],
          },
        ],
      },
      ["components", 0, "components", 0, "emoji_name"],
    ],
  ])("refuses an unknown field %s with 400/50035 naming it", async (_where, body, path) => {
    const response = await post(body);
    expect(response).toMatchObject({
      status: 400,
      body: { code: 50035, message: "Invalid Form Body" },
    });
    expect(errorsAt(response.body, path)?.[0]?.code).toBe("UNKNOWN_FIELD");
  });

  test("answers with the schema's errors before any semantic rule runs", async () => {
    // 2,001 characters pass the spec (4,000) and fail only message.ts (2,000), which never runs.
    const response = await post({ content: "x".repeat(2001), stray: true });
    expect(Object.keys(response.body.errors as Body)).toEqual(["stray"]);
    expect((await post({ content: "x".repeat(2001) })).body.errors).toHaveProperty("content");
  });

  test("reports wrong types, snowflakes and lengths with Discord's codes", async () => {
    const response = await post({
      tts: "yes",
      allowed_mentions: { users: ["not-a-snowflake"] },
      embeds: [{ title: "t".repeat(257), color: "red" }],
    });
    expect(errorsAt(response.body, ["tts"])?.[0]?.code).toBe("BOOLEAN_TYPE_CONVERT");
    expect(errorsAt(response.body, ["allowed_mentions", "users", 0])?.[0]?.code).toBe(
      "NUMBER_TYPE_COERCE",
    );
    expect(errorsAt(response.body, ["embeds", 0, "title"])?.[0]).toEqual({
      code: "BASE_TYPE_BAD_LENGTH",
      message: "Must be 256 or fewer in length.",
    });
    expect(errorsAt(response.body, ["embeds", 0, "color"])?.[0]?.code).toBe("NUMBER_TYPE_COERCE");
  });

  test("counts string limits in code points, as Discord does, not UTF-16 units", async () => {
    const response = await post({ embeds: [{ title: "📄".repeat(256) }] });
    expect(response.status).toBe(200);
  });

  test("takes embed timestamps with a UTC offset, which RFC 3339 allows", async () => {
    const response = await post({
      embeds: [{ title: "t", timestamp: "2024-02-20T09:00:00+09:00" }],
    });
    expect(response.status).toBe(200);
    const bad = await post({ embeds: [{ title: "t", timestamp: "Feb 20 2024" }] });
    expect(errorsAt(bad.body, ["embeds", 0, "timestamp"])?.[0]?.code).toBe("DATE_TIME_TYPE_PARSE");
  });

  test("checks a forum post against the forum schema and a thread against the text schema", async () => {
    const forum = await rest(emulator, "POST", `/channels/${guild.forum}/threads`, {
      name: "post",
      message: { content: "hello", nonce: "1" },
    });
    expect(errorsAt(forum.body, ["message", "nonce"])?.[0]?.code).toBe("UNKNOWN_FIELD");
    const text = await rest(emulator, "POST", `/channels/${guild.text}/threads`, {
      name: "thread",
      message: { content: "hello" },
    });
    expect(errorsAt(text.body, ["message"])?.[0]?.code).toBe("UNKNOWN_FIELD");
  });

  test("leaves an unknown channel to the handler's 404 rather than guessing a schema", async () => {
    const response = await rest(emulator, "POST", "/channels/123456789012345678/threads", {
      name: "t",
    });
    expect(response).toMatchObject({ status: 404, body: { code: 10003 } });
  });
});

describe("spec-versus-docs overrides", () => {
  const bulk = (body: unknown) =>
    rest(emulator, "PUT", `/applications/${emulator.ctx.world.applicationId}/commands`, body);

  test("the gate takes the documented string bitfield for default_member_permissions", async () => {
    const response = await bulk([
      { name: "config", description: "d", default_member_permissions: "32" },
    ]);
    expect(response.status).toBe(200);
  });

  test("the gate takes an integer bitfield too, which the spec types it as", () => {
    const verdict = checkSchema("ApplicationCommandUpdateRequestList", [
      { name: "config", description: "d", default_member_permissions: 32 },
    ]);
    expect(verdict).toMatchObject({ ok: true });
  });

  test("tolerates only the tts and enforce_nonce booleans discord.js adds to replies", () => {
    const reply = (data: Body) => checkSchema("InteractionCallbackRequest", { type: 4, data });
    expect(reply({ content: "c", tts: false, enforce_nonce: false }).ok).toBe(true);
    expect(reply({ content: "c", enforce_nonce: "no" }).fields).toEqual(["data.enforce_nonce"]);
    expect(reply({ content: "c", nonce: "1" }).fields).toEqual(["data.nonce"]);
    expect(FIELD_OVERRIDES.every((o) => o.source.length > 0)).toBe(true);
  });

  test("names every callback type the spec allows when the type is unknown", async () => {
    // The gate runs before the handler looks the interaction up, so no interaction is needed.
    const response = await rest(
      emulator,
      "POST",
      "/interactions/123456789012345678/t/callback",
      { type: 3 },
      null,
    );
    expect(errorsAt(response.body, ["type"])?.[0]?.message).toContain("[1,4,5,6,7,8,9,12]");
  });
});
