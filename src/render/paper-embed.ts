import type { APIEmbed, APIEmbedField } from "discord.js";
import type { Paper, SummaryItem } from "../digest/model.js";
import { isHttpUrl } from "../digest/text.js";
import { DISCORD_LIMITS, discordLength, truncate } from "../discord/limits.js";
import { type Language, t } from "../i18n.js";

/** How many author names an embed lists before "and N more". */
export const AUTHORS_SHOWN = 5;

/** Embed colours by vote tier. */
export const VOTE_COLORS = {
  top: 0xf1c40f,
  high: 0xe67e22,
  mid: 0x3498db,
  low: 0x2ecc71,
  none: 0x95a5a6,
} as const;

/** The colour of a paper with this many votes. */
export function voteColor(votes: number | null): number {
  if (votes === null || votes <= 0) return VOTE_COLORS.none;
  if (votes >= 100) return VOTE_COLORS.top;
  if (votes >= 50) return VOTE_COLORS.high;
  if (votes >= 20) return VOTE_COLORS.mid;
  return VOTE_COLORS.low;
}

/** The paper's links: arXiv abstract, PDF, Hugging Face page, and its video. */
export function paperLinks(paper: Paper): {
  arxiv: string | null;
  pdf: string | null;
  huggingFace: string | null;
  video: string | null;
  page: string | null;
} {
  const id = paper.id;
  return {
    arxiv: id ? `https://arxiv.org/abs/${id}` : null,
    pdf: id ? `https://arxiv.org/pdf/${id}` : null,
    huggingFace: id ? `https://huggingface.co/papers/${id}` : null,
    video: paper.media?.type === "video" ? paper.media.url : null,
    page: isHttpUrl(paper.url) ? paper.url : null,
  };
}

/** The picture an embed shows: the thumbnail, or for a video the Hugging Face social card. */
export function paperImage(paper: Paper): string | null {
  if (paper.media?.type === "image") return paper.media.url;
  if (paper.id)
    return `https://cdn-thumbnails.huggingface.co/social-thumbnails/papers/${paper.id}.png`;
  return null;
}

function summaryLine(item: SummaryItem): string {
  const text = item.text.replace(/\n/g, "\n  ");
  return item.label ? `• **${item.label}**: ${text}` : `• ${text}`;
}

function authorsValue(paper: Paper, language: Language): string {
  if (paper.authors.length === 0)
    return paper.authorsTruncated ? t(language, "cutList") : t(language, "noAuthors");
  const shown = paper.authors.slice(0, AUTHORS_SHOWN).join(", ");
  const rest = paper.authors.length - AUTHORS_SHOWN;
  const more = rest > 0 ? ` ${t(language, "moreAuthors")(rest)}` : "";
  const cut = paper.authorsTruncated ? ` ${t(language, "cutList")}` : "";
  return truncate(`${shown}${more}${cut}`, DISCORD_LIMITS.fieldValue);
}

function linksValue(paper: Paper, language: Language): string {
  const links = paperLinks(paper);
  const parts: string[] = [];
  if (links.arxiv) parts.push(`[arXiv](${links.arxiv})`);
  if (links.pdf) parts.push(`[${t(language, "pdf")}](${links.pdf})`);
  if (links.huggingFace) parts.push(`[Hugging Face](${links.huggingFace})`);
  if (!links.arxiv && links.page) parts.push(`[${t(language, "paperPage")}](${links.page})`);
  if (links.video && isHttpUrl(links.video))
    parts.push(`[${t(language, "video")}](${links.video})`);
  return parts.join(" · ");
}

/** Where a paper sits: its digest date, rank and the number of papers ranked. */
export interface PaperPlace {
  date: string;
  rank: number;
  total: number;
}

/** One paper as a rich embed; every field within Discord's limits, only http(s) URLs. */
export function renderPaperEmbed(paper: Paper, place: PaperPlace, language: Language): APIEmbed {
  const votes =
    paper.votes === null ? t(language, "unknownVotes") : t(language, "voteCount")(paper.votes);
  const fields: APIEmbedField[] = [
    { name: t(language, "votes"), value: votes, inline: true },
    { name: t(language, "authors"), value: authorsValue(paper, language), inline: true },
  ];
  const links = linksValue(paper, language);
  if (links !== "")
    fields.push({
      name: t(language, "links"),
      value: truncate(links, DISCORD_LIMITS.fieldValue),
      inline: false,
    });
  const title = truncate(paper.title, DISCORD_LIMITS.embedTitle);
  const footer = truncate(
    t(language, "footer")(place.date, place.rank, place.total),
    DISCORD_LIMITS.footerText,
  );
  const used =
    discordLength(title) +
    discordLength(footer) +
    fields.reduce((n, f) => n + discordLength(f.name) + discordLength(f.value), 0);
  const room = Math.min(DISCORD_LIMITS.embedDescription, DISCORD_LIMITS.embedsTotal - used);
  const description = truncate(paper.summary.map(summaryLine).join("\n"), room);
  const url = paperLinks(paper).arxiv ?? paperLinks(paper).page;
  const image = paperImage(paper);
  return {
    title,
    ...(url ? { url } : {}),
    ...(description !== "" ? { description } : {}),
    color: voteColor(paper.votes),
    fields,
    ...(image && isHttpUrl(image) ? { image: { url: image } } : {}),
    footer: { text: footer },
    timestamp: `${place.date}T00:00:00.000Z`,
  };
}

/** The characters an embed counts toward a message's 6,000 (title, description, fields, footer, author). */
export function embedSize(embed: APIEmbed): number {
  return (
    discordLength(embed.title ?? "") +
    discordLength(embed.description ?? "") +
    discordLength(embed.footer?.text ?? "") +
    discordLength(embed.author?.name ?? "") +
    (embed.fields ?? []).reduce((n, f) => n + discordLength(f.name) + discordLength(f.value), 0)
  );
}
