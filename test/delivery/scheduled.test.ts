import { copyFileSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, describe, expect, test } from "vitest";
import type { RunningBot } from "../../src/app/bot.js";
import type { SubscriptionInput } from "../../src/delivery/store.js";
import { subscriptionInput } from "../../src/delivery/subscription.js";
import { parseDigest } from "../../src/digest/parse.js";
import {
  bot,
  type DeliveryWorld,
  deliveryWorld,
  messages,
  receivedTitles,
  SAMPLE_DIGEST,
  waitUntil,
} from "../support/delivery-world.js";
import { control } from "../support/discord.js";
import { FIXTURES } from "../support/paths.js";

const running: { bot?: RunningBot; world: DeliveryWorld }[] = [];
afterEach(async () => {
  for (const { bot: b, world } of running.splice(0)) {
    await b?.stop();
    await world.emulator.close();
  }
});

const sampleTitles = (() => {
  const result = parseDigest(readFileSync(SAMPLE_DIGEST, "utf8"), "s");
  if (!result.ok) throw new Error("sample");
  return [...result.digest.papers]
    .sort((a, b) => (b.votes ?? -1) - (a.votes ?? -1))
    .map((p) => p.title);
})();

function subscription(
  world: DeliveryWorld,
  channelId: string,
  extra: Partial<SubscriptionInput> = {},
): SubscriptionInput {
  return subscriptionInput(channelId, world.guild.id, extra.mode ?? "embeds", {
    createdBy: "423456789012345678",
    ...extra,
  });
}

async function startWith(
  world: DeliveryWorld,
  setup: (b: RunningBot) => void,
): Promise<RunningBot> {
  const started = await bot(world);
  running.push({ bot: started, world });
  setup(started);
  return started;
}

