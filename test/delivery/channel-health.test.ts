import { afterEach, describe, expect, test } from "vitest";
import type { RunningBot } from "../../src/app/bot.js";
import type { Core } from "../../src/app/wiring.js";
import { countSteps, describeDelivery } from "../../src/delivery/report.js";
import { subscriptionInput } from "../../src/delivery/subscription.js";
import type { DeliveryMode } from "../../src/render/digest-messages.js";
import {
  bot,
  core,
  type DeliveryWorld,
  deliveryWorld,
  messages,
} from "../support/delivery-world.js";
import { control } from "../support/discord.js";
import { interact } from "../support/interact.js";

const cleanup: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const close of cleanup.splice(0)) await close();
});

async function world(): Promise<DeliveryWorld> {
  const w = await deliveryWorld({ emulator: { rateLimits: { enabled: false } } });
  cleanup.push(() => w.emulator.close());
  return w;
}

async function running(w: DeliveryWorld): Promise<RunningBot> {
  const b = await bot(w);
  cleanup.unshift(() => b.stop());
  await b.core.store.saveGuildSettings(w.guild.id, { language: "en" });
  return b;
}

/** A new channel of `type` where the bot is denied `deny` (set before the bot connects). */
async function channelWithout(w: DeliveryWorld, type: number, deny: string[]): Promise<string> {
  const path = `guilds/${w.guild.id}/channels`;
  const { id } = await control<{ id: string }>(w.emulator, "POST", path, { name: "c", type });
  await control(w.emulator, "POST", `channels/${id}/access`, { allow: false, deny });
  return id;
}

const notices = async (w: DeliveryWorld) =>
  (await messages(w.emulator, w.guild.text)).filter((m) => m.content.includes("⚠️"));

describe("honest channel state", () => {
  const cases: [DeliveryMode, number, string, string][] = [
    ["embeds", 0, "EmbedLinks", "Embed Links"],
    ["embeds", 0, "ReadMessageHistory", "Read Message History"],
    ["thread", 0, "CreatePublicThreads", "Create Public Threads"],
    ["thread", 0, "SendMessagesInThreads", "Send Messages in Threads"],
    ["forum", 15, "SendMessages", "Send Messages"],
  ];
  for (const [mode, type, deny, label] of cases) {
    test(`${mode} mode without ${label} is paused before anything is sent, naming the permission`, async () => {
      const w = await world();
      const channelId = await channelWithout(w, type, [deny]);
      const b = await running(w);
      await b.core.store.saveSubscription(subscriptionInput(channelId, w.guild.id, mode));
      const [outcome] = await b.core.service.deliverNewest();
      expect(outcome).toMatchObject({ status: "paused", sent: 0 });
      expect((await b.core.store.subscription(channelId))?.pausedReason).toContain(
        `missing ${label}`,
      );
      expect(await messages(w.emulator, channelId)).toHaveLength(0);
      const told = await notices(w);
      expect(told).toHaveLength(1);
      expect(told[0]?.content).toContain(label);
    });
  }

  test("embeds Discord drops silently pause the channel after one message, and nothing says done", async () => {
    const w = await world();
    const channelId = await channelWithout(w, 0, ["EmbedLinks"]);
    // REST only: no gateway cache to see the missing permission in advance.
    const c: Core = await core(w);
    cleanup.unshift(async () => {
      c.archive.close();
      await c.closeStore();
    });
    await c.store.saveGuildSettings(w.guild.id, { language: "en" });
    await c.store.saveSubscription(subscriptionInput(channelId, w.guild.id));
    const [outcome] = await c.service.deliverNewest();
    expect(outcome?.status).toBe("paused");
    expect(outcome?.counts).toMatchObject({ total: 3, delivered: 0, withoutEmbeds: 1 });
    const sent = await messages(w.emulator, channelId);
    expect(sent).toHaveLength(1);
    expect((await c.store.subscription(channelId))?.pausedReason).toContain("missing Embed Links");
    const delivery = await c.store.delivery(outcome?.deliveryId ?? 0);
    expect(delivery?.status).toBe("paused");
    const line = describeDelivery(
      "en",
      "paused",
      countSteps(await c.store.steps(delivery?.id ?? 0)),
      delivery?.error ?? null,
    );
    expect(line).toMatch(/^paused — 0 of 3 messages delivered; 1 arrived without embeds/);
  });

  test("/repost and /status say what was delivered and what was not, and why", async () => {
    const w = await world();
    const channelId = await channelWithout(w, 0, ["EmbedLinks"]);
    const b = await running(w);
    await b.core.store.saveSubscription(subscriptionInput(channelId, w.guild.id));
    const base = {
      guild_id: w.guild.id,
      channel_id: w.guild.text,
      permissions: String(1n << 5n),
      locale: "en-US",
      user_id: "723456789012345678",
      type: 2,
    };
    const repost = await interact(
      w.emulator,
      {
        ...base,
        data: {
          id: "123456789012345680",
          name: "repost",
          type: 1,
          options: [{ type: 7, name: "channel", value: channelId }],
          resolved: {
            channels: { [channelId]: { id: channelId, type: 0, name: "c", permissions: "0" } },
          },
        },
      },
      (v) => (v.original?.content ?? "").startsWith("📨"),
    );
    expect(repost.original?.content).toContain(
      `<#${channelId}>: paused — 0 of 3 messages delivered; missing Embed Links`,
    );
    const status = await interact(w.emulator, {
      ...base,
      data: { id: "123456789012345681", name: "status", type: 1 },
    });
    expect(status.original?.content).toContain(`<#${channelId}> 2024-02-20: paused — 0 of 3`);
    expect(status.original?.content).toContain(`<#${channelId}>: 50013: missing Embed Links`);
  });
});
