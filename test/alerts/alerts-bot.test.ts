import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import type { RunningBot } from "../../src/app/bot.js";
import { bot, type DeliveryWorld, deliveryWorld } from "../support/delivery-world.js";
import { control } from "../support/discord.js";
import { type InteractionView, interact, slash } from "../support/interact.js";

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

const ADMIN = String(1n << 5n);
/** Readers: a different user for each test, so no test sees another's follows. */
const reader = (n: number) => `81000000000000000${n}`;

interface DmView {
  id: string;
  refused: number;
  messages: {
    id: string;
    embeds: { title: string; description: string }[];
    components: { components: { custom_id: string }[] }[];
  }[];
}

/** A paper section: title, authors and Korean summary as a digest writes them. */
const section = (n: number, title: string, authors: string, summary: string) =>
  [
    `### [${title}](https://arxiv.org/abs/2411.${String(20000 + n)})`,
    "",
    `Vote: ${10 + n}`,
    "",
    `Authors: ${authors}`,
    "",
    `- ${summary}`,
    "- 두 번째 요약 줄입니다.",
    "",
  ].join("\n");

function dropDigest(date: string, sections: string[]): void {
  writeFileSync(
    join(world.digestsDir, `${date}.md`),
    [`## Daily Papers (${date})`, "", ...sections].join("\n"),
  );
}

async function command(
  userId: string,
  name: string,
  options: Record<string, unknown>[] = [],
  extra: Record<string, unknown> = {},
): Promise<InteractionView & { id: string }> {
  return interact(world.emulator, {
    guild_id: world.guild.id,
    channel_id: world.guild.text,
    locale: "en-US",
    user_id: userId,
    type: 2,
    data: slash(name, options),
    ...extra,
  });
}

const follow = (userId: string, kind: "author" | "topic", value: string, locale = "en-US") =>
  command(userId, "follow", [{ type: 3, name: kind, value }], { locale });

async function dm(userId: string): Promise<DmView | null> {
  try {
    return await control<DmView>(world.emulator, "GET", `users/${userId}/dm`);
  } catch {
    return null;
  }
}

