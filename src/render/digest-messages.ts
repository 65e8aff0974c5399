import type {
  APIActionRowComponent,
  APIButtonComponent,
  APIContainerComponent,
  APIEmbed,
} from "discord.js";
import type { Digest } from "../digest/model.js";
import { DISCORD_LIMITS, IS_COMPONENTS_V2, truncate } from "../discord/limits.js";
import { type Language, t } from "../i18n.js";
import { escapeMarkdown } from "./markdown.js";
import { packCards, renderPaperCard } from "./paper-card.js";
import { embedSize, renderPaperEmbed } from "./paper-embed.js";
import type { RankedPaper } from "./select.js";

/** How a channel receives a digest. */
export type DeliveryMode = "embeds" | "thread" | "forum";

/** Who a message may ping: nobody, or exactly one role chosen by an admin. */
export interface AllowedMentions {
  parse: [];
  roles?: string[];
  users?: string[];
}

/** How a channel's papers look: rich embeds, or Components V2 cards. */
export type PaperStyle = "embeds" | "cards";

/** One message to send, as Discord's API takes it. */
export interface OutgoingMessage {
  content?: string;
  embeds: APIEmbed[];
  /**
   * Paper cards (with `flags` IS_COMPONENTS_V2, and then no content and no embeds), or rows of
   * buttons under embeds (a reader's alert).
   */
  components?: (APIContainerComponent | APIActionRowComponent<APIButtonComponent>)[];
  flags?: number;
  allowed_mentions: AllowedMentions;
}

/** A digest laid out for one channel. */
export interface DigestLayout {
  /** The first message: in the channel (embeds, thread) or the forum post's starter message. */
  header: OutgoingMessage;
  /** The rest, in order: in the channel, or inside the thread or forum post. */
  papers: OutgoingMessage[];
  /** The thread or forum post name. */
  threadName: string;
}

export interface LayoutOptions {
  language: Language;
  mode: DeliveryMode;
  mentionRoleId: string | null;
  /** Embeds (the default) or cards. */
  style?: PaperStyle;
}

const QUIET: AllowedMentions = { parse: [] };

/** Packs embeds in order into as few messages as Discord allows (≤10 embeds, ≤6,000 characters). */
export function packEmbeds(embeds: readonly APIEmbed[], first: APIEmbed[] = []): APIEmbed[][] {
  const messages: APIEmbed[][] = [first];
  let size = first.reduce((n, e) => n + embedSize(e), 0);
  for (const embed of embeds) {
    const current = messages.at(-1) as APIEmbed[];
    const extra = embedSize(embed);
    if (
      current.length < DISCORD_LIMITS.embedsPerMessage &&
      size + extra <= DISCORD_LIMITS.embedsTotal
    ) {
      current.push(embed);
      size += extra;
    } else {
      messages.push([embed]);
      size = extra;
    }
  }
  return messages;
}

function headerContent(
  digest: Digest,
  papers: readonly RankedPaper[],
  options: LayoutOptions,
): string {
  const lines = [t(options.language, "header")(digest.date, papers.length)];
  const top = papers[0]?.paper;
  if (top) {
    const votes =
      top.votes === null
        ? t(options.language, "unknownVotes")
        : t(options.language, "voteCount")(top.votes);
    lines.push(t(options.language, "topPaper")(escapeMarkdown(truncate(top.title, 200)), votes));
  } else {
    lines.push(t(options.language, "noPapers"));
  }
  const role = options.mentionRoleId ? `<@&${options.mentionRoleId}> ` : "";
  return truncate(`${role}${lines.join("\n")}`, DISCORD_LIMITS.content);
}

function paperEmbeds(
  digest: Digest,
  papers: readonly RankedPaper[],
  language: Language,
): APIEmbed[] {
  return papers.map(({ paper, rank }) =>
    renderPaperEmbed(paper, { date: digest.date, rank, total: digest.papers.length }, language),
  );
}

/** Lays a digest out for one channel: header first, then the papers by votes, packed. */
export function layoutDigest(
  digest: Digest,
  papers: readonly RankedPaper[],
  options: LayoutOptions,
): DigestLayout {
  const headerMentions: AllowedMentions = options.mentionRoleId
    ? { parse: [], roles: [options.mentionRoleId] }
    : QUIET;
  if (options.style === "cards")
    return withCards(
      digest,
      papers,
      options,
      headerContent(digest, papers, options),
      headerMentions,
    );
  const embeds = paperEmbeds(digest, papers, options.language);
  return withHeader(
    digest,
    options,
    headerContent(digest, papers, options),
    embeds,
    headerMentions,
  );
}

/**
 * A header, then the papers as cards, packed. A card message has no content, so the header always
 * stands alone: in the channel, as the thread's starter, or as the forum post's first message.
 */
function withCards(
  digest: Digest,
  papers: readonly RankedPaper[],
  options: { language: Language },
  content: string,
  headerMentions: AllowedMentions,
): DigestLayout {
  const cards = papers.map(({ paper, rank }) =>
    renderPaperCard(
      paper,
      { date: digest.date, rank, total: digest.papers.length },
      options.language,
    ),
  );
  return {
    header: { content, embeds: [], allowed_mentions: headerMentions },
    papers: packCards(cards).map((group) => ({
      embeds: [],
      components: group,
      flags: IS_COMPONENTS_V2,
      allowed_mentions: QUIET,
    })),
    threadName: truncate(t(options.language, "threadName")(digest.date), DISCORD_LIMITS.threadName),
  };
}

/**
 * A header then the embeds, packed. In thread mode the header stands alone in the channel (a
 * thread is started from it); otherwise it carries the first papers.
 */
function withHeader(
  digest: Digest,
  options: { language: Language; mode: DeliveryMode },
  content: string,
  embeds: APIEmbed[],
  headerMentions: AllowedMentions,
): DigestLayout {
  const packed =
    options.mode === "thread"
      ? [[], ...packEmbeds(embeds).filter((m) => m.length > 0)]
      : packEmbeds(embeds);
  const [first = [], ...rest] = packed;
  return {
    header: { content, embeds: first, allowed_mentions: headerMentions },
    papers: rest.map((group) => ({ embeds: group, allowed_mentions: QUIET })),
    threadName: truncate(t(options.language, "threadName")(digest.date), DISCORD_LIMITS.threadName),
  };
}

/**
 * Lays out papers added to a digest after it was delivered: a short header ("2024-02-20 · 3 more
 * papers") carrying the first embeds, then the rest, packed. Updates ping nobody, whoever the
 * channel's role is: the digest itself already did.
 */
export function layoutUpdate(
  digest: Digest,
  papers: readonly RankedPaper[],
  options: Omit<LayoutOptions, "mentionRoleId">,
): DigestLayout {
  const content = truncate(
    t(options.language, "updateHeader")(digest.date, papers.length),
    DISCORD_LIMITS.content,
  );
  if (options.style === "cards") return withCards(digest, papers, options, content, QUIET);
  const embeds = paperEmbeds(digest, papers, options.language);
  return withHeader(digest, options, content, embeds, QUIET);
}
