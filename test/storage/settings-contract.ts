import { expect, test } from "vitest";
import type { SubscriptionInput } from "../../src/delivery/store.js";
import type { OpenStores } from "./store-contract.js";

const CHANNEL = "123456789012345678";
const GUILD = "223456789012345678";
const ISO_TIME = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/;
const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

const subscription = (changes: Partial<SubscriptionInput> = {}): SubscriptionInput => ({
  channelId: CHANNEL,
  guildId: GUILD,
  mode: "thread",
  minVotes: 5,
  topN: 3,
  includeKeywords: ["LLM"],
  excludeKeywords: [],
  mentionRoleId: null,
  forumTagId: "423456789012345678",
  style: "cards",
  createdBy: "323456789012345678",
  ...changes,
});

/** The subscriptions and server settings part of the Store contract. */
export function settingsContract(open: OpenStores): void {
  test("a subscription saved again is resumed from a pause; a pause is recorded only once", async () => {
    const [store] = await open();
    await store.saveSubscription(subscription());
    expect(await store.pauseSubscription(CHANNEL, "50001: Missing Access")).toBe(true);
    expect(await store.pauseSubscription(CHANNEL, "again")).toBe(false);
    await store.markPauseNotified(CHANNEL);
    expect(await store.subscription(CHANNEL)).toMatchObject({
      pausedReason: "50001: Missing Access",
      pauseNotified: true,
      includeKeywords: ["LLM"],
      forumTagId: "423456789012345678",
    });
    await store.saveSubscription(subscription({ mode: "forum", topN: null }));
    expect(await store.subscription(CHANNEL)).toMatchObject({
      mode: "forum",
      topN: null,
      pausedReason: null,
      pauseNotified: false,
    });
  });

  test("lists subscriptions oldest first, of one server when asked; removes them once", async () => {
    const [store] = await open();
    await store.saveSubscription(subscription({ channelId: "3" }));
    await pause(5);
    await store.saveSubscription(subscription({ channelId: "2", guildId: "9" }));
    await pause(5);
    await store.saveSubscription(subscription({ channelId: "1" }));
    expect((await store.subscriptions()).map((s) => s.channelId)).toEqual(["3", "2", "1"]);
    expect((await store.subscriptions(GUILD)).map((s) => s.channelId)).toEqual(["3", "1"]);
    expect((await store.subscriptions())[0]?.createdAt).toMatch(ISO_TIME);
    expect(await store.removeSubscription("3")).toBe(true);
    expect(await store.removeSubscription("3")).toBe(false);
    expect(await store.subscription("3")).toBeNull();
    expect(await store.pauseSubscription("3", "gone")).toBe(false);
  });

  test("guild settings are saved in parts: a later save keeps what it leaves out", async () => {
    const [store] = await open();
    expect(await store.guildSettings(GUILD)).toBeNull();
    await store.saveGuildSettings(GUILD, { language: "en", timezone: "Asia/Seoul" });
    await store.saveGuildSettings(GUILD, { schedule: "0 9 * * *", lastRunAt: "2024-02-20" });
    const all = {
      guildId: GUILD,
      language: "en",
      timezone: "Asia/Seoul",
      schedule: "0 9 * * *",
      lastRunAt: "2024-02-20",
    };
    expect(await store.guildSettings(GUILD)).toEqual(all);
    await store.saveGuildSettings(GUILD, { timezone: "UTC" });
    expect(await store.guildSettings(GUILD)).toEqual({ ...all, timezone: "UTC" });
  });
}
