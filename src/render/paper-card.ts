import {
  type APIActionRowComponent,
  type APIButtonComponentWithURL,
  type APIComponentInContainer,
  type APIContainerComponent,
  ButtonStyle,
  ComponentType,
} from "discord.js";
import type { Paper } from "../digest/model.js";
import { isHttpUrl } from "../digest/text.js";
import { DISCORD_LIMITS, discordLength, truncate } from "../discord/limits.js";
import { type Language, t } from "../i18n.js";
import { escapeMarkdown } from "./markdown.js";
import { type PaperPlace, paperImage, paperLinks, voteColor } from "./paper-embed.js";

/** A paper as a Components V2 card, with what it costs against a message's limits. */
export interface PaperCard {
  container: APIContainerComponent;
  /** Components in it, nested ones counted (a message holds 40). */
  components: number;
  /** Characters of its Text Display content (a message holds 4,000). */
  text: number;
}

function authorsLine(paper: Paper, language: Language): string {
  if (paper.authors.length === 0)
    return paper.authorsTruncated ? t(language, "cutList") : t(language, "noAuthors");
  const shown = paper.authors.slice(0, 5).join(", ");
  const rest = paper.authors.length - 5;
  return `${shown}${rest > 0 ? ` ${t(language, "moreAuthors")(rest)}` : ""}`;
}

function linkButtons(paper: Paper, language: Language): APIButtonComponentWithURL[] {
  const links = paperLinks(paper);
  const button = (label: string, url: string | null): APIButtonComponentWithURL[] =>
    url && isHttpUrl(url)
      ? [{ type: ComponentType.Button, style: ButtonStyle.Link, label, url }]
      : [];
  return [
    ...button("arXiv", links.arxiv),
    ...button(t(language, "pdf"), links.pdf),
    ...button("Hugging Face", links.huggingFace),
    ...(links.arxiv ? [] : button(t(language, "paperPage"), links.page)),
    ...button(t(language, "video"), links.video),
  ].slice(0, DISCORD_LIMITS.buttonsPerRow);
}

/** Counts a container's components, nested ones included, as Discord does. */
function countComponents(container: APIContainerComponent): number {
  let count = 1;
  for (const child of container.components) {
    count++;
    if (child.type === ComponentType.Section) count += child.components.length + 1;
    if (child.type === ComponentType.ActionRow) count += child.components.length;
  }
  return count;
}

/**
 * One paper as a card: title (linked) and votes, authors, the summary, the thumbnail beside the
 * text (a Section with a Thumbnail accessory) or the video in a Media Gallery, and link buttons.
 * Its text is cut so that the card alone fits one message.
 */
export function renderPaperCard(paper: Paper, place: PaperPlace, language: Language): PaperCard {
  const url = paperLinks(paper).arxiv ?? paperLinks(paper).page;
  const title = escapeMarkdown(truncate(paper.title, 200));
  const votes =
    paper.votes === null ? t(language, "unknownVotes") : t(language, "voteCount")(paper.votes);
  const head = [
    `### ${url ? `[${title}](${url})` : title}`,
    `${votes} · ${truncate(authorsLine(paper, language), 300)}`,
    `-# ${t(language, "footer")(place.date, place.rank, place.total)}`,
  ].join("\n");
  const summaryRoom = DISCORD_LIMITS.textDisplayTotal - discordLength(head) - 1;
  const summary = truncate(
    paper.summary
      .map((item) => {
        const text = item.text.replace(/\n/g, "\n  ");
        return item.label ? `• **${item.label}**: ${text}` : `• ${text}`;
      })
      .join("\n"),
    summaryRoom,
  );
  const image = paper.media?.type === "video" ? null : paperImage(paper);
  const video =
    paper.media?.type === "video" && isHttpUrl(paper.media.url) ? paper.media.url : null;
  const parts: APIComponentInContainer[] = [];
  if (image && isHttpUrl(image))
    parts.push({
      type: ComponentType.Section,
      components: [{ type: ComponentType.TextDisplay, content: head }],
      accessory: {
        type: ComponentType.Thumbnail,
        media: { url: image },
        description: truncate(paper.title, DISCORD_LIMITS.thumbnailDescription),
      },
    });
  else parts.push({ type: ComponentType.TextDisplay, content: head });
  if (summary !== "") parts.push({ type: ComponentType.TextDisplay, content: summary });
  if (video)
    parts.push({
      type: ComponentType.MediaGallery,
      items: [{ media: { url: video }, description: truncate(paper.title, 1024) }],
    });
  const buttons = linkButtons(paper, language);
  if (buttons.length > 0)
    parts.push({
      type: ComponentType.ActionRow,
      components: buttons,
    } as APIActionRowComponent<APIButtonComponentWithURL>);
  const container: APIContainerComponent = {
    type: ComponentType.Container,
    accent_color: voteColor(paper.votes),
    components: parts,
  };
  return {
    container,
    components: countComponents(container),
    text: discordLength(head) + discordLength(summary),
  };
}

/**
 * What identifies a message's cards when it is read back: each container's first text (its
 * title line), in order.
 */
export function cardHeads(components: readonly unknown[] | undefined): string[] {
  const heads: string[] = [];
  for (const component of components ?? []) {
    const inner = (component as { type?: number; components?: unknown[] }).components ?? [];
    for (const child of inner as { type?: number; content?: string; components?: unknown[] }[]) {
      const text =
        child.type === ComponentType.TextDisplay
          ? child.content
          : child.type === ComponentType.Section
            ? (child.components?.[0] as { content?: string } | undefined)?.content
            : undefined;
      if (text !== undefined) {
        heads.push(text);
        break;
      }
    }
  }
  return heads;
}

/** Packs cards in order into as few messages as Components V2 allows (40 components, 4,000 characters). */
export function packCards(cards: readonly PaperCard[]): APIContainerComponent[][] {
  const messages: APIContainerComponent[][] = [];
  let components = 0;
  let text = 0;
  for (const card of cards) {
    const current = messages.at(-1);
    if (
      current &&
      components + card.components <= DISCORD_LIMITS.componentsV2Total &&
      text + card.text <= DISCORD_LIMITS.textDisplayTotal
    ) {
      current.push(card.container);
      components += card.components;
      text += card.text;
    } else {
      messages.push([card.container]);
      components = card.components;
      text = card.text;
    }
  }
  return messages;
}
