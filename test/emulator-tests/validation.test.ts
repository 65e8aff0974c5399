import { afterAll, beforeAll, describe, expect, test } from "vitest";
import type { Emulator } from "../../emulator/server.js";
import { rest } from "../support/discord.js";
import { emulatorWithGuild, type TestGuild } from "../support/emulator-world.js";

let emulator: Emulator;
let guild: TestGuild;
beforeAll(async () => {
  ({ emulator, guild } = await emulatorWithGuild({ rateLimits: { enabled: false } }));
});
afterAll(() => emulator.close());

const x = (n: number) => "x".repeat(n);
const field = (name = "n", value = "v") => ({ name, value });
const row = (components: unknown[]) => ({ type: 1, components });
const button = (id: string) => ({ type: 2, style: 1, label: "b", custom_id: id });
const select = (options: unknown[]) => ({
  type: 1,
  components: [{ type: 3, custom_id: "s", options }],
});
const option = (label = "l", value = "v") => ({ label, value });

/** Follows an error path through Discord's nested `errors` object to its `_errors` list. */
function errorsAt(
  body: Record<string, unknown>,
  path: (string | number)[],
): { code: string }[] | undefined {
  let node: unknown = body.errors;
  for (const key of path) node = (node as Record<string, unknown> | undefined)?.[String(key)];
  return (node as { _errors?: { code: string }[] } | undefined)?._errors;
}

const MESSAGE_CASES: [string, Record<string, unknown>, (string | number)[]][] = [
  ["content over 2,000", { content: x(2001) }, ["content"]],
  [
    "more than 10 embeds",
    { embeds: Array.from({ length: 11 }, () => ({ title: "t" })) },
    ["embeds"],
  ],
  ["embed title over 256", { embeds: [{ title: x(257) }] }, ["embeds", 0, "title"]],
  [
    "embed description over 4,096",
    { embeds: [{ description: x(4097) }] },
    ["embeds", 0, "description"],
  ],
  [
    "more than 25 fields",
    { embeds: [{ fields: Array.from({ length: 26 }, () => field()) }] },
    ["embeds", 0, "fields"],
  ],
  [
    "field name over 256",
    { embeds: [{ fields: [field(x(257))] }] },
    ["embeds", 0, "fields", 0, "name"],
  ],
  [
    "empty field value",
    { embeds: [{ fields: [field("n", "")] }] },
    ["embeds", 0, "fields", 0, "value"],
  ],
  [
    "field value over 1,024",
    { embeds: [{ fields: [field("n", x(1025))] }] },
    ["embeds", 0, "fields", 0, "value"],
  ],
  [
    "footer over 2,048",
    { embeds: [{ footer: { text: x(2049) } }] },
    ["embeds", 0, "footer", "text"],
  ],
  [
    "author name over 256",
    { embeds: [{ author: { name: x(257) } }] },
    ["embeds", 0, "author", "name"],
  ],
  [
    "embeds over 6,000 in total",
    { embeds: [{ description: x(4000) }, { description: x(2001) }] },
    ["embeds"],
  ],
  [
    "a javascript: embed URL",
    { embeds: [{ title: "t", url: "javascript:alert(1)" }] },
    ["embeds", 0, "url"],
  ],
  [
    "a relative image URL",
    { embeds: [{ image: { url: "/avatars/a.svg" } }] },
    ["embeds", 0, "image", "url"],
  ],
  [
    "more than 5 action rows",
    { components: Array.from({ length: 6 }, (_, i) => row([button(`b${i}`)])) },
    ["components"],
  ],
  [
    "more than 5 buttons in a row",
    { components: [row(Array.from({ length: 6 }, (_, i) => button(`b${i}`)))] },
    ["components", 0, "components"],
  ],
  [
    "custom_id over 100",
    { components: [row([button(x(101))])] },
    ["components", 0, "components", 0, "custom_id"],
  ],
  [
    "more than 25 select options",
    { components: [select(Array.from({ length: 26 }, (_, i) => option(`l${i}`, `v${i}`)))] },
    ["components", 0, "components", 0, "options"],
  ],
  [
    "select option label over 100",
    { components: [select([option(x(101))])] },
    ["components", 0, "components", 0, "options", 0, "label"],
  ],
  ["nonce over 25", { content: "c", nonce: x(26) }, ["nonce"]],
  [
    "allowed_mentions parse and users together",
    { content: "c", allowed_mentions: { parse: ["users"], users: ["123456789012345678"] } },
    ["allowed_mentions"],
  ],
];

