import { basename } from "node:path";
import type { APIEmbed } from "discord.js";
import type { Digest } from "../digest/model.js";
import type { Language } from "../i18n.js";
import {
  type DeliveryMode,
  type DigestLayout,
  layoutDigest,
  type OutgoingMessage,
  type PaperStyle,
} from "../render/digest-messages.js";
import { NO_FILTER, selectPapers } from "../render/select.js";
import { PAPERBOY_AVATAR } from "./avatar.js";
import { CARD_CSS, cardHtml } from "./card-html.js";
import { discordMarkdownToHtml, escapeHtml } from "./markdown.js";
import { pageText } from "./page-text.js";

const hex = (color: number | undefined) => `#${(color ?? 0x95a5a6).toString(16).padStart(6, "0")}`;
const attr = (name: string, value: string | undefined) =>
  value === undefined ? "" : ` ${name}="${escapeHtml(value)}"`;

/**
 * Where each field sits in its row, as Discord lays them out: consecutive inline fields share a
 * row, up to three (1 left, 2 middle, 3 right); a field that is not inline gets a row of its own.
 */
export function inlinePositions(fields: readonly { inline?: boolean }[]): (number | null)[] {
  let run = 0;
  return fields.map((field) => {
    if (!field.inline) {
      run = 0;
      return null;
    }
    run = (run % 3) + 1;
    return run;
  });
}

/** One embed as a `<discord-embed>` element. */
export function embedHtml(embed: APIEmbed): string {
  const positions = inlinePositions(embed.fields ?? []);
  const fields = (embed.fields ?? [])
    .map((f, i) => {
      const position = positions[i];
      const inline = position ? ` inline inline-index="${position}"` : "";
      return `<discord-embed-field field-title="${escapeHtml(f.name)}"${inline}>${discordMarkdownToHtml(f.value)}</discord-embed-field>`;
    })
    .join("");
  return [
    `<discord-embed slot="embeds" color="${hex(embed.color)}"${attr("embed-title", embed.title)}${attr("url", embed.url)}${attr("image", embed.image?.url)}>`,
    embed.description
      ? `<discord-embed-description slot="description">${discordMarkdownToHtml(embed.description)}</discord-embed-description>`
      : "",
    fields ? `<discord-embed-fields slot="fields">${fields}</discord-embed-fields>` : "",
    embed.footer
      ? `<discord-embed-footer slot="footer">${escapeHtml(embed.footer.text)}</discord-embed-footer>`
      : "",
    "</discord-embed>",
  ].join("");
}

/** The opening tag of a message by the bot, with its bundled avatar. */
export function botMessageTag(extra = ""): string {
  return `<discord-message author="Paperboy" avatar="${PAPERBOY_AVATAR}" bot${extra}>`;
}

function messageHtml(message: OutgoingMessage, extra = ""): string {
  return `${botMessageTag(extra)}${message.content ? discordMarkdownToHtml(message.content) : ""}${message.embeds.map(embedHtml).join("")}${(message.components ?? []).map(cardHtml).join("")}</discord-message>`;
}

/** The messages of one layout as Discord would show them in a channel, thread or forum post. */
export function layoutHtml(layout: DigestLayout, mode: DeliveryMode): string {
  const header = messageHtml(layout.header, mode === "thread" ? " has-thread" : "");
  const rest = layout.papers.map((m) => messageHtml(m)).join("");
  if (mode === "embeds") return `<discord-messages>${header}${rest}</discord-messages>`;
  const title = `<h2 class="thread">🧵 ${escapeHtml(layout.threadName)}</h2>`;
  if (mode === "thread")
    return `<discord-messages>${header}</discord-messages>${title}<discord-messages>${rest}</discord-messages>`;
  return `${title}<discord-messages>${header}${rest}</discord-messages>`;
}

/** A standalone page previewing a digest exactly as the bot would post it. */
export function previewPage(
  digest: Digest,
  language: Language,
  mode: DeliveryMode,
  componentsScript: string,
  style: PaperStyle = "embeds",
): string {
  const layout = layoutDigest(digest, selectPapers(digest, NO_FILTER), {
    language,
    mode,
    mentionRoleId: null,
    style,
  });
  const warnings = digest.warnings
    .map((w) => `<li>${escapeHtml(`${w.file}:${w.line}: ${w.message}`)}</li>`)
    .join("");
  return `<!doctype html>
<html lang="${language}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(pageText("previewTitle", language)(digest.date))}</title>
<style>
  body { margin: 0; background: #313338; color: #dbdee1; font-family: "gg sans", "Noto Sans", "Noto Sans KR", sans-serif; }
  header { padding: 16px 24px; border-bottom: 1px solid #1e1f22; }
  header h1 { margin: 0; font-size: 18px; color: #f2f3f5; }
  header p { margin: 4px 0 0; font-size: 13px; color: #b5bac1; }
  main { max-width: 980px; margin: 0 auto; padding: 8px 0 32px; }
  h2.thread { font-size: 15px; color: #f2f3f5; margin: 16px 24px 0; }
  ul.warnings { color: #f0b232; font-size: 13px; }
  a { color: #00a8fc; text-decoration: none; }
  a:hover { text-decoration: underline; }
${CARD_CSS}
</style>
<script>${componentsScript.replace(/<\/script/gi, "<\\/script")}</script>
</head>
<body>
<header>
  <h1>${escapeHtml(pageText("previewHeading", language)(digest.date, digest.papers.length, pageText("mode", language)[mode]))}</h1>
  <p>${escapeHtml(basename(digest.source))}${digest.warnings.length > 0 ? ` · ${pageText("warnings", language)(digest.warnings.length)}` : ""}</p>
  ${warnings ? `<ul class="warnings">${warnings}</ul>` : ""}
</header>
<main>${layoutHtml(layout, mode)}</main>
</body>
</html>
`;
}
