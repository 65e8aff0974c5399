import { afterEach, describe, expect, test } from "vitest";
import { subscriptionInput } from "../../src/delivery/subscription.js";
import type { DeliveryMode } from "../../src/render/digest-messages.js";
import { cardHeads } from "../../src/render/paper-card.js";
import { closeCoreWorlds, coreWorld } from "../support/delivery-world.js";
import { control } from "../support/discord.js";

afterEach(closeCoreWorlds);

describe("paper cards (Components V2)", () => {
  test.each<[DeliveryMode, "text" | "news" | "forum"]>([
    ["embeds", "text"],
    ["thread", "news"],
    ["forum", "forum"],
  ])(
    "a cards channel in %s mode gets every paper once as a card, with a thumbnail or video and link buttons",
    async (mode, kind) => {
      const { c, world } = await coreWorld();
      const { guild, emulator } = world;
      const channelId = guild[kind];
      await c.store.saveSubscription(
        subscriptionInput(channelId, guild.id, mode, { style: "cards" }),
      );
      const [outcome] = await c.service.repost("2024-02-20", channelId);
      expect(outcome?.status).toBe("done");
      const listed = await control<{ id: string; parent_id: string | null }[]>(
        emulator,
        "GET",
        `guilds/${guild.id}/channels`,
      );
      const places = [
        channelId,
        ...listed.filter((ch) => ch.parent_id === channelId).map((ch) => ch.id),
      ];
      const stored = places.flatMap((id) => emulator.ctx.world.channelMessages(id));
      const cardMessages = stored.filter((m) => ((m.data.flags as number) & (1 << 15)) !== 0);
      const heads = cardMessages.flatMap((m) => cardHeads(m.data.components as unknown[]));
      expect(heads).toHaveLength(14);
      expect(new Set(heads).size).toBe(14);
      expect(heads[0]).toMatch(/^### \[.+\]\(https:\/\/arxiv\.org\/abs\/\d+\.\d+\)\n👍 \d+ · /);
      // No card message carries content or embeds; the header is a message of its own.
      for (const m of cardMessages) {
        expect(m.data.content ?? "").toBe("");
        expect(m.data.embeds ?? []).toEqual([]);
      }
      const containers = cardMessages.flatMap(
        (m) =>
          m.data.components as { components: { type: number; accessory?: { type: number } }[] }[],
      );
      const withThumbnail = containers.filter((box) =>
        box.components.some((part) => part.type === 9 && part.accessory?.type === 11),
      );
      const withVideo = containers.filter((box) => box.components.some((part) => part.type === 12));
      expect(withThumbnail.length + withVideo.length).toBe(14);
      expect(containers.every((box) => box.components.some((part) => part.type === 1))).toBe(true);
      const contract = await control<{ violations: unknown[] }>(emulator, "GET", "contract");
      expect(contract.violations).toEqual([]);
    },
  );
});
