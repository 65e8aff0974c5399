import {
  ActionRowBuilder,
  ButtonBuilder,
  ButtonStyle,
  type Client,
  type Interaction,
  MessageFlags,
  ModalBuilder,
  type TextChannel,
  TextInputBuilder,
  TextInputStyle,
} from "discord.js";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import type { Emulator } from "../../emulator/server.js";
import { control, readyClient, rest } from "../support/discord.js";
import { emulatorWithGuild, type TestGuild } from "../support/emulator-world.js";

let emulator: Emulator;
let guild: TestGuild;
let bot: Client;
let handler: (interaction: Interaction) => Promise<void> = async () => {};

beforeAll(async () => {
  ({ emulator, guild } = await emulatorWithGuild());
  bot = await readyClient(emulator);
  bot.on("interactionCreate", (interaction) => {
    void handler(interaction).catch((error: unknown) =>
      console.error("interaction handler failed", error),
    );
  });
});
afterAll(async () => {
  await bot.destroy();
  await emulator.close();
});

interface View {
  callbacks: { type: number; data: Record<string, unknown> | null; at_ms: number }[];
  original: Record<string, unknown> | null;
  followups: Record<string, unknown>[];
}

const quiet = { allowedMentions: { parse: [] } };
const command = (name: string, options: unknown[] = []) => ({
  id: "123456789012345678",
  name,
  type: 1,
  options,
});

/** Sends an interaction through the control API and waits until `done` holds for its record. */
async function interact(
  body: Record<string, unknown>,
  done: (view: View) => boolean,
): Promise<{ id: string; token: string; view: View }> {
  const created = await control<{ id: string; token: string }>(emulator, "POST", "interactions", {
    guild_id: guild.id,
    channel_id: guild.text,
    ...body,
  });
  const start = Date.now();
  for (;;) {
    const view = await control<View>(emulator, "GET", `interactions/${created.id}`);
    if (done(view)) return { ...created, view };
    if (Date.now() - start > 4000)
      throw new Error(`interaction not answered: ${JSON.stringify(view)}`);
    await new Promise((resolve) => setTimeout(resolve, 15));
  }
}

