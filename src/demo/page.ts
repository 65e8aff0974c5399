import type { APIEmbed } from "discord.js";
import type { Language } from "../i18n.js";
import { CARD_CSS, cardHtml } from "../preview/card-html.js";
import { discordMarkdownToHtml, escapeHtml } from "../preview/markdown.js";
import { botMessageTag, embedHtml } from "../preview/page.js";
import { pageText } from "../preview/page-text.js";
import type { DeliveryMode } from "../render/digest-messages.js";

/** A message as Discord's API returns it (the fields the page shows). */
export interface ApiMessage {
  id: string;
  content: string;
  embeds: APIEmbed[];
  components: {
    type: number;
    components?: {
      type: number;
      label?: string;
      custom_id?: string;
      url?: string;
      style?: number;
      disabled?: boolean;
      placeholder?: string;
      options?: { label: string }[];
    }[];
  }[];
  thread_id?: string | null;
}

/** A channel of the demo server with what the bot posted there. */
export interface DemoChannel {
  name: string;
  mode: string;
  messages: ApiMessage[];
  /** Threads (thread mode) and forum posts, by name, with their messages. */
  threads: { name: string; starterId: string | null; messages: ApiMessage[] }[];
}

/** The demo reader's DM with the bot: their follows, the alert a new digest brought, what it opened. */
export interface DemoDm {
  /** The digest that arrived after the follows. */
  date: string;
  /** `/follow` answers, from before the digest arrived. */
  follows: DemoReply[];
  /** What the bot sent in the DM on its own: the alert. */
  messages: ApiMessage[];
  /** The alert's button the reader pressed, and the paper card it opened. */
  pressed: { label: string; reply: ApiMessage } | null;
  /** Commands asked afterwards (`/following`). */
  after: DemoReply[];
}

/** A slash command a reader ran, with the bot's answer. */
export interface DemoReply {
  /** The command as the page names it ("/config channel add"). */
  command: string;
  reply: ApiMessage;
  /** Asked in a DM with the bot. */
  dm?: boolean;
}

/** Discord's button styles as the web component names them (a link button looks secondary). */
const BUTTON_TYPES: Record<number, string> = { 1: "primary", 3: "success", 4: "destructive" };

function componentsHtml(rows: ApiMessage["components"]): string {
  if (rows.length === 0) return "";
  const inner = rows
    .map((row) => {
      const parts = (row.components ?? []).map((c) => {
        if (c.type === 2) {
          const type = BUTTON_TYPES[c.style ?? 2] ?? "secondary";
          return `<discord-button type="${type}"${c.url ? ` url="${escapeHtml(c.url)}"` : ""}${c.disabled ? " disabled" : ""}>${escapeHtml(c.label ?? "")}</discord-button>`;
        }
        const options = (c.options ?? [])
          .map(
            (o) =>
              `<discord-string-select-menu-option label="${escapeHtml(o.label)}"></discord-string-select-menu-option>`,
          )
          .join("");
        return `<discord-string-select-menu placeholder="${escapeHtml(c.placeholder ?? "")}">${options}</discord-string-select-menu>`;
      });
      return `<discord-action-row>${parts.join("")}</discord-action-row>`;
    })
    .join("");
  return `<discord-attachments slot="components">${inner}</discord-attachments>`;
}

/** One bot message; `extra` adds a reply line or a thread under it. */
export function apiMessageHtml(message: ApiMessage, extra = ""): string {
  return `${botMessageTag()}${extra}${discordMarkdownToHtml(message.content)}${message.embeds.map(embedHtml).join("")}${message.components
    .filter((c) => c.type === 17)
    .map(cardHtml)
    .join("")}${componentsHtml(message.components.filter((c) => c.type !== 17))}</discord-message>`;
}

/** A command's answer, under the line saying who used it (and where). */
function replyHtml({ command, reply, dm }: DemoReply, language: Language): string {
  return apiMessageHtml(
    reply,
    // Drawn here, not by <discord-command>, whose "used" is English only.
    `<div slot="reply" class="used">↱ ${escapeHtml(pageText("used", language)(pageText("reader", language), command.replace(/^\//, "")))}${dm ? ` · ${pageText("inDm", language)}` : ""}</div>`,
  );
}