describe("emulator payload validation", () => {
  test.each(MESSAGE_CASES)(
    "rejects a message with %s: 400/50035 naming the field",
    async (_name, body, path) => {
      const response = await rest(emulator, "POST", `/channels/${guild.text}/messages`, body);
      expect(response.status).toBe(400);
      expect(response.body).toMatchObject({ code: 50035, message: "Invalid Form Body" });
      expect(errorsAt(response.body, path)?.[0]?.code).toEqual(expect.any(String));
    },
  );

  test("counts the 6,000 total in code points, not UTF-16 units", async () => {
    const emoji = "📄".repeat(2000); // 2,000 code points, 4,000 UTF-16 units
    const fits = await rest(emulator, "POST", `/channels/${guild.text}/messages`, {
      embeds: [
        { description: emoji },
        { description: emoji },
        { description: `${"가".repeat(1999)}` },
      ],
      allowed_mentions: { parse: [] },
    });
    expect(fits.status).toBe(200);
    const over = await rest(emulator, "POST", `/channels/${guild.text}/messages`, {
      embeds: [
        { description: emoji },
        { description: emoji },
        { description: `${"가".repeat(2001)}` },
      ],
    });
    expect(errorsAt(over.body, ["embeds"])?.[0]?.code).toBe("MAX_EMBED_SIZE_EXCEEDED");
  });

  test("accepts values exactly at each limit", async () => {
    const response = await rest(emulator, "POST", `/channels/${guild.text}/messages`, {
      content: x(2000),
      embeds: [
        {
          title: x(256),
          description: x(3000),
          footer: { text: x(100) },
          fields: [field(x(256), x(1024))],
        },
      ],
      components: [row(Array.from({ length: 5 }, (_, i) => button(`${x(99)}${i}`)))],
      nonce: x(25),
      allowed_mentions: { parse: [] },
    });
    expect(response.status).toBe(200);
  });

  test("refuses an empty message with 50006", async () => {
    expect(
      await rest(emulator, "POST", `/channels/${guild.text}/messages`, { content: "  " }),
    ).toMatchObject({ status: 400, body: { code: 50006 } });
  });

  test("refuses a thread name over 100 characters", async () => {
    const message = await rest(emulator, "POST", `/channels/${guild.text}/messages`, {
      content: "h",
      allowed_mentions: { parse: [] },
    });
    const response = await rest(
      emulator,
      "POST",
      `/channels/${guild.text}/messages/${message.body.id}/threads`,
      { name: x(101) },
    );
    expect(errorsAt(response.body, ["name"])?.[0]?.code).toBe("BASE_TYPE_BAD_LENGTH");
  });

  const COMMAND_CASES: [string, unknown, (string | number)[]][] = [
    ["a name over 32", [{ name: x(33), description: "d" }], [0, "name"]],
    ["an upper-case name", [{ name: "Paper", description: "d" }], [0, "name"]],
    ["a description over 100", [{ name: "paper", description: x(101) }], [0, "description"]],
    ["an empty description", [{ name: "paper", description: "" }], [0, "description"]],
    [
      "more than 25 options",
      [
        {
          name: "paper",
          description: "d",
          options: Array.from({ length: 26 }, (_, i) => ({
            type: 3,
            name: `o${i}`,
            description: "d",
          })),
        },
      ],
      [0, "options"],
    ],
    [
      "an option description over 100",
      [{ name: "paper", description: "d", options: [{ type: 3, name: "q", description: x(101) }] }],
      [0, "options", 0, "description"],
    ],
    [
      "more than 25 choices",
      [
        {
          name: "paper",
          description: "d",
          options: [
            {
              type: 3,
              name: "q",
              description: "d",
              choices: Array.from({ length: 26 }, (_, i) => ({ name: `c${i}`, value: `c${i}` })),
            },
          ],
        },
      ],
      [0, "options", 0, "choices"],
    ],
    [
      "an unknown locale",
      [{ name: "paper", description: "d", name_localizations: { kr: "논문" } }],
      [0, "name_localizations", "kr"],
    ],
    [
      "a localized description over 100",
      [{ name: "paper", description: "d", description_localizations: { ko: x(101) } }],
      [0, "description_localizations", "ko"],
    ],
    [
      // The spec's integer form (32) is accepted too: see command-rules.test.ts.
      "a permission bitfield that is not a number",
      [{ name: "config", description: "d", default_member_permissions: "Manage Server" }],
      [0, "default_member_permissions"],
    ],
    [
      "two commands with one name",
      [
        { name: "paper", description: "d" },
        { name: "paper", description: "e" },
      ],
      [1, "name"],
    ],
  ];

  test.each(COMMAND_CASES)("rejects commands with %s", async (_name, body, path) => {
    const response = await rest(
      emulator,
      "PUT",
      `/applications/${emulator.ctx.world.applicationId}/commands`,
      body,
    );
    expect(response).toMatchObject({ status: 400, body: { code: 50035 } });
    expect(errorsAt(response.body, path)?.[0]?.code).toEqual(expect.any(String));
  });
});
