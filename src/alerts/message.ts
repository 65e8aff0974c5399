import type { APIActionRowComponent, APIButtonComponent } from "discord.js";
import { ButtonStyle, ComponentType } from "discord.js";
import type { Paper } from "../digest/model.js";
import { DISCORD_LIMITS, discordLength, truncate } from "../discord/limits.js";
import type { Language } from "../i18n.js";
import type { OutgoingMessage } from "../render/digest-messages.js";
import { escapeMarkdown, honestLink } from "../render/markdown.js";
import { voteColor } from "../render/paper-embed.js";
import type { PaperMatch } from "./match.js";
import { ta } from "./text.js";

/** Characters of a paper's first summary line in an alert. */
const SUMMARY_SHOWN = 180;
/** A button's title part. */
const LABEL_TITLE = 40;

/**
 * The custom id of the button that opens a paper's full card (see commands/follow.ts): the
 * digest, the paper's place in it and its arXiv id (which wins should the digest change).
 */
export function cardButtonId(date: string, position: number, id: string | null): string {
  return `follow:card:${date}:${position}${id ? `:${id}` : ""}`;
}

/** The first line of a paper's summary, as plain as the digest wrote it, cut short. */
function firstLine(paper: Paper): string {
  const item = paper.summary[0];
  if (!item) return "";
  const line = (item.text.split("\n")[0] ?? "").trim();
  const text = item.label ? `**${escapeMarkdown(item.label)}**: ${line}` : line;
  return truncate(text, SUMMARY_SHOWN);
}

/** What every reader's alert shows of a paper alike: made once per paper, not once per reader. */
interface PaperParts {
  /** The linked title and votes (after the number). */
  head: string;
  summary: string;
  /** The button's title part. */
  label: string;
}

const madeParts = new WeakMap<Paper, PaperParts>();

function partsOf(paper: Paper): PaperParts {
  const made = madeParts.get(paper);
  if (made) return made;
  const votes = paper.votes === null ? "" : ` · 👍 ${paper.votes}`;
  const title = truncate(paper.title, 200);
  const parts = {
    head: `${paper.url ? honestLink(title, paper.url) : escapeMarkdown(title)}${votes}`,
    summary: firstLine(paper).replace(/\n/g, " "),
    label: truncate(paper.title, LABEL_TITLE),
  };
  madeParts.set(paper, parts);
  return parts;
}

/** One paper's lines: its linked title and votes, what matched (in bold), its first summary line. */
function paperBlock(n: number, match: PaperMatch, language: Language): string {
  const parts = partsOf(match.paper);
  const matched = [
    ...match.authors.map((a) => `${ta(language, "matchedAuthor")}: **${escapeMarkdown(a)}**`),
    ...match.topics.map((t) => `${ta(language, "matchedTopic")}: **${escapeMarkdown(t)}**`),
  ].join(" · ");
  return [`**${n}.** ${parts.head}`, matched, parts.summary ? `> ${parts.summary}` : ""]
    .filter((line) => line !== "")
    .join("\n");
}

/**
 * A reader's alert for one digest: one embed listing the matching papers (as many as fit in
 * Discord's limits, the rest counted), and a button per listed paper that opens its full card.
 */
export function renderAlert(
  date: string,
  matches: readonly PaperMatch[],
  language: Language,
): OutgoingMessage {
  const maxButtons = DISCORD_LIMITS.buttonsPerRow * DISCORD_LIMITS.actionRows;
  const blocks: string[] = [];
  let used = 0;
  // Room kept for the closing "and N more" line.
  const room = DISCORD_LIMITS.embedDescription - 120;
  for (const match of matches) {
    if (blocks.length === maxButtons) break;
    // The first paper is always shown, cut if it must be.
    const whole = paperBlock(blocks.length + 1, match, language);
    const block = blocks.length === 0 ? truncate(whole, room) : whole;
    const size = discordLength(block) + (blocks.length > 0 ? 2 : 0);
    if (used + size > room) break;
    blocks.push(block);
    used += size;
  }
  const shown = matches.slice(0, blocks.length);
  const rest = matches.length - shown.length;
  if (rest > 0) blocks.push(ta(language, "alertMore")(rest, date));
  const buttons: APIButtonComponent[] = shown.map((match, i) => ({
    type: ComponentType.Button,
    style: ButtonStyle.Secondary,
    custom_id: cardButtonId(date, match.position, match.paper.id),
    // The number (at most "25. ") and a title part cut to leave room for it: within 80.
    label: `${i + 1}. ${partsOf(match.paper).label}`,
  }));
  const rows: APIActionRowComponent<APIButtonComponent>[] = [];
  for (let i = 0; i < buttons.length; i += DISCORD_LIMITS.buttonsPerRow)
    rows.push({
      type: ComponentType.ActionRow,
      components: buttons.slice(i, i + DISCORD_LIMITS.buttonsPerRow),
    });
  const top = Math.max(...shown.map((m) => m.paper.votes ?? 0), 0);
  return {
    embeds: [
      {
        title: ta(language, "alertTitle")(matches.length, date),
        description: blocks.join("\n\n"),
        color: voteColor(top),
        footer: { text: ta(language, "alertFooter") },
      },
    ],
    ...(rows.length > 0 ? { components: rows } : {}),
    allowed_mentions: { parse: [] },
  };
}
