import { MessageFlags } from "discord.js";
import type { PaperRef } from "../archive/catalog.js";
import type { Language } from "../i18n.js";
import { paperCardView, paperView } from "../views/paper.js";
import type { CommandContext } from "./command.js";

/**
 * One paper as a reply, as the channel it is asked in gets papers: a card in a channel subscribed
 * with `style:cards` (of this server), else the delivery embed with link buttons. `flags` are
 * added to the reply's own (ephemeral, no notification).
 */
export async function paperReply(
  ctx: CommandContext,
  where: { guildId: string | null; channelId: string | null },
  ref: PaperRef,
  language: Language,
  flags: number,
) {
  const catalog = ctx.catalog();
  const here =
    where.guildId && where.channelId ? await ctx.store.subscription(where.channelId) : null;
  if (here?.style === "cards" && here.guildId === where.guildId)
    return {
      ...paperCardView(catalog, ref, language),
      flags: MessageFlags.IsComponentsV2 | flags,
    };
  return { ...paperView(catalog, ref, language), flags };
}
