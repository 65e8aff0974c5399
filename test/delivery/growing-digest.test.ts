import { appendFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, describe, expect, test } from "vitest";
import type { RunningBot } from "../../src/app/bot.js";
import { subscriptionInput } from "../../src/delivery/subscription.js";
import {
  bot,
  type DeliveryWorld,
  deliveryWorld,
  messages,
  receivedTitles,
  waitUntil,
} from "../support/delivery-world.js";
import {
  digestMarkdown,
  type PaperSpec,
  paperSection,
  paperTitle,
  removeSample,
  writeDigest,
} from "../support/digest-files.js";

const running: { bot: RunningBot; world: DeliveryWorld }[] = [];
afterEach(async () => {
  for (const { bot: b, world } of running.splice(0)) {
    await b.stop();
    await world.emulator.close();
  }
});

const DATE = "2024-03-01";
const FIRST: PaperSpec[] = [
  { n: 1, votes: 30 },
  { n: 2, votes: 20 },
  { n: 3, votes: 10 },
];
const ADDED: PaperSpec[] = [
  { n: 4, votes: 25 },
  { n: 5, votes: 5 },
];

async function start(world: DeliveryWorld): Promise<RunningBot> {
  const b = await bot(world);
  running.push({ bot: b, world });
  return b;
}

const updates = async (b: RunningBot, channelId: string) =>
  (await b.core.store.channelDeliveries(channelId, DATE)).filter((d) => d.kind === "update");

describe("growing digests", () => {
  test("papers added after delivery go out once, as an update where the digest went, in every mode; edits are not reposted", async () => {
    const world = await deliveryWorld({ emulator: { rateLimits: { enabled: false } } });
    removeSample(world.digestsDir);
    const name = writeDigest(world.digestsDir, DATE, FIRST);
    let b = await start(world);
    const { guild, emulator } = world;
    await b.core.store.saveGuildSettings(guild.id, { language: "en" });
    const modes = {
      [guild.text]: "embeds",
      [guild.news]: "thread",
      [guild.forum]: "forum",
    } as const;
    for (const [channel, mode] of Object.entries(modes))
      await b.core.store.saveSubscription(subscriptionInput(channel, guild.id, mode));
    await b.scheduler.tick(guild.id);

    // Two papers are added and an already delivered one is edited (votes and summary).
    const edited = [{ n: 1, votes: 99, summary: "고친 요약" }, ...FIRST.slice(1), ...ADDED];
    writeFileSync(join(world.digestsDir, name), digestMarkdown(DATE, edited));
    b.core.archive.refresh(name);
    await waitUntil(async () => {
      for (const c of Object.keys(modes))
        if (!(await updates(b, c)).some((d) => d.status === "done")) return false;
      return true;
    }, 15_000);
    const expected = [1, 2, 3, 4, 5].map(paperTitle);
    for (const channel of Object.keys(modes))
      expect((await receivedTitles(emulator, guild, channel)).sort()).toEqual(expected);

    const text = await messages(emulator, guild.text);
    expect(text.at(-1)?.content).toBe("➕ **Daily Papers — 2024-03-01** · 2 more papers");
    expect(text.at(-1)?.embeds.map((e) => e.title)).toEqual([paperTitle(4), paperTitle(5)]);
    // Thread mode: the channel keeps its one header; the update is inside the digest's thread.
    const news = await messages(emulator, guild.news);
    expect(news).toHaveLength(1);
    const thread = await messages(emulator, news[0]?.id ?? "");
    expect(thread.at(-1)?.content).toContain("2 more papers");
    const post = (await b.core.store.findScheduledDelivery(guild.forum, DATE))?.threadId ?? "";
    expect((await messages(emulator, post)).at(-1)?.content).toContain("2 more papers");

    // Neither another run, nor the same file again, nor a restart repeats it.
    await b.scheduler.tick(guild.id);
    b.core.archive.refresh(name);
    await b.stop();
    running.splice(0);
    b = await start(world);
    await b.scheduler.tick(guild.id);
    await b.core.service.digestChanged(DATE, true);
    for (const channel of Object.keys(modes)) {
      expect(await receivedTitles(emulator, guild, channel)).toHaveLength(5);
      expect(await updates(b, channel)).toHaveLength(1);
    }
  });

  test("an added paper a channel's filter leaves out is not sent; one it lets through is", async () => {
    const world = await deliveryWorld({ emulator: { rateLimits: { enabled: false } } });
    removeSample(world.digestsDir);
    const name = writeDigest(world.digestsDir, DATE, FIRST);
    const b = await start(world);
    const { guild, emulator } = world;
    await b.core.store.saveSubscription(
      subscriptionInput(guild.text, guild.id, "embeds", { minVotes: 15 }),
    );
    await b.scheduler.tick(guild.id);
    writeDigest(world.digestsDir, DATE, [...FIRST, ...ADDED]);
    b.core.archive.refresh(name);
    await waitUntil(
      async () => (await updates(b, guild.text)).some((d) => d.status === "done"),
      15_000,
    );
    expect(await receivedTitles(emulator, guild, guild.text)).toEqual([1, 2, 4].map(paperTitle));
    const last = (await messages(emulator, guild.text)).at(-1);
    expect(last?.content).toBe("➕ **Daily Papers — 2024-03-01** · 논문 1편 추가");
  });

  test("papers added while the bot was down go out as an update at the next scheduled run", async () => {
    const world = await deliveryWorld({ emulator: { rateLimits: { enabled: false } } });
    removeSample(world.digestsDir);
    writeDigest(world.digestsDir, DATE, FIRST);
    let b = await start(world);
    const { guild, emulator } = world;
    await b.core.store.saveSubscription(subscriptionInput(guild.forum, guild.id, "forum"));
    await b.scheduler.tick(guild.id);
    await b.stop();
    running.splice(0);
    writeDigest(world.digestsDir, DATE, [...FIRST, ...ADDED]);
    b = await start(world);
    expect(await updates(b, guild.forum)).toEqual([]); // loading the folder at start sends nothing
    await b.scheduler.tick(guild.id);
    expect((await updates(b, guild.forum)).map((d) => d.status)).toEqual(["done"]);
    expect((await receivedTitles(emulator, guild, guild.forum)).sort()).toEqual(
      [1, 2, 3, 4, 5].map(paperTitle),
    );
  });

  test("with POST_ON_ARRIVAL, a digest file written in two parts sends its second part as an update", async () => {
    const world = await deliveryWorld({
      emulator: { rateLimits: { enabled: false } },
      env: { POST_ON_ARRIVAL: "true" },
    });
    removeSample(world.digestsDir);
    const b = await start(world);
    const { guild, emulator } = world;
    await b.core.store.saveSubscription(subscriptionInput(guild.news, guild.id, "thread"));
    // The writer stops half-way for longer than the archive waits for a file to settle.
    const path = join(world.digestsDir, `${DATE}.md`);
    writeFileSync(path, digestMarkdown(DATE, FIRST));
    await waitUntil(
      async () => (await b.core.store.findScheduledDelivery(guild.news, DATE))?.status === "done",
      15_000,
    );
    appendFileSync(path, `\n${ADDED.map(paperSection).join("\n")}`);
    await waitUntil(
      async () => (await updates(b, guild.news)).some((d) => d.status === "done"),
      15_000,
    );
    const titles = await receivedTitles(emulator, guild, guild.news);
    expect(titles.sort()).toEqual([1, 2, 3, 4, 5].map(paperTitle));
    expect(await messages(emulator, guild.news)).toHaveLength(1);
  });
});
