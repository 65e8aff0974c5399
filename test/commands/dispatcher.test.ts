import type { Client } from "discord.js";
import { MessageFlags } from "discord.js";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import type { Emulator } from "../../emulator/server.js";
import { type Command, type CommandContext, UserError } from "../../src/commands/command.js";
import { Dispatcher } from "../../src/commands/dispatcher.js";
import { readyClient } from "../support/discord.js";
import { emulatorWithGuild, type TestGuild } from "../support/emulator-world.js";
import { interact, slash } from "../support/interact.js";
import { memoryLogger } from "../support/logger.js";

let emulator: Emulator;
let guild: TestGuild;
let client: Client;
const { logger, lines } = memoryLogger();

const data = (name: string) => ({
  name,
  description: "d",
  name_localizations: { ko: name },
  description_localizations: { ko: "d" },
});
const commands = new Map<string, Command>([
  [
    "boom",
    {
      data: data("boom"),
      execute: async () => {
        throw new TypeError("a bug");
      },
    },
  ],
  [
    "oops",
    {
      data: data("oops"),
      execute: async () => {
        throw new UserError({ ko: "날짜가 틀렸어요", en: "That date is wrong" });
      },
    },
  ],
  [
    "slow",
    {
      data: data("slow"),
      execute: async (interaction) => {
        await interaction.deferReply({ flags: MessageFlags.Ephemeral });
        throw new Error("failed after deferring");
      },
    },
  ],
  [
    "hint",
    {
      data: data("hint"),
      execute: async () => {},
      autocomplete: async () => {
        throw new Error("autocomplete bug");
      },
    },
  ],
]);

beforeAll(async () => {
  ({ emulator, guild } = await emulatorWithGuild({ rateLimits: { enabled: false } }));
  client = await readyClient(emulator);
  const dispatcher = new Dispatcher(commands, {} as CommandContext, logger);
  client.on("interactionCreate", (interaction) => void dispatcher.handle(interaction));
});
afterAll(async () => {
  await client.destroy();
  await emulator.close();
});

const base = (locale: string) => ({ guild_id: guild.id, channel_id: guild.text, locale });

describe("the dispatcher", () => {
  test("a bug is answered ephemerally with a reference that is logged with the error", async () => {
    const view = await interact(emulator, { ...base("en-US"), type: 2, data: slash("boom") });
    expect(view.original?.ephemeral).toBe(true);
    const ref = /reference: `([0-9A-F]{6})`/.exec(view.original?.content ?? "")?.[1];
    expect(ref).toBeDefined();
    const logged = lines().find((l) => l.msg === "command failed");
    expect(logged).toMatchObject({ ref, err: { message: "a bug" } });
  });

  test("a user's mistake is explained in their language and not logged as a bug", async () => {
    const before = lines().length;
    const view = await interact(emulator, { ...base("ko"), type: 2, data: slash("oops") });
    expect(view.original).toMatchObject({ ephemeral: true, content: "날짜가 틀렸어요" });
    expect(
      lines()
        .slice(before)
        .some((l) => (l.level as number) >= 50),
    ).toBe(false);
  });

  test("a failure after deferring still reaches the user, in the deferred reply", async () => {
    const view = await interact(emulator, { ...base("en-US"), type: 2, data: slash("slow") });
    expect(view.callbacks[0]?.type).toBe(5);
    expect(view.followups).toEqual([]);
    expect(view.original).toMatchObject({
      ephemeral: true,
      content: expect.stringContaining("Something went wrong"),
    });
  });

  test("a failing autocomplete still answers, with no choices", async () => {
    const view = await interact(emulator, {
      ...base("en-US"),
      type: 4,
      data: slash("hint", [{ type: 3, name: "q", value: "x", focused: true }]),
    });
    expect(view.callbacks[0]).toMatchObject({ type: 8, data: { choices: [] } });
  });
});
