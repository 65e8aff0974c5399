import { afterAll, beforeAll, describe, expect, test } from "vitest";
import type { RunningBot } from "../../src/app/bot.js";
import { bot, type DeliveryWorld, deliveryWorld } from "../support/delivery-world.js";
import { interact, slash } from "../support/interact.js";

let world: DeliveryWorld;
let running: RunningBot;
beforeAll(async () => {
  world = await deliveryWorld({ emulator: { rateLimits: { enabled: false } } });
  running = await bot(world);
});
afterAll(async () => {
  await running.stop();
  await world.emulator.close();
});

const base = () => ({ guild_id: world.guild.id, channel_id: world.guild.text });

describe("/paper", () => {
  test("autocomplete suggests titles with ids, tolerating a typo, within Discord's limits", async () => {
    const view = await interact(world.emulator, {
      ...base(),
      type: 4,
      data: slash("paper", [
        { type: 3, name: "query", value: "speculativ streming", focused: true },
      ]),
    });
    const choices = (view.callbacks[0]?.data?.choices ?? []) as { name: string; value: string }[];
    expect(view.callbacks[0]?.type).toBe(8);
    expect(choices[0]).toEqual({
      name: "Speculative Streaming: Fast LLM Inference without Auxiliary Models (2402.11131)",
      value: "2402.11131",
    });
    expect(choices.length).toBeLessThanOrEqual(25);
    for (const choice of choices) expect([...choice.name].length).toBeLessThanOrEqual(100);
  });

  test("answers with the paper's embed and link buttons, in the user's language", async () => {
    const view = await interact(world.emulator, {
      ...base(),
      locale: "ko",
      type: 2,
      data: slash("paper", [{ type: 3, name: "query", value: "2402.11131" }]),
    });
    expect(view.callbacks[0]?.type).toBe(4);
    const embed = view.original?.embeds[0] as { title: string; footer: { text: string } };
    expect(embed.title).toBe("Speculative Streaming: Fast LLM Inference without Auxiliary Models");
    expect(embed.footer.text).toBe("Daily Papers 2024-02-20 · 14편 중 1위");
    const row = view.original?.components[0] as { components: { label: string }[] } | undefined;
    const buttons = row?.components ?? [];
    expect(buttons.map((b) => b.label)).toEqual(["arXiv", "PDF", "Hugging Face"]);
  });

  test("no match is explained ephemerally in the user's language", async () => {
    const view = await interact(world.emulator, {
      ...base(),
      locale: "en-US",
      type: 2,
      data: slash("paper", [{ type: 3, name: "query", value: "zzzz qqqq" }]),
    });
    expect(view.original).toMatchObject({
      ephemeral: true,
      content: expect.stringContaining('No paper matches "zzzz qqqq"'),
    });
  });

  test("an unknown command gets an ephemeral answer instead of silence", async () => {
    const view = await interact(world.emulator, {
      ...base(),
      locale: "ko",
      type: 2,
      data: slash("nonexistent"),
    });
    expect(view.original).toMatchObject({
      ephemeral: true,
      content: expect.stringContaining("알 수 없는 명령"),
    });
  });
});
