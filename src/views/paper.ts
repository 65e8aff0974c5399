import {
  type APIActionRowComponent,
  type APIButtonComponent,
  type APIContainerComponent,
  type APIEmbed,
  ButtonStyle,
  ComponentType,
} from "discord.js";
import type { Catalog, PaperRef } from "../archive/catalog.js";
import { isHttpUrl } from "../digest/text.js";
import { DISCORD_LIMITS, truncate } from "../discord/limits.js";
import { type Language, t } from "../i18n.js";
import { renderPaperCard } from "../render/paper-card.js";
import { paperLinks, renderPaperEmbed } from "../render/paper-embed.js";
import { rankPapers } from "../render/select.js";

/** A reply with one paper: the delivery embed and link buttons. */
export interface PaperView {
  embeds: APIEmbed[];
  components: APIActionRowComponent<APIButtonComponent>[];
  allowedMentions: { parse: [] };
}

function linkButton(label: string, url: string | null): APIButtonComponent[] {
  return url && isHttpUrl(url)
    ? [{ type: ComponentType.Button, style: ButtonStyle.Link, label, url }]
    : [];
}

/** One paper as the bot posts it, with buttons for arXiv, PDF, Hugging Face and the video. */
export function paperView(catalog: Catalog, ref: PaperRef, language: Language): PaperView {
  const digest = catalog.digest(ref.date);
  const ranked = digest ? rankPapers(digest) : [];
  const rank = ranked.find((r) => r.paper === ref.paper)?.rank ?? ref.position;
  const embed = renderPaperEmbed(
    ref.paper,
    { date: ref.date, rank, total: digest?.papers.length ?? 1 },
    language,
  );
  const links = paperLinks(ref.paper);
  const buttons = [
    ...linkButton("arXiv", links.arxiv ?? links.page),
    ...linkButton(t(language, "pdf"), links.pdf),
    ...linkButton("Hugging Face", links.huggingFace),
    ...linkButton(t(language, "video"), links.video),
  ];
  return {
    embeds: [embed],
    components: buttons.length > 0 ? [{ type: ComponentType.ActionRow, components: buttons }] : [],
    allowedMentions: { parse: [] },
  };
}

/** One paper as a card (Components V2), as a `cards` channel gets it. */
export function paperCardView(
  catalog: Catalog,
  ref: PaperRef,
  language: Language,
): { components: APIContainerComponent[]; allowedMentions: { parse: [] } } {
  const digest = catalog.digest(ref.date);
  const rank = (digest ? rankPapers(digest) : []).find((r) => r.paper === ref.paper)?.rank;
  const card = renderPaperCard(
    ref.paper,
    { date: ref.date, rank: rank ?? ref.position, total: digest?.papers.length ?? 1 },
    language,
  );
  return { components: [card.container], allowedMentions: { parse: [] } };
}

/** An autocomplete choice for a paper: its title (and id), and the id as the value. */
export function paperChoice(ref: PaperRef): { name: string; value: string } {
  const id = ref.paper.id;
  const name = id
    ? `${truncate(ref.paper.title, DISCORD_LIMITS.choiceName - id.length - 3)} (${id})`
    : ref.paper.title;
  const value = id ?? ref.paper.url;
  return {
    name: truncate(name, DISCORD_LIMITS.choiceName),
    value: truncate(value, DISCORD_LIMITS.choiceName),
  };
}