describe("emulator interactions with the real discord.js client", () => {
  test("a slash command answered by reply records a type 4 callback within the deadline", async () => {
    handler = async (i) => {
      if (i.isChatInputCommand()) await i.reply({ content: `hi ${i.user.id}`, ...quiet });
    };
    const { view } = await interact(
      { type: 2, data: command("paper"), user_id: "323456789012345678" },
      (v) => v.callbacks.length > 0,
    );
    expect(view.callbacks[0]).toMatchObject({
      type: 4,
      data: { content: "hi 323456789012345678" },
    });
    expect(view.callbacks[0]?.at_ms).toBeLessThan(3000);
    expect(view.original).toMatchObject({
      content: "hi 323456789012345678",
      ephemeral: false,
      pinged: { everyone: false },
    });
  });

  test("defer then editReply turns the loading reply into the answer; ephemeral stays out of the channel", async () => {
    handler = async (i) => {
      if (!i.isChatInputCommand()) return;
      await i.deferReply({ flags: MessageFlags.Ephemeral });
      await i.editReply({ content: "done", ...quiet });
    };
    const { view } = await interact(
      { type: 2, data: command("top") },
      (v) => v.original?.content === "done",
    );
    expect(view.callbacks.map((c) => c.type)).toEqual([5]);
    expect(view.original).toMatchObject({ ephemeral: true });
    expect(Number(view.original?.flags) & 128).toBe(0);
    const listed = await control<{ content: string }[]>(
      emulator,
      "GET",
      `channels/${guild.text}/messages`,
    );
    expect(listed.some((m) => m.content === "done")).toBe(false);
  });

  test("a follow-up after the reply is recorded and fetchable", async () => {
    handler = async (i) => {
      if (!i.isChatInputCommand()) return;
      await i.reply({ content: "first", ...quiet });
      await i.followUp({ content: "second", ...quiet });
      const original = await i.fetchReply();
      await i.followUp({ content: `original was ${original.content}`, ...quiet });
    };
    const { view } = await interact(
      { type: 2, data: command("digest") },
      (v) => v.followups.length === 2,
    );
    expect(view.followups.map((m) => m.content)).toEqual(["second", "original was first"]);
  });

  test("autocomplete is answered with choices (type 8)", async () => {
    handler = async (i) => {
      if (i.isAutocomplete())
        await i.respond([{ name: `match for ${i.options.getFocused()}`, value: "2402.11131" }]);
    };
    const data = {
      ...command("paper", [{ type: 3, name: "query", value: "spec", focused: true }]),
    };
    const { view } = await interact({ type: 4, data }, (v) => v.callbacks.length > 0);
    expect(view.callbacks[0]).toMatchObject({
      type: 8,
      data: { choices: [{ name: "match for spec", value: "2402.11131" }] },
    });
  });

  test("a button press can update its message (type 7) or defer the update (type 6)", async () => {
    const channel = bot.channels.cache.get(guild.text) as TextChannel;
    const row = new ActionRowBuilder<ButtonBuilder>().addComponents(
      new ButtonBuilder().setCustomId("page:2").setLabel("Next").setStyle(ButtonStyle.Primary),
    );
    const message = await channel.send({ content: "page 1", components: [row], ...quiet });
    handler = async (i) => {
      if (i.isButton()) await i.update({ content: `page ${i.customId.split(":")[1]}` });
    };
    const pressed = {
      type: 3,
      message_id: message.id,
      data: { custom_id: "page:2", component_type: 2 },
    };
    const { view } = await interact(pressed, (v) => v.callbacks.length > 0);
    expect(view.callbacks[0]?.type).toBe(7);
    expect(
      (await rest(emulator, "GET", `/channels/${guild.text}/messages/${message.id}`)).body.content,
    ).toBe("page 2");

    handler = async (i) => {
      if (i.isButton()) await i.deferUpdate();
    };
    const deferred = await interact(pressed, (v) => v.callbacks.length > 0);
    expect(deferred.view.callbacks[0]?.type).toBe(6);
  });

  test("a command can open a modal (type 9)", async () => {
    handler = async (i) => {
      if (!i.isChatInputCommand()) return;
      const input = new TextInputBuilder()
        .setCustomId("q")
        .setLabel("Query")
        .setStyle(TextInputStyle.Short);
      await i.showModal(
        new ModalBuilder()
          .setCustomId("search")
          .setTitle("Search")
          .addComponents(new ActionRowBuilder<TextInputBuilder>().addComponents(input)),
      );
    };
    const { view } = await interact(
      { type: 2, data: command("search") },
      (v) => v.callbacks.length > 0,
    );
    expect(view.callbacks[0]).toMatchObject({
      type: 9,
      data: { custom_id: "search", title: "Search" },
    });
  });

  test("the @original message can be read, edited and deleted over the webhook routes", async () => {
    handler = async (i) => {
      if (i.isChatInputCommand()) await i.reply({ content: "to delete", ...quiet });
    };
    const { token, view } = await interact(
      { type: 2, data: command("status") },
      (v) => v.original !== null,
    );
    const app = emulator.ctx.world.applicationId;
    expect(
      (await rest(emulator, "GET", `/webhooks/${app}/${token}/messages/@original`, undefined, null))
        .body.content,
    ).toBe("to delete");
    expect(
      (
        await rest(
          emulator,
          "PATCH",
          `/webhooks/${app}/${token}/messages/@original`,
          { content: "edited" },
          null,
        )
      ).body.content,
    ).toBe("edited");
    expect(
      (
        await rest(
          emulator,
          "DELETE",
          `/webhooks/${app}/${token}/messages/@original`,
          undefined,
          null,
        )
      ).status,
    ).toBe(204);
    expect(
      (await rest(emulator, "GET", `/webhooks/${app}/${token}/messages/@original`, undefined, null))
        .body.code,
    ).toBe(10008);
    expect(view.original?.id).toBeDefined();
  });
});

