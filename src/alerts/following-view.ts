import {
  type APIActionRowComponent,
  type APIButtonComponent,
  type APIEmbed,
  ButtonStyle,
  ComponentType,
} from "discord.js";
import type { Store } from "../delivery/store.js";
import { DISCORD_LIMITS } from "../discord/limits.js";
import type { Language } from "../i18n.js";
import { escapeMarkdown } from "../render/markdown.js";
import { type Follow, MAX_FOLLOWS, type ReaderData } from "./model.js";
import { ta } from "./text.js";

/** Follows per page of `/following`: three rows of remove buttons, then paging and data rows. */
export const FOLLOWS_PER_PAGE = 15;

type Row = APIActionRowComponent<APIButtonComponent>;

export interface FollowingView {
  embeds: APIEmbed[];
  components: Row[];
  allowedMentions: { parse: [] };
}

const button = (
  custom_id: string,
  label: string,
  style: ButtonStyle.Primary | ButtonStyle.Secondary | ButtonStyle.Danger = ButtonStyle.Secondary,
  disabled = false,
): APIButtonComponent => ({ type: ComponentType.Button, style, custom_id, label, disabled });

const rowsOf = (buttons: APIButtonComponent[]): Row[] => {
  const rows: Row[] = [];
  for (let i = 0; i < buttons.length; i += DISCORD_LIMITS.buttonsPerRow)
    rows.push({
      type: ComponentType.ActionRow,
      components: buttons.slice(i, i + DISCORD_LIMITS.buttonsPerRow),
    });
  return rows;
};

function line(n: number, follow: Follow): string {
  const icon = follow.kind === "author" ? "👤" : "🔎";
  const since = `<t:${Math.floor(follow.createdMs / 1000)}:d>`;
  return `**${n}.** ${icon} ${escapeMarkdown(follow.value)} · ${since}`;
}

/**
 * `/following`: the reader's follows (only they see it), a remove button for each, pages of
 * fifteen, and buttons to export or delete everything Paperboy keeps about them.
 */
export async function followingView(
  store: Store,
  userId: string,
  language: Language,
  page = 0,
): Promise<FollowingView> {
  const follows = await store.follows(userId);
  const reader = await store.reader(userId);
  const pages = Math.max(1, Math.ceil(follows.length / FOLLOWS_PER_PAGE));
  const at = Math.min(Math.max(0, page), pages - 1);
  const first = at * FOLLOWS_PER_PAGE;
  const shown = follows.slice(first, first + FOLLOWS_PER_PAGE);
  const lines = shown.map((f, i) => line(first + i + 1, f));
  const notes: string[] = [ta(language, "followingPrivate")];
  if (reader?.dmsClosedDate) notes.unshift(ta(language, "dmsClosedNow")(reader.dmsClosedDate));
  const description =
    follows.length === 0
      ? ta(language, "followingNone")
      : `${lines.join("\n")}\n\n${ta(language, "dmHowTo")}`;
  const removes = shown.map((f, i) =>
    button(`following:rm:${f.id}:${at}`, ta(language, "removeLabel")(first + i + 1)),
  );
  const rows = rowsOf(removes);
  if (pages > 1)
    rows.push(
      ...rowsOf([
        button(`following:page:${at - 1}`, "◀", ButtonStyle.Secondary, at === 0),
        button(`following:page:${at + 1}`, "▶", ButtonStyle.Secondary, at === pages - 1),
      ]),
    );
  rows.push(
    ...rowsOf([
      button("following:export", ta(language, "exportLabel"), ButtonStyle.Primary),
      button("following:delete", ta(language, "deleteLabel"), ButtonStyle.Danger),
    ]),
  );
  return {
    embeds: [
      {
        title: ta(language, "followingTitle")(follows.length, MAX_FOLLOWS),
        description,
        footer: { text: notes.join(" · ") },
      },
    ],
    components: rows,
    allowedMentions: { parse: [] },
  };
}

/** The question before deleting everything, with its two answers. */
export function deleteConfirmView(language: Language): FollowingView {
  return {
    embeds: [{ description: ta(language, "deleteConfirm") }],
    components: rowsOf([
      button("following:delete-yes", ta(language, "deleteYes"), ButtonStyle.Danger),
      button("following:page:0", ta(language, "cancel")),
    ]),
    allowedMentions: { parse: [] },
  };
}

/** A reader's data as JSON: what they follow, how they are reached, every alert. */
export function exportJson(data: ReaderData): string {
  return JSON.stringify(
    {
      user_id: data.userId,
      language: data.reader?.language ?? null,
      dm_channel_id: data.reader?.dmChannelId ?? null,
      dms_refused_for: data.reader?.dmsClosedDate ?? null,
      follows: data.follows.map((f) => ({ kind: f.kind, value: f.value, since: f.createdAt })),
      alerts: data.alerts.map((a) => ({
        digest: a.digestDate,
        status: a.status,
        at: a.finishedAt ?? a.createdAt,
      })),
    },
    null,
    1,
  );
}

/** Messages a reply and its follow-ups may hold (a user-installed app gets five follow-ups). */
const EXPORT_MESSAGES = 5;
/** A piece's JSON: room is left for the fences, the intro and the closing note. */
const PIECE = DISCORD_LIMITS.content - 300;

/**
 * The export cut into code blocks of at most one message each, at line ends; past five messages
 * the oldest alert records are left out, and the last message says so.
 */
export function exportMessages(data: ReaderData, language: Language): string[] {
  let alerts = data.alerts;
  for (;;) {
    const all = cut(exportJson({ ...data, alerts }));
    // Follows alone fit in five messages (25 of at most 100 characters); this bounds it anyway.
    const pieces = alerts.length === 0 ? all.slice(0, EXPORT_MESSAGES) : all;
    if (pieces.length <= EXPORT_MESSAGES) {
      const messages = pieces.map((p) => `\`\`\`json\n${p}\n\`\`\``);
      messages[0] = `${ta(language, "exportIntro")}\n${messages[0]}`;
      if (alerts.length < data.alerts.length)
        messages[messages.length - 1] += `\n${ta(language, "exportMore")}`;
      return messages;
    }
    alerts = alerts.slice(Math.ceil(alerts.length / 4));
  }
}

function cut(json: string): string[] {
  const pieces: string[] = [];
  let piece = "";
  for (const whole of json.split("\n")) {
    const line = whole.length > PIECE ? `${whole.slice(0, PIECE - 1)}…` : whole;
    if (piece.length + line.length + 1 > PIECE && piece !== "") {
      pieces.push(piece);
      piece = "";
    }
    piece += piece === "" ? line : `\n${line}`;
  }
  if (piece !== "") pieces.push(piece);
  return pieces;
}
