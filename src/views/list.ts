import {
  type APIActionRowComponent,
  type APIButtonComponent,
  type APIEmbed,
  ButtonStyle,
  ComponentType,
} from "discord.js";
import type { PaperRef } from "../archive/catalog.js";
import { tc } from "../commands/text.js";
import { DISCORD_LIMITS, truncate } from "../discord/limits.js";
import type { Language } from "../i18n.js";
import { honestLink } from "../render/markdown.js";

export const PAGE_SIZE = 10;

/** One page of a ranked list, with Previous/Next buttons whose custom ids carry the state. */
export interface ListPage {
  embeds: APIEmbed[];
  components: APIActionRowComponent<APIButtonComponent>[];
  allowedMentions: { parse: [] };
}

function line(ref: PaperRef, index: number): string {
  const votes = ref.paper.votes === null ? "–" : `👍 ${ref.paper.votes}`;
  const title = truncate(ref.paper.title, 150);
  const link = ref.paper.id ? `https://arxiv.org/abs/${ref.paper.id}` : ref.paper.url;
  return `**${index}.** ${honestLink(title, link)} · ${votes} · ${ref.date}`;
}

/** Renders page `page` (0-based) of `refs`; `customId(page)` names the button for another page. */
export function listPage(
  title: string,
  refs: readonly PaperRef[],
  page: number,
  language: Language,
  customId: (page: number) => string,
): ListPage {
  const pages = Math.max(1, Math.ceil(refs.length / PAGE_SIZE));
  const current = Math.min(Math.max(0, page), pages - 1);
  const slice = refs.slice(current * PAGE_SIZE, (current + 1) * PAGE_SIZE);
  const description = truncate(
    slice.map((ref, i) => line(ref, current * PAGE_SIZE + i + 1)).join("\n"),
    DISCORD_LIMITS.embedDescription,
  );
  const embed: APIEmbed = {
    title: truncate(title, DISCORD_LIMITS.embedTitle),
    description,
    footer: { text: tc(language, "page")(current + 1, pages) },
    color: 0x3498db,
  };
  const components: APIActionRowComponent<APIButtonComponent>[] =
    pages > 1
      ? [
          {
            type: ComponentType.ActionRow,
            components: [
              {
                type: ComponentType.Button,
                style: ButtonStyle.Secondary,
                label: tc(language, "previous"),
                custom_id: customId(current - 1),
                disabled: current === 0,
              },
              {
                type: ComponentType.Button,
                style: ButtonStyle.Secondary,
                label: tc(language, "next"),
                custom_id: customId(current + 1),
                disabled: current >= pages - 1,
              },
            ],
          },
        ]
      : [];
  return { embeds: [embed], components, allowedMentions: { parse: [] } };
}
