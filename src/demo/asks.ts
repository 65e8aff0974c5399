import type { Emulator } from "../../emulator/server.js";
import type { Language } from "../i18n.js";
import type { ApiMessage, DemoReply } from "./page.js";

/** One slash command the demo asks, as a member would: where, by whom, in which language. */
export interface DemoAsk {
  /** What the page shows: "/config channel add", "/top"… */
  label: string;
  data: Record<string, unknown>;
  locale: Language;
  /** Manage Server (an admin); a reader otherwise. */
  admin?: boolean;
  /** In a DM with the bot instead of the server's commands channel. */
  dm?: boolean;
  /** The user who asks (a new one for each ask otherwise). */
  user?: string;
}

const option = (type: number, name: string, value: unknown) => ({ type, name, value });

/** The admin's setup: the cards channel, subscribed with `/config channel add`. */
export function setupAsks(cardsChannel: string): DemoAsk[] {
  return [
    {
      label: "/config channel add",
      locale: "en",
      admin: true,
      data: {
        name: "config",
        type: 1,
        options: [
          {
            type: 2,
            name: "channel",
            options: [
              {
                type: 1,
                name: "add",
                options: [
                  option(7, "channel", cardsChannel),
                  option(3, "style", "cards"),
                  option(4, "top_n", 10),
                ],
              },
            ],
          },
        ],
      },
    },
  ];
}

/** After the delivery: the admin's checks, readers' lookups in both languages, and a DM. */
export function readerAsks(
  date: string | null,
  cardsChannel: string,
  top: string,
  left: string | null,
): DemoAsk[] {
  return [
    { label: "/status", locale: "ko", admin: true, data: { name: "status", type: 1, options: [] } },
    ...(date && left
      ? [
          {
            label: "/status digest",
            locale: "en" as const,
            admin: true,
            data: {
              name: "status",
              type: 1,
              options: [
                option(3, "digest", date),
                option(7, "channel", cardsChannel),
                option(3, "paper", left),
              ],
            },
          },
        ]
      : []),
    { label: "/top", locale: "ko", data: { name: "top", type: 1, options: [] } },
    {
      label: "/paper",
      locale: "en",
      data: { name: "paper", type: 1, options: [option(3, "query", top)] },
    },
    { label: "/digest", locale: "ko", data: { name: "digest", type: 1, options: [] } },
    { label: "/help", locale: "en", dm: true, data: { name: "help", type: 1, options: [] } },
  ];
}

/** The bot's first answer to an interaction, once it came (null after 3 s without one). */
export async function answerOf(
  emulator: Emulator,
  interactionId: string,
): Promise<ApiMessage | null> {
  const original = () => emulator.ctx.interactions.view(interactionId)?.original;
  for (let i = 0; i < 300 && original() == null; i++)
    await new Promise((resolve) => setTimeout(resolve, 10));
  return (original() as ApiMessage | null | undefined) ?? null;
}

/**
 * Asks each command through the emulator and keeps the bot's answer; `place` is the server's
 * channel for the asks not in a DM (null when all are).
 */
export async function askAll(
  emulator: Emulator,
  place: { guildId: string; channelId: string } | null,
  asks: readonly DemoAsk[],
): Promise<DemoReply[]> {
  const replies: DemoReply[] = [];
  for (const ask of asks) {
    const interaction = emulator.ctx.interactions.create(
      {
        ...(ask.dm || !place
          ? { context: 1 }
          : { guild_id: place.guildId, channel_id: place.channelId }),
        ...(ask.admin ? { permissions: "32" } : {}),
        ...(ask.user ? { user_id: ask.user } : {}),
        locale: ask.locale,
        type: 2,
        data: { id: "100000000000000001", ...ask.data },
      },
      emulator.ctx.commands,
    );
    const original = await answerOf(emulator, interaction.id);
    if (original) replies.push({ command: ask.label, reply: original, dm: ask.dm === true });
  }
  return replies;
}
