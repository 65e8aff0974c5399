import { afterAll, beforeAll, describe, expect, test } from "vitest";
import type { Emulator } from "../../emulator/server.js";
import { chat, errorsAt, many, putCommands, str } from "../support/command-bodies.js";
import { emulatorWithGuild, type TestGuild } from "../support/emulator-world.js";

// Sources: docs = discord-api-docs, developers/interactions/application-commands.mdx
// (#application-command-object, #registering-a-command, #slash-commands, #subcommands-and-subcommand-groups).

let emulator: Emulator;
let guild: TestGuild;
beforeAll(async () => {
  ({ emulator, guild } = await emulatorWithGuild({ rateLimits: { enabled: false } }));
});
afterAll(() => emulator.close());

const put = (body: unknown, scope?: "global" | "guild") =>
  putCommands(emulator, guild.id, body, scope);

const REFUSED: [string, unknown[], (string | number)[], ("global" | "guild")?][] = [
  [
    "101 chat-input commands (docs: #registering-a-command)",
    many(101, (i) => chat([], { name: `c${i}` })),
    [],
  ],
  [
    "16 user commands (docs: #registering-a-command)",
    many(16, (i) => ({ type: 2, name: `U ${i}` })),
    [],
  ],
  [
    "16 message commands (docs: #registering-a-command)",
    many(16, (i) => ({ type: 3, name: `M ${i}` })),
    [],
  ],
  [
    "a user command with a description (docs: #application-command-structure)",
    [{ type: 2, name: "Info", description: "d" }],
    [0, "description"],
  ],
  [
    "a message command with options (docs: options only on CHAT_INPUT)",
    [{ type: 3, name: "Save", options: [str("q")] }],
    [0, "options"],
  ],
  [
    "two message commands with one name (docs: unique per type and scope)",
    [
      { type: 3, name: "Save" },
      { type: 3, name: "Save" },
    ],
    [1, "name"],
  ],
  [
    "integration_types outside {0, 1} (docs: resources/application#application-integration-types)",
    [chat([], { integration_types: [2] })],
    [0, "integration_types", 0],
  ],
  [
    "contexts outside {0, 1, 2} (docs: receiving-and-responding#interaction-context-types)",
    [chat([], { contexts: [3] })],
    [0, "contexts", 0],
  ],
  [
    "a guild command with the BOT_DM context (docs: guild commands don't support BOT_DM)",
    [chat([], { contexts: [0, 1] })],
    [0, "contexts", 1],
    "guild",
  ],
  [
    "a negative permission bitfield",
    [chat([], { default_member_permissions: -8 })],
    [0, "default_member_permissions"],
  ],
];

describe("application command rules Discord enforces on bulk overwrite", () => {
  test.each(REFUSED)("refuses %s with 400/50035", async (_name, body, path, scope) => {
    const response = await put(body, scope);
    expect(response).toMatchObject({ status: 400, body: { code: 50035 } });
    expect(errorsAt(response.body, path)?.[0]?.code).toEqual(expect.any(String));
  });

  test("takes 100 chat-input, 15 user and 15 message commands in one scope (docs: #registering-a-command)", async () => {
    const body = [
      ...many(100, (i) => chat([], { name: `c${i}` })),
      ...many(15, (i) => ({ type: 2, name: `User ${i}` })),
      ...many(15, (i) => ({ type: 3, name: `Message ${i}`, description: "" })),
    ];
    expect((await put(body)).status).toBe(200);
    expect((await put(body, "guild")).status).toBe(200);
  });

  test("accepts default_member_permissions as the docs' string or the OpenAPI spec's integer, and answers with the string", async () => {
    // docs: #application-command-structure types it "?string"; the official OpenAPI spec, integer.
    const response = await put([
      chat([], { name: "a", default_member_permissions: 32 }),
      chat([], { name: "b", default_member_permissions: "32" }),
    ]);
    expect(response.status).toBe(200);
    const stored = response.body as unknown as { default_member_permissions: string }[];
    expect(stored.map((c) => c.default_member_permissions)).toEqual(["32", "32"]);
  });

  test("stores integration_types and contexts as given (docs: #contexts)", async () => {
    const response = await put([chat([], { integration_types: [0, 1], contexts: [0, 1, 2] })]);
    expect(response.body).toMatchObject([{ integration_types: [0, 1], contexts: [0, 1, 2] }]);
  });
});

describe("the 8,000-character limit per command (docs: #slash-commands)", () => {
  // name 10 + description 100, and 5 options of name 2 + description + 8 choices × (100 + 96):
  // 7,960 + 5 × the option description's longest localization.
  const sized = (localized: string) =>
    chat(
      many(5, (i) =>
        str(`o${i}`, {
          description_localizations: { ko: localized },
          choices: many(8, (j) => ({ name: "n".repeat(100), value: `${i}-${j}`.padEnd(96, "v") })),
        }),
      ),
      { name: "p".repeat(10), description: "d".repeat(100) },
    );

  test("counts each field at its longest localization: 8,000 passes, 8,005 is refused", async () => {
    expect((await put([sized("x".repeat(8))])).status).toBe(200);
    const refused = await put([sized("x".repeat(9))]);
    expect(refused).toMatchObject({ status: 400, body: { code: 50035 } });
    expect(errorsAt(refused.body, [0])?.[0]?.code).toBe("APPLICATION_COMMAND_TOO_LARGE");
  });
});