/** An interaction in the guild's text channel that the bot's handler will ignore. */
function createInteraction(type: number): Promise<{ id: string; token: string }> {
  return control<{ id: string; token: string }>(emulator, "POST", "interactions", {
    guild_id: guild.id,
    channel_id: guild.text,
    type,
    data: command("paper"),
  });
}

describe("emulator interaction rules", () => {
  const noHandler = async () => {};

  test("answering twice is 400/40060", async () => {
    handler = noHandler;
    const { id, token } = await createInteraction(2);
    const reply = { type: 4, data: { content: "one", allowed_mentions: { parse: [] } } };
    expect(
      (await rest(emulator, "POST", `/interactions/${id}/${token}/callback`, reply, null)).status,
    ).toBe(204);
    expect(
      await rest(emulator, "POST", `/interactions/${id}/${token}/callback`, reply, null),
    ).toMatchObject({ status: 400, body: { code: 40060 } });
  });

  test("a first answer later than 3 s is 404/10062", async () => {
    handler = noHandler;
    const { id, token } = await createInteraction(2);
    await control(emulator, "POST", "clock", { advance_ms: 3001 });
    expect(
      await rest(emulator, "POST", `/interactions/${id}/${token}/callback`, { type: 5 }, null),
    ).toMatchObject({ status: 404, body: { code: 10062 } });
  });

  test("a token older than 15 minutes can no longer edit or follow up (404)", async () => {
    handler = noHandler;
    const { id, token } = await createInteraction(2);
    await rest(emulator, "POST", `/interactions/${id}/${token}/callback`, { type: 5 }, null);
    const app = emulator.ctx.world.applicationId;
    expect(
      (
        await rest(
          emulator,
          "PATCH",
          `/webhooks/${app}/${token}/messages/@original`,
          { content: "ok" },
          null,
        )
      ).status,
    ).toBe(200);
    await control(emulator, "POST", "clock", { advance_ms: 15 * 60 * 1000 });
    expect(
      (
        await rest(
          emulator,
          "PATCH",
          `/webhooks/${app}/${token}/messages/@original`,
          { content: "late" },
          null,
        )
      ).status,
    ).toBe(404);
    expect(
      (
        await rest(
          emulator,
          "POST",
          `/webhooks/${app}/${token}?wait=true`,
          { content: "late" },
          null,
        )
      ).status,
    ).toBe(404);
  });

  test("autocomplete over 25 choices or with a 101-character name is 400/50035", async () => {
    handler = noHandler;
    const create = () => createInteraction(4);
    const many = await create();
    const choices = Array.from({ length: 26 }, (_, i) => ({ name: `c${i}`, value: `c${i}` }));
    const tooMany = await rest(
      emulator,
      "POST",
      `/interactions/${many.id}/${many.token}/callback`,
      { type: 8, data: { choices } },
      null,
    );
    expect(tooMany).toMatchObject({
      status: 400,
      body: {
        code: 50035,
        errors: { data: { choices: { _errors: [{ code: "BASE_TYPE_MAX_LENGTH" }] } } },
      },
    });
    const long = await create();
    const longName = await rest(
      emulator,
      "POST",
      `/interactions/${long.id}/${long.token}/callback`,
      { type: 8, data: { choices: [{ name: "x".repeat(101), value: "v" }] } },
      null,
    );
    expect(longName).toMatchObject({
      status: 400,
      body: {
        code: 50035,
        errors: {
          data: { choices: { "0": { name: { _errors: [{ code: "BASE_TYPE_BAD_LENGTH" }] } } } },
        },
      },
    });
  });

  test("a callback type the interaction does not allow is rejected", async () => {
    handler = noHandler;
    const { id, token } = await createInteraction(4);
    expect(
      await rest(
        emulator,
        "POST",
        `/interactions/${id}/${token}/callback`,
        { type: 4, data: { content: "x" } },
        null,
      ),
    ).toMatchObject({ status: 400, body: { code: 50035 } });
  });
});
