import { afterAll, beforeAll, describe, expect, test } from "vitest";
import type { Emulator } from "../../emulator/server.js";
import { chat, errorsAt, group, putCommands, str, sub } from "../support/command-bodies.js";
import { emulatorWithGuild, type TestGuild } from "../support/emulator-world.js";

// Sources: docs = discord-api-docs, developers/interactions/application-commands.mdx
// (#application-command-option-structure, #subcommands-and-subcommand-groups).

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
    "a required option after an optional one (docs: #application-command-option-structure)",
    [chat([str("a"), str("b", { required: true })])],
    [0, "options", 1, "required"],
  ],
  [
    "two options with one name (docs: name unique within an array of options)",
    [chat([str("q"), str("q")])],
    [0, "options", 1, "name"],
  ],
  [
    "two options with one name inside a subcommand",
    [chat([sub("find", [str("q"), str("q")])])],
    [0, "options", 0, "options", 1, "name"],
  ],
  [
    "choices on a boolean option (docs: choices only STRING, INTEGER, NUMBER)",
    [chat([{ type: 5, name: "b", description: "d", choices: [{ name: "y", value: "y" }] }])],
    [0, "options", 0, "choices"],
  ],
  [
    "an integer option with a string choice value (docs: value type follows the option)",
    [chat([{ type: 4, name: "n", description: "d", choices: [{ name: "one", value: "1" }] }])],
    [0, "options", 0, "choices", 0, "value"],
  ],
  [
    "an integer option with a fractional choice value",
    [chat([{ type: 4, name: "n", description: "d", choices: [{ name: "half", value: 0.5 }] }])],
    [0, "options", 0, "choices", 0, "value"],
  ],
  [
    "a string option with a numeric choice value",
    [chat([str("s", { choices: [{ name: "one", value: 1 }] })])],
    [0, "options", 0, "choices", 0, "value"],
  ],
  [
    "a string choice value over 100 (docs: #application-command-option-choice-structure)",
    [chat([str("s", { choices: [{ name: "a", value: "v".repeat(101) }] })])],
    [0, "options", 0, "choices", 0, "value"],
  ],
  [
    "a choice name over 100",
    [chat([str("s", { choices: [{ name: "n".repeat(101), value: "v" }] })])],
    [0, "options", 0, "choices", 0, "name"],
  ],
  [
    "autocomplete together with choices (docs: ** autocomplete may not be set if choices)",
    [chat([str("s", { autocomplete: true, choices: [{ name: "a", value: "a" }] })])],
    [0, "options", 0, "autocomplete"],
  ],
  [
    "max_length 0 (docs: max_length minimum 1)",
    [chat([str("s", { max_length: 0 })])],
    [0, "options", 0, "max_length"],
  ],
  [
    "max_length 6,001 (docs: maximum 6000)",
    [chat([str("s", { max_length: 6001 })])],
    [0, "options", 0, "max_length"],
  ],
  [
    "min_length -1 (docs: min_length minimum 0)",
    [chat([str("s", { min_length: -1 })])],
    [0, "options", 0, "min_length"],
  ],
  [
    "min_length on an integer option (docs: valid option types STRING)",
    [chat([{ type: 4, name: "n", description: "d", min_length: 1 }])],
    [0, "options", 0, "min_length"],
  ],
  [
    "min_value on a string option (docs: valid option types INTEGER, NUMBER)",
    [chat([str("s", { min_value: 1 })])],
    [0, "options", 0, "min_value"],
  ],
  [
    "a fractional max_value on an integer option",
    [chat([{ type: 4, name: "n", description: "d", max_value: 2.5 }])],
    [0, "options", 0, "max_value"],
  ],
  [
    "a subcommand next to a plain option (docs: #subcommands-and-subcommand-groups)",
    [chat([sub("find"), str("q")])],
    [0, "options"],
  ],
  [
    "a plain option directly in a group (docs: groups hold subcommands)",
    [chat([group("g", [str("q")])])],
    [0, "options", 0, "options", 0, "type"],
  ],
  [
    "a group inside a group (docs: nesting one level deep)",
    [chat([group("g", [group("h", [sub("s")])])])],
    [0, "options", 0, "options", 0, "type"],
  ],
  [
    "a subcommand inside a subcommand (docs: that is the only kind of nesting supported)",
    [chat([sub("a", [sub("b")])])],
    [0, "options", 0, "options", 0, "type"],
  ],
];

describe("application command option rules (docs: #application-command-option-structure)", () => {
  test.each(REFUSED)("refuses %s with 400/50035", async (_name, body, path, scope) => {
    const response = await put(body, scope);
    expect(response).toMatchObject({ status: 400, body: { code: 50035 } });
    expect(errorsAt(response.body, path)?.[0]?.code).toEqual(expect.any(String));
  });

  test("takes a group of subcommands next to a subcommand, with bounds and choices of the right types", async () => {
    const command = chat([
      group("channel", [
        sub("add", [{ type: 7, name: "where", description: "d", required: true }, str("mode")]),
      ]),
      sub("top", [
        { type: 4, name: "n", description: "d", min_value: 1, max_value: 25 },
        { type: 10, name: "score", description: "d", choices: [{ name: "half", value: 0.5 }] },
        str("query", { min_length: 0, max_length: 6000, autocomplete: true }),
      ]),
    ]);
    expect((await put([command])).status).toBe(200);
  });
});
