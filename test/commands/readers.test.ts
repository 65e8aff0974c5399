import { copyFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import type { RunningBot } from "../../src/app/bot.js";
import { bot, type DeliveryWorld, deliveryWorld } from "../support/delivery-world.js";
import { type InteractionView, interact, slash } from "../support/interact.js";
import { FIXTURES } from "../support/paths.js";

let world: DeliveryWorld;
let running: RunningBot;
beforeAll(async () => {
  world = await deliveryWorld({ emulator: { rateLimits: { enabled: false } } });
  copyFileSync(
    join(FIXTURES, "corpus-authors-python-list-labelled", "input.md"),
    join(world.digestsDir, "2024-10-22.md"),
  );
  running = await bot(world);
});
afterAll(async () => {
  await running.stop();
  await world.emulator.close();
});

const base = (locale = "en-US") => ({
  guild_id: world.guild.id,
  channel_id: world.guild.text,
  locale,
});
type Embed = { title: string; description: string; footer: { text: string } };
type Row = {
  components: { custom_id: string; disabled?: boolean; options?: { value: string }[] }[];
};

function embedOf(view: InteractionView): Embed {
  const embed = view.original?.embeds[0];
  if (!embed) throw new Error(`no embed in ${JSON.stringify(view.original)}`);
  return embed as unknown as Embed;
}

function rowOf(view: InteractionView): Row {
  const row = view.original?.components[0];
  if (!row) throw new Error(`no components in ${JSON.stringify(view.original)}`);
  return row as unknown as Row;
}

describe("reader commands", () => {
  test("/top pages forwards and back with buttons that keep working after a restart", async () => {
    const first = await interact(world.emulator, {
      ...base(),
      type: 2,
      data: slash("top", [
        { type: 3, name: "period", value: "all" },
        { type: 4, name: "count", value: 14 },
      ]),
    });
    const embed = embedOf(first);
    expect(embed.footer.text).toBe("page 1 of 2");
    expect(embed.description.split("\n")).toHaveLength(10);
    const [prev, next] = rowOf(first).components;
    expect(prev?.disabled).toBe(true);
    expect(next?.custom_id).toBe("top:all:-:14:1");

    await running.stop();
    running = await bot(world); // a new process would have no memory of the first reply
    const pressed = await interact(world.emulator, {
      ...base(),
      type: 3,
      message_id: first.original?.id,
      data: { custom_id: next?.custom_id, component_type: 2 },
    });
    expect(pressed.callbacks[0]?.type).toBe(7);
    const page2 = pressed.callbacks[0]?.data as { embeds: Embed[]; components: Row[] };
    expect(page2.embeds[0]?.footer.text).toBe("page 2 of 2");
    expect(page2.embeds[0]?.description.split("\n")).toHaveLength(4);
    expect(page2.components[0]?.components[0]?.custom_id).toBe("top:all:-:14:0");
  });

  test("/top with a bad date explains the format", async () => {
    const view = await interact(world.emulator, {
      ...base("ko"),
      type: 2,
      data: slash("top", [{ type: 3, name: "date", value: "2024-13-45" }]),
    });
    expect(view.original).toMatchObject({
      ephemeral: true,
      content: expect.stringContaining("YYYY-MM-DD"),
    });
  });

  test("/author suggests names ignoring accents and lists their papers newest first", async () => {
    const suggest = await interact(world.emulator, {
      ...base(),
      type: 4,
      data: slash("author", [{ type: 3, name: "name", value: "kegl", focused: true }]),
    });
    const choices = (suggest.callbacks[0]?.data?.choices ?? []) as { value: string }[];
    expect(choices[0]?.value).toBe("Balázs Kégl");
    const view = await interact(world.emulator, {
      ...base(),
      type: 2,
      data: slash("author", [{ type: 3, name: "name", value: "balazs KEGL" }]),
    });
    expect(embedOf(view).title).toBe("👤 Balázs Kégl — 1 paper");
  });

  test("/search finds Korean words inside longer words", async () => {
    const view = await interact(world.emulator, {
      ...base("ko"),
      type: 2,
      data: slash("search", [{ type: 3, name: "text", value: "디코딩" }]),
    });
    const embed = embedOf(view);
    expect(embed.title).toMatch(/^🔎 "디코딩" — \d+건$/);
    expect(embed.description).toContain("Speculative Streaming");
  });

  test("/digest lists a day's papers and its menu opens one paper", async () => {
    const view = await interact(world.emulator, {
      ...base(),
      type: 2,
      data: slash("digest", [{ type: 3, name: "date", value: "2024-02-20" }]),
    });
    expect(view.original?.content).toContain("Daily Papers — 2024-02-20");
    const menu = rowOf(view).components[0];
    expect(menu?.options).toHaveLength(14);
    const picked = await interact(world.emulator, {
      ...base(),
      type: 3,
      message_id: view.original?.id,
      data: { custom_id: menu?.custom_id, component_type: 3, values: ["2402.11131"] },
    });
    expect(picked.original).toMatchObject({ ephemeral: true });
    expect(embedOf(picked).title).toMatch(/^Speculative Streaming/);
  });

  test.each([
    ["author", [{ type: 3, name: "name", value: "Nobody Atall" }], 'No papers by "Nobody Atall".'],
    ["search", [{ type: 3, name: "text", value: "qqqzzz" }], 'Nothing matches "qqqzzz".'],
    [
      "digest",
      [{ type: 3, name: "date", value: "2031-01-01" }],
      "There is no digest for 2031-01-01.",
    ],
    [
      "digest",
      [{ type: 3, name: "date", value: "yesterday!" }],
      '"yesterday!" is not a date. Use YYYY-MM-DD, for example 2024-02-20.',
    ],
    [
      "top",
      [
        { type: 3, name: "period", value: "date" },
        { type: 3, name: "date", value: "2031-01-01" },
      ],
      "There is no digest for 2031-01-01.",
    ],
  ])("/%s explains a bad option ephemerally", async (name, options, message) => {
    const view = await interact(world.emulator, { ...base(), type: 2, data: slash(name, options) });
    expect(view.original).toMatchObject({ ephemeral: true, content: message });
  });
});
