import { copyFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import type { Emulator } from "../../emulator/server.js";
import { answerOf, askAll, type DemoAsk } from "./asks.js";
import type { ApiMessage, DemoDm } from "./page.js";

/**
 * The digest that arrives while the demo runs: a real one, the first after the sample with a
 * paper by one of the sample's authors (see the attribution beside it).
 */
export const ARRIVING_DATE = "2024-02-22";
const ARRIVING = fileURLToPath(new URL(`./arriving/${ARRIVING_DATE}.md`, import.meta.url));

/** What the demo reader follows: an author of the sample digest, and a topic in Korean words. */
export const FOLLOWED = { author: "Zhiyuan Liu", topic: "확산 모델" } as const;

/** How long the demo waits for the alert: the folder's quiet time, matching and sending. */
const ALERT_WAIT_MS = 20_000;

const follow = (reader: string, kind: keyof typeof FOLLOWED): DemoAsk => ({
  label: `/follow ${kind}:${FOLLOWED[kind]}`,
  locale: "ko",
  dm: true,
  user: reader,
  data: { name: "follow", type: 1, options: [{ type: 3, name: kind, value: FOLLOWED[kind] }] },
});

/** The bot's first message in its DM with `reader`, once there is one (null after the wait). */
async function firstDm(
  emulator: Emulator,
  reader: string,
): Promise<{ channelId: string; message: ApiMessage } | null> {
  const world = emulator.ctx.world;
  for (const deadline = Date.now() + ALERT_WAIT_MS; Date.now() < deadline; ) {
    const channel = world.dms.channelOf(reader);
    const first = channel ? world.channelMessages(channel.id)[0] : undefined;
    if (channel && first)
      return { channelId: channel.id, message: first.data as unknown as ApiMessage };
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return null;
}

/**
 * A reader's follow alert, as they live it: in their DM with the bot they follow an author and a
 * topic; then a new digest lands in the digests folder, the bot matches it and DMs them one alert;
 * they press the alert's first button, which opens that paper's card, and look at `/following`.
 * Returns what the page shows of it, and the DM channel, whose messages the page reads live.
 */
export async function demoAlert(
  emulator: Emulator,
  digestsDir: string,
  reader: string,
): Promise<{ dm: Omit<DemoDm, "messages">; channelId: string | null }> {
  const follows = await askAll(emulator, null, [follow(reader, "author"), follow(reader, "topic")]);
  // Only now: a follow alerts for the digests that arrive after it.
  copyFileSync(ARRIVING, join(digestsDir, `${ARRIVING_DATE}.md`));
  const alert = await firstDm(emulator, reader);
  let pressed: DemoDm["pressed"] = null;
  const button = alert?.message.components[0]?.components?.[0];
  if (alert && button?.custom_id) {
    const interaction = emulator.ctx.interactions.create({
      context: 1,
      user_id: reader,
      channel_id: alert.channelId,
      message_id: alert.message.id,
      locale: "ko",
      type: 3,
      data: { custom_id: button.custom_id, component_type: 2 },
    });
    const card = await answerOf(emulator, interaction.id);
    if (card) pressed = { label: button.label ?? "", reply: card };
  }
  const after = await askAll(emulator, null, [
    {
      label: "/following",
      locale: "ko",
      dm: true,
      user: reader,
      data: { name: "following", type: 1, options: [] },
    },
  ]);
  return {
    dm: { date: ARRIVING_DATE, follows, pressed, after },
    channelId: alert?.channelId ?? null,
  };
}