async function until<T>(
  what: () => Promise<T>,
  ok: (value: T) => boolean,
  ms = 20_000,
): Promise<T> {
  const start = Date.now();
  for (;;) {
    const value = await what();
    if (ok(value)) return value;
    if (Date.now() - start > ms) throw new Error(`timed out: ${JSON.stringify(value)}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe("following authors and topics", () => {
  test("a follow is answered privately, in the reader's language, with the archive's spelling", async () => {
    const added = await follow(reader(1), "author", "nikhil BHENDAWADE");
    expect(added.original).toMatchObject({ ephemeral: true });
    expect(added.original?.content).toContain("Now following author **Nikhil Bhendawade** (1/25)");
    expect(added.original?.content).toContain("Allow direct messages");
    const again = await follow(reader(1), "author", "Nikhil Bhendawade");
    expect(again.original?.content).toContain("You already follow author **Nikhil Bhendawade**");
    const korean = await follow(reader(1), "topic", "디코딩 속도", "ko");
    expect(korean.original?.content).toContain("주제 **디코딩 속도** 팔로우를 시작했습니다 (2/25)");
    const both = await command(reader(1), "follow", [
      { type: 3, name: "author", value: "X" },
      { type: 3, name: "topic", value: "y" },
    ]);
    expect(both.original).toMatchObject({ ephemeral: true });
    expect(both.original?.content).toContain("Give either `author` or `topic`");
    const none = await command(reader(1), "follow", [{ type: 3, name: "topic", value: "!!!" }]);
    expect(none.original?.content).toContain("no letters or digits");
  });

  test("/follow suggests authors from the archive as the reader types", async () => {
    const view = await interact(
      world.emulator,
      {
        guild_id: world.guild.id,
        channel_id: world.guild.text,
        user_id: reader(1),
        type: 4,
        data: {
          ...slash("follow", [{ type: 3, name: "author", value: "bhenda", focused: true }]),
        },
      },
      (v) => v.callbacks.length > 0,
    );
    const choices =
      (view.callbacks[0]?.data as { choices: { value: string }[] } | undefined)?.choices ?? [];
    expect(choices.map((c) => c.value)).toContain("Nikhil Bhendawade");
  });

  test("a reader follows at most 25 things", async () => {
    for (let i = 0; i < 25; i++) {
      const view = await follow(reader(2), "topic", `topic number ${i}`);
      expect(view.original?.content).toContain(`(${i + 1}/25)`);
    }
    const refused = await follow(reader(2), "topic", "one too many");
    expect(refused.original).toMatchObject({ ephemeral: true });
    expect(refused.original?.content).toContain("at most 25");
    expect(await running.core.store.follows(reader(2))).toHaveLength(25);
  });
});

describe("alerts", () => {
  test("a new digest sends each matching reader one DM, never for a digest older than the follow", async () => {
    // reader 1 follows Nikhil Bhendawade, whose paper is in the digest that was there first.
    await follow(reader(3), "author", "Alice Quantum");
    await follow(reader(3), "topic", "widget");
    await follow(reader(4), "topic", "양자 회로");
    await follow(reader(5), "topic", "nothing matches this");
    dropDigest("2024-02-21", [
      section(
        1,
        "Quantum Widgets at Scale",
        "Alice Quantum, Bob Other",
        "양자 회로를 크게 만듭니다.",
      ),
      section(2, "Unrelated Work", "Carol Else", "관계없는 연구입니다."),
      section(3, "More Widgets", "Dan Four", "위젯 이야기."),
    ]);
    const three = await until(
      () => dm(reader(3)),
      (v) => (v?.messages.length ?? 0) > 0,
    );
    const four = await until(
      () => dm(reader(4)),
      (v) => (v?.messages.length ?? 0) > 0,
    );
    const alert = three?.messages[0];
    expect(alert?.embeds[0]?.title).toBe("📬 2 papers you follow · Daily Papers 2024-02-21");
    expect(alert?.embeds[0]?.description).toContain("Author: **Alice Quantum**");
    expect(alert?.embeds[0]?.description).toContain("Topic: **widget**");
    expect(alert?.embeds[0]?.description).toMatch(/\*\*1\.\*\* \[Quantum Widgets at Scale\]/);
    expect(alert?.components.flatMap((r) => r.components.map((c) => c.custom_id))).toEqual([
      "follow:card:2024-02-21:1:2411.20001",
      "follow:card:2024-02-21:3:2411.20003",
    ]);
    expect(four?.messages[0]?.embeds[0]?.description).toContain("Topic: **양자 회로**");
    // No match, no DM; and reader 1's author was only in a digest older than the follow.
    expect(await dm(reader(5))).toBeNull();
    expect(await dm(reader(1))).toBeNull();

    // The button opens the paper's full card, in the DM.
    const card = await interact(world.emulator, {
      context: 1,
      user_id: reader(3),
      channel_id: three?.id,
      message_id: alert?.id,
      type: 3,
      data: { custom_id: "follow:card:2024-02-21:1:2411.20001", component_type: 2 },
    });
    expect(card.callbacks[0]?.type).toBe(4);
    expect(JSON.stringify(card.callbacks[0]?.data)).toContain("Quantum Widgets at Scale");

    // A restart matches nothing again: still one DM each.
    await running.stop();
    running = await bot(world);
    await pause(1500);
    expect((await dm(reader(3)))?.messages).toHaveLength(1);
    expect((await dm(reader(4)))?.messages).toHaveLength(1);
  });

  test("a reader whose DMs are closed is marked, not retried, and told on their next command", async () => {
    await follow(reader(6), "topic", "closed door");
    await control(world.emulator, "POST", `users/${reader(6)}/dms`, { open: false });
    dropDigest("2024-02-22", [section(4, "The Closed Door Problem", "Eve Five", "닫힌 문.")]);
    const refused = await until(
      () => dm(reader(6)),
      (v) => (v?.refused ?? 0) > 0,
    );
    expect(refused?.messages).toEqual([]);
    await until(
      () => running.core.store.reader(reader(6)),
      (r) => r?.dmsClosedDate === "2024-02-22",
    );
    await pause(1000);
    expect((await dm(reader(6)))?.refused).toBe(1);
    const counts = await running.core.store.alertCounts();
    expect(counts.refused).toBeGreaterThanOrEqual(1);

    const next = await command(reader(6), "following");
    const told = await until(
      () => control<InteractionView>(world.emulator, "GET", `interactions/${next.id}`),
      (v) => v.followups.length > 0,
    );
    expect(JSON.stringify(told.followups[0])).toContain(
      "Your alert for the 2024-02-22 digest could not be sent",
    );
    const later = await command(reader(6), "following");
    await pause(500);
    const view = await control<InteractionView>(world.emulator, "GET", `interactions/${later.id}`);
    expect(view.followups).toEqual([]);
  });

  test("/status shows admins the alert counts, and /metrics too", async () => {
    const metrics = await running.metrics.registry.metrics();
    const counts = await running.core.store.alertCounts();
    expect(metrics).toContain(`paperboy_alert_readers{kind="followers"} ${counts.followers}`);
    expect(metrics).toContain(`paperboy_alerts{status="sent"} ${counts.sent}`);
    expect(metrics).toContain(`paperboy_alerts{status="refused"} ${counts.refused}`);
    expect(counts.sent).toBeGreaterThanOrEqual(2);
    const status = await command(reader(9), "status", [], { permissions: ADMIN });
    expect(status.original?.content).toMatch(
      /🔔 Personal alerts: \d+ followers? \(\d+ follows?\) · DMs sent \d+ · refused \d+/,
    );
  });
});

describe("/following", () => {
  test("lists a reader's follows with remove buttons, exports and deletes their data", async () => {
    await follow(reader(7), "author", "Nikhil Bhendawade");
    await follow(reader(7), "topic", "speculative decoding");
    const list = await command(reader(7), "following");
    expect(list.original).toMatchObject({ ephemeral: true });
    const embed = list.original?.embeds[0] as { title: string; description: string };
    expect(embed.title).toBe("🔔 You follow 2 of 25");
    expect(embed.description).toContain("👤 Nikhil Bhendawade");
    const ids = (
      (list.original?.components ?? []) as { components: { custom_id: string }[] }[]
    ).flatMap((r) => r.components.map((c) => c.custom_id));
    expect(ids.filter((id) => id.startsWith("following:rm:"))).toHaveLength(2);
    expect(ids).toContain("following:export");
    expect(ids).toContain("following:delete");

    const press = (custom_id: string) =>
      interact(world.emulator, {
        guild_id: world.guild.id,
        channel_id: world.guild.text,
        user_id: reader(7),
        type: 3,
        message_id: list.original?.id,
        data: { custom_id, component_type: 2 },
      });
    const removed = await press(ids[0] as string);
    expect(removed.callbacks[0]?.type).toBe(7);
    expect(JSON.stringify(removed.callbacks[0]?.data)).toContain("You follow 1 of 25");
    // Another reader cannot remove this reader's follow with a forged id.
    const mine = await running.core.store.follows(reader(7));
    await interact(world.emulator, {
      guild_id: world.guild.id,
      channel_id: world.guild.text,
      user_id: reader(8),
      type: 3,
      message_id: list.original?.id,
      data: { custom_id: `following:rm:${mine[0]?.id}:0`, component_type: 2 },
    });
    expect(await running.core.store.follows(reader(7))).toHaveLength(1);

    const exported = await press("following:export");
    expect(exported.callbacks[0]?.type).toBe(4);
    const text = String((exported.callbacks[0]?.data as { content?: string } | undefined)?.content);
    expect(text).toContain('"value": "speculative decoding"');
    expect(text).toContain(`"user_id": "${reader(7)}"`);

    const confirm = await press("following:delete");
    expect(JSON.stringify(confirm.callbacks[0]?.data)).toContain("cannot be undone");
    const gone = await press("following:delete-yes");
    expect(JSON.stringify(gone.callbacks[0]?.data)).toContain("Deleted 1 follow");
    expect(await running.core.store.readerData(reader(7))).toMatchObject({
      reader: null,
      follows: [],
      alerts: [],
    });
  });
});