describe("scheduled delivery", () => {
  test("a one-second schedule delivers the header and every paper, by votes, in all three modes, exactly once", async () => {
    const world = await deliveryWorld({ emulator: { rateLimits: { enabled: false } } });
    const { guild, emulator } = world;
    const b = await startWith(world, () => undefined);
    await b.core.store.saveSubscription(subscription(world, guild.text, { mode: "embeds" }));
    await b.core.store.saveSubscription(subscription(world, guild.news, { mode: "thread" }));
    await b.core.store.saveSubscription(subscription(world, guild.forum, { mode: "forum" }));
    await b.core.store.saveGuildSettings(guild.id, {
      schedule: "* * * * * *",
      timezone: "Asia/Seoul",
    });
    await b.scheduler.schedule(guild.id);

    await waitUntil(
      async () =>
        (await b.core.store.lastDeliveries(10)).filter((d) => d.status === "done").length === 3,
    ).catch(async (e) => {
      console.log(
        JSON.stringify(await b.core.store.lastDeliveries(10)),
        world
          .lines()
          .filter((l) => (l.level as number) >= 40)
          .slice(0, 10),
      );
      throw e;
    });
    for (const channel of [guild.text, guild.news, guild.forum]) {
      expect(await receivedTitles(emulator, guild, channel)).toEqual(sampleTitles);
    }
    const text = await messages(emulator, guild.text);
    expect(text[0]?.content).toContain("📰 **Daily Papers — 2024-02-20** · 논문 14편");
    const news = await messages(emulator, guild.news);
    expect(news).toHaveLength(1);
    expect(news[0]?.thread_id).toBe(news[0]?.id);
    expect(news[0]?.embeds).toEqual([]);

    await new Promise((resolve) => setTimeout(resolve, 2200)); // two more ticks
    for (const channel of [guild.text, guild.news, guild.forum]) {
      expect(await receivedTitles(emulator, guild, channel)).toHaveLength(14);
    }
    const all = [...text, ...news];
    expect(
      all.every(
        (m) => !m.pinged.everyone && m.pinged.users.length === 0 && m.pinged.roles.length === 0,
      ),
    ).toBe(true);
    expect(text.every((m) => typeof m.nonce === "string" && m.nonce.length <= 25)).toBe(true);
  });

  test("minimum votes, keywords and top N choose a channel's papers", async () => {
    const world = await deliveryWorld({ emulator: { rateLimits: { enabled: false } } });
    const b = await startWith(world, () => undefined);
    await b.core.store.saveSubscription(
      subscription(world, world.guild.text, { minVotes: 20, topN: 2 }),
    );
    await b.core.store.saveSubscription(
      subscription(world, world.guild.news, { includeKeywords: ["Diffusion"] }),
    );
    await b.core.service.deliverNewest();
    expect(await receivedTitles(world.emulator, world.guild, world.guild.text)).toEqual(
      sampleTitles.slice(0, 2),
    );
    const filtered = await receivedTitles(world.emulator, world.guild, world.guild.news);
    expect(filtered.length).toBeGreaterThan(0);
    expect(filtered.length).toBeLessThan(14);
  });

  test("a run missed while the bot was down is caught up on start, and not when catch-up is off", async () => {
    for (const catchUp of ["true", "false"]) {
      const world = await deliveryWorld({
        emulator: { rateLimits: { enabled: false } },
        env: { CATCH_UP: catchUp },
      });
      running.push({ world });
      // Seed the state file as a previous run of the bot left it: subscribed, last run two days ago.
      const seed = await (await import("../support/delivery-world.js")).core(world);
      await seed.store.saveSubscription(subscription(world, world.guild.text));
      await seed.store.saveGuildSettings(world.guild.id, {
        schedule: "0 9 * * *",
        timezone: "UTC",
        lastRunAt: new Date(Date.now() - 2 * 86_400_000).toISOString(),
      });
      await seed.closeStore();
      const started = await startWith(world, () => undefined);
      await started.scheduler.settled();
      const titles = await receivedTitles(world.emulator, world.guild, world.guild.text);
      expect(titles.length, `CATCH_UP=${catchUp}`).toBe(catchUp === "true" ? 14 : 0);
    }
  });

  test("a new digest file is posted as soon as it appears", async () => {
    const world = await deliveryWorld({
      emulator: { rateLimits: { enabled: false } },
      env: { POST_ON_ARRIVAL: "true" },
    });
    const b = await startWith(world, () => undefined);
    await b.core.store.saveSubscription(subscription(world, world.guild.text));
    await b.core.service.deliverNewest();
    copyFileSync(
      join(FIXTURES, "corpus-authors-python-list-labelled", "input.md"),
      join(world.digestsDir, "2024-10-22.md"),
    );
    await waitUntil(
      async () =>
        (await b.core.store.findScheduledDelivery(world.guild.text, "2024-10-22"))?.status ===
        "done",
      8000,
    );
    const headers = (await messages(world.emulator, world.guild.text)).filter((m) =>
      m.content.startsWith("📰"),
    );
    expect(headers.map((m) => m.content.slice(0, 40))).toEqual([
      expect.stringContaining("2024-02-20"),
      expect.stringContaining("2024-10-22"),
    ]);
  });

  test("a digest full of @everyone and role mentions pings nobody; a chosen role is the only ping", async () => {
    const world = await deliveryWorld({ emulator: { rateLimits: { enabled: false } } });
    const hostile = [
      "## Daily Papers (2024-03-01)",
      "",
      "### [@everyone look <@&123456789012345678>](https://arxiv.org/abs/2403.00001)",
      "",
      "Vote: 5",
      "",
      "Authors: @here, <@123456789012345678>",
      "",
      "- @everyone <@&123456789012345678> <@123456789012345678> @here",
    ].join("\n");
    writeFileSync(join(world.digestsDir, "2024-03-01.md"), hostile);
    const b = await startWith(world, () => undefined);
    await b.core.store.saveSubscription(subscription(world, world.guild.text));
    await b.core.store.saveSubscription(
      subscription(world, world.guild.news, { mentionRoleId: "523456789012345678" }),
    );
    await b.core.service.deliverNewest();
    const quiet = await messages(world.emulator, world.guild.text);
    expect(quiet.length).toBeGreaterThan(0);
    for (const m of quiet) expect(m.pinged).toEqual({ everyone: false, users: [], roles: [] });
    const pinged = await messages(world.emulator, world.guild.news);
    expect(pinged[0]?.pinged).toEqual({
      everyone: false,
      users: [],
      roles: ["523456789012345678"],
    });
  });

  test("a channel that refuses the bot is paused, the server is told once, and it is not tried again", async () => {
    const world = await deliveryWorld({ emulator: { rateLimits: { enabled: false } } });
    const hidden = (
      await control<{ id: string }>(world.emulator, "POST", `guilds/${world.guild.id}/channels`, {
        name: "hidden",
        type: 0,
      })
    ).id;
    await control(world.emulator, "POST", `channels/${hidden}/access`, { allow: false });
    const b = await startWith(world, () => undefined);
    await b.core.store.saveSubscription(
      subscription(world, hidden, { createdBy: "623456789012345678" }),
    );
    await b.core.store.saveSubscription(subscription(world, world.guild.news));
    const outcomes = await b.core.service.deliverNewest();
    expect(outcomes.map((o) => o.status).sort()).toEqual(["done", "paused"]);
    expect((await b.core.store.subscription(hidden))?.pausedReason).toMatch(/^50001/);

    copyFileSync(
      join(FIXTURES, "corpus-authors-python-list-labelled", "input.md"),
      join(world.digestsDir, "2024-10-22.md"),
    );
    b.core.archive.refresh("2024-10-22.md");
    await b.core.service.deliverNewest();
    const notices = (await messages(world.emulator, world.guild.text)).filter((m) =>
      m.content.includes("⚠️"),
    );
    expect(notices).toHaveLength(1);
    expect(notices[0]?.content).toContain(`<#${hidden}>`);
    expect(notices[0]?.pinged).toEqual({
      everyone: false,
      users: ["623456789012345678"],
      roles: [],
    });
    const stats = await control<{ by_status: Record<string, number> }>(
      world.emulator,
      "GET",
      "stats",
    );
    // The gateway's cache showed the missing View Channel before any send: not even one 403.
    expect(stats.by_status["403"] ?? 0).toBe(0);
  });

  test("5xx and 429 storms are survived: every paper arrives once in every channel", async () => {
    const world = await deliveryWorld();
    const b = await startWith(world, () => undefined);
    for (const channel of [world.guild.text, world.guild.news, world.guild.forum]) {
      await b.core.store.saveSubscription(
        subscription(world, channel, {
          mode:
            channel === world.guild.text
              ? "embeds"
              : channel === world.guild.news
                ? "thread"
                : "forum",
        }),
      );
    }
    await control(world.emulator, "POST", "faults", {
      method: "POST",
      status: 503,
      rate: 0.3,
      times: 12,
    });
    await control(world.emulator, "POST", "faults", {
      method: "POST",
      status: 429,
      scope: "shared",
      rate: 0.3,
      times: 6,
      retry_after_ms: 200,
    });
    await control(world.emulator, "POST", "faults", {
      method: "POST",
      reset: true,
      rate: 0.2,
      times: 3,
    });
    const outcomes = await b.core.service.deliverNewest();
    const resumed = outcomes.some((o) => o.status === "pending")
      ? await b.core.service.resumeUnfinished()
      : [];
    const final = [...outcomes, ...resumed].filter((o) => o.status !== "pending");
    expect(
      final.map((o) => o.status),
      JSON.stringify(world.lines().filter((l) => (l.level as number) >= 50)),
    ).toEqual(["done", "done", "done"]);
    for (const channel of [world.guild.text, world.guild.news, world.guild.forum]) {
      expect(await receivedTitles(world.emulator, world.guild, channel)).toEqual(sampleTitles);
    }
  });
});