/** The reader's DM: follows, the digest's arrival, the alert, the card its button opened. */
function dmSectionHtml(dm: DemoDm, language: Language): string {
  const pressed = dm.pressed
    ? apiMessageHtml(
        dm.pressed.reply,
        `<div slot="reply" class="used">↱ ${escapeHtml(pageText("pressed", language)(pageText("reader", language), dm.pressed.label))}</div>`,
      )
    : "";
  const alert = dm.messages.map((m) => apiMessageHtml(m)).join("");
  return `<section class="dm"><h2>💬 ${pageText("dmHeading", language)} <small>${pageText("dmAbout", language)}</small></h2><discord-messages>${dm.follows.map((r) => replyHtml(r, language)).join("")}</discord-messages><p class="arrival">📥 ${escapeHtml(pageText("arrived", language)(dm.date))}</p><discord-messages>${alert}${pressed}${dm.after.map((r) => replyHtml(r, language)).join("")}</discord-messages></section>`;
}

/** The demo page: every channel as Discord shows it, the command replies, then a reader's DM. */
export function demoPage(
  server: string,
  channels: readonly DemoChannel[],
  replies: readonly DemoReply[],
  dm: DemoDm | null,
  componentsScript: string,
  language: Language = "ko",
): string {
  const sections = channels.map((channel) => {
    const threads = channel.threads
      .map(
        (thread) =>
          `<h3>🧵 ${escapeHtml(thread.name)}</h3><discord-messages>${thread.messages.map((m) => apiMessageHtml(m)).join("")}</discord-messages>`,
      )
      .join("");
    const messages = channel.messages
      .map((m) => {
        const thread = channel.threads.find((t) => t.starterId === m.id);
        const marker = thread
          ? `<discord-thread slot="thread" name="${escapeHtml(thread.name)}" cta="${escapeHtml(pageText("threadMessages", language)(thread.messages.length))}"></discord-thread>`
          : "";
        return apiMessageHtml(m, "").replace("</discord-message>", `${marker}</discord-message>`);
      })
      .join("");
    const body =
      channel.mode === "forum"
        ? threads
        : `<discord-messages>${messages}</discord-messages>${threads}`;
    return `<section><h2># ${escapeHtml(channel.name)} <small>${pageText("modeLabel", language)}: ${escapeHtml(pageText("mode", language)[channel.mode as DeliveryMode] ?? channel.mode)}</small></h2>${body}</section>`;
  });
  const commands = replies.map((r) => replyHtml(r, language)).join("");
  return `<!doctype html>
<html lang="${language}">
<head>
<meta charset="utf-8">
<title>${escapeHtml(pageText("demoTitle", language)(server))}</title>
<style>
  body { margin: 0; background: #313338; color: #dbdee1; font-family: "gg sans", "Noto Sans", "Noto Sans KR", sans-serif; }
  header { padding: 16px 24px; border-bottom: 1px solid #1e1f22; }
  h1 { margin: 0; font-size: 18px; color: #f2f3f5; }
  h2 { font-size: 16px; color: #f2f3f5; margin: 24px 24px 4px; }
  h2 small { color: #949ba4; font-weight: normal; }
  h3 { font-size: 14px; color: #f2f3f5; margin: 12px 24px 0; }
  main { max-width: 1000px; margin: 0 auto; padding-bottom: 32px; }
  a { color: #00a8fc; text-decoration: none; }
  .used { font-size: 13px; color: #b5bac1; margin-bottom: 2px; }
  .arrival { margin: 8px 24px; font-size: 13px; color: #949ba4; }
${CARD_CSS}
</style>
<script>${componentsScript.replace(/<\/script/gi, "<\\/script")}</script>
</head>
<body>
<header><h1>${escapeHtml(pageText("demoHeading", language)(server))}</h1><a href="?lang=${language === "ko" ? "en" : "ko"}">${pageText("otherLanguage", language)}</a></header>
<main>${sections.join("")}<section><h2>${pageText("commands", language)}</h2><discord-messages>${commands}</discord-messages></section>${dm ? dmSectionHtml(dm, language) : ""}</main>
</body>
</html>
`;
}
