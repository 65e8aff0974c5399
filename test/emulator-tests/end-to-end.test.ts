import type { Client, TextChannel } from "discord.js";
import { afterAll, expect, test } from "vitest";
import type { Emulator } from "../../emulator/server.js";
import { control, readyClient } from "../support/discord.js";
import { emulatorWithGuild } from "../support/emulator-world.js";

let emulator: Emulator | undefined;
let bot: Client | undefined;
afterAll(async () => {
  await bot?.destroy();
  await emulator?.close();
});

test("the real discord.js client logs in, registers commands, posts through a 429 storm exactly once, and answers a command and an autocomplete", async () => {
  const world = await emulatorWithGuild();
  emulator = world.emulator;
  const { guild } = world;
  bot = await readyClient(emulator);

  const registered = await bot.application?.commands.set([
    {
      name: "paper",
      description: "Find a paper",
      nameLocalizations: { ko: "논문" },
      descriptionLocalizations: { ko: "논문 찾기" },
      options: [
        {
          type: 3,
          name: "query",
          description: "Title or arXiv id",
          autocomplete: true,
          required: true,
        },
      ],
    },
  ]);
  expect(registered?.size).toBe(1);

  bot.on("interactionCreate", async (interaction) => {
    if (interaction.isAutocomplete()) {
      await interaction.respond([{ name: "Speculative Streaming", value: "2402.11131" }]);
    } else if (interaction.isChatInputCommand()) {
      await interaction.reply({
        content: `paper ${interaction.options.getString("query")}`,
        allowedMentions: { parse: [] },
      });
    }
  });

  await control(emulator, "POST", "faults", {
    route: "POST /channels/:channel/messages",
    status: 429,
    scope: "user",
    rate: 0.5,
    times: 6,
    retry_after_ms: 100,
  });
  const channel = bot.channels.cache.get(guild.text) as TextChannel;
  const contents = Array.from({ length: 8 }, (_, i) => `paper ${i + 1} of 8 @everyone`);
  for (const content of contents) await channel.send({ content, allowedMentions: { parse: [] } });
  const stored = await control<{ content: string; pinged: { everyone: boolean } }[]>(
    emulator,
    "GET",
    `channels/${guild.text}/messages`,
  );
  expect(stored.map((m) => m.content)).toEqual(contents);
  expect(stored.every((m) => !m.pinged.everyone)).toBe(true);
  const stats = await control<{ rate_limited: { user: number } }>(emulator, "GET", "stats");
  expect(stats.rate_limited.user).toBeGreaterThan(0);

  const commandId = registered?.first()?.id;
  const ask = async (type: number, value: string, focused: boolean) => {
    const { id } = await control<{ id: string }>(emulator as Emulator, "POST", "interactions", {
      guild_id: guild.id,
      channel_id: guild.text,
      locale: "ko",
      type,
      data: {
        id: commandId,
        name: "paper",
        type: 1,
        options: [{ type: 3, name: "query", value, ...(focused ? { focused } : {}) }],
      },
    });
    for (let i = 0; i < 200; i++) {
      const view = await control<{ callbacks: { type: number; data: unknown; at_ms: number }[] }>(
        emulator as Emulator,
        "GET",
        `interactions/${id}`,
      );
      if (view.callbacks.length > 0) return view.callbacks[0];
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    throw new Error("no answer");
  };
  expect(await ask(4, "spec", true)).toMatchObject({
    type: 8,
    data: { choices: [{ value: "2402.11131" }] },
  });
  const reply = await ask(2, "2402.11131", false);
  expect(reply).toMatchObject({ type: 4, data: { content: "paper 2402.11131" } });
  expect(reply?.at_ms).toBeLessThan(3000);
});
