import { afterAll, beforeAll, expect, test } from "vitest";
import type { RunningBot } from "../../src/app/bot.js";
import { bot, type DeliveryWorld, deliveryWorld } from "../support/delivery-world.js";
import { control } from "../support/discord.js";
import type { InteractionView } from "../support/interact.js";
import { prng } from "../support/prng.js";

// Interactions as hostile as Discord lets through: every command and made-up ones, options of
// the wrong type, out of range, huge, empty or odd text, autocomplete on any option, and buttons
// and menus with made-up custom ids, in any locale. The bot must answer each one, never with
// "something went wrong" (a bug), and keep serving.

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

const COMMANDS = ["paper", "top", "author", "search", "digest", "status", "config", "repost"];
const OPTION_NAMES = ["id", "query", "name", "date", "count", "period", "page", "channel", "cron"];
const TEXTS = [
  "",
  " ",
  "x".repeat(6000),
  "2402.12345",
  "2024-02-30",
  "9999-12-31",
  "0000-00-00",
  "@everyone",
  "<@&123456789012345678>",
  "**bold** [link](javascript:alert(1))",
  "\u0000\u202e\ud83d",
  "최신 논문",
  "%s%n%x",
  "'; DROP TABLE deliveries; --",
  "-1",
  "NaN",
];
const NUMBERS = [-1, 0, 1, 25, 26, 1e9, -1e15, 2 ** 53, 0.5];

function payloads(seed: number, count: number): Record<string, unknown>[] {
  const random = prng(seed);
  const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)] as T;
  const value = () =>
    random() < 0.6 ? pick(TEXTS) : random() < 0.8 ? pick(NUMBERS) : random() < 0.5;
  const options = (focused: boolean) =>
    Array.from({ length: Math.floor(random() * 3) }, (_, i) => ({
      name: pick(OPTION_NAMES),
      type: pick([3, 4, 10, 5, 7]),
      value: value(),
      ...(focused && i === 0 ? { focused: true } : {}),
    }));
  const subcommand = () => ({
    name: pick(["show", "schedule", "channel", "language", "add", "list", "remove", "x"]),
    type: 1,
    options: options(false),
  });
  return Array.from({ length: count }, () => {
    const kind = random();
    const where =
      random() < 0.85 ? { guild_id: world.guild.id, channel_id: world.guild.text } : { context: 1 };
    const locale = pick(["ko", "en-US", "fr", "ja", "en-GB"]);
    const admin = random() < 0.5 ? { member_permissions: "8" } : {};
    if (kind < 0.5) {
      const name = random() < 0.9 ? pick(COMMANDS) : "made-up";
      const data = {
        id: "123456789012345678",
        name,
        type: 1,
        options: name === "config" ? [subcommand()] : options(false),
      };
      return { type: 2, data, locale, ...where, ...admin };
    }
    if (kind < 0.8) {
      const data = {
        id: "123456789012345678",
        name: pick(COMMANDS),
        type: 1,
        options: options(true),
      };
      return { type: 4, data, locale, ...where };
    }
    const customId = `${pick([...COMMANDS, "x"])}:${pick(TEXTS).slice(0, 40)}:${pick(NUMBERS)}`;
    const data = { custom_id: customId.slice(0, 100), component_type: pick([2, 3]), values: ["1"] };
    return { type: 3, data, locale, ...where, ...admin };
  });
}

async function answerOf(id: string): Promise<InteractionView> {
  const start = Date.now();
  for (;;) {
    const view = await control<InteractionView>(world.emulator, "GET", `interactions/${id}`);
    const deferredOnly = view.callbacks[0]?.type === 5 && view.original === null;
    if (view.callbacks.length > 0 && !deferredOnly) return view;
    if (Date.now() - start > 5000) return view;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

test("hostile interaction payloads are all answered, none as a bug, and the bot keeps serving", async () => {
  let accepted = 0;
  const unanswered: unknown[] = [];
  const bugs: unknown[] = [];
  for (const payload of payloads(20261125, 300)) {
    let id: string;
    try {
      ({ id } = await control<{ id: string }>(world.emulator, "POST", "interactions", payload));
    } catch {
      continue; // Discord would not send it: the emulator refused to make it
    }
    accepted++;
    const view = await answerOf(id);
    if (view.callbacks.length === 0) unanswered.push(payload);
    const text = JSON.stringify(view.original ?? {}) + JSON.stringify(view.callbacks);
    if (/Something went wrong|문제가 생겼습니다/.test(text)) bugs.push({ payload, text });
  }
  expect(accepted).toBeGreaterThan(150);
  expect(unanswered).toEqual([]);
  expect(bugs).toEqual([]);
  const failures = world
    .lines()
    .filter((line) => /^(command|autocomplete) failed$/.test(String(line.msg)))
    .map((line) => JSON.stringify(line.err).slice(0, 200));
  expect(failures).toEqual([]);
  // Still serving: a plain command gets its normal answer.
  const { id } = await control<{ id: string }>(world.emulator, "POST", "interactions", {
    type: 2,
    data: { id: "123456789012345678", name: "top", type: 1, options: [] },
    guild_id: world.guild.id,
    channel_id: world.guild.text,
  });
  const view = await answerOf(id);
  expect(JSON.stringify(view.original?.embeds ?? [])).toContain("2024-02-20");
}, 240_000);
