import type { Digest, Paper } from "../digest/model.js";
import type { Language } from "../i18n.js";
import { type DeliveryMode, layoutDigest, type PaperStyle } from "../render/digest-messages.js";
import { type PaperFilter, selectPapers } from "../render/select.js";
import type { DeliveryKind, DeliveryPlan } from "./model.js";

/** What a channel wants: its mode, filters and the role it asked to be pinged. */
export interface ChannelChoice extends PaperFilter {
  channelId: string;
  guildId: string | null;
  mode: DeliveryMode;
  mentionRoleId: string | null;
  /** The tag a forum post carries, if any. */
  forumTagId?: string | null;
  /** Embeds (the default) or Components V2 cards. */
  style?: PaperStyle;
}

/** What identifies a paper across versions of its digest: its arXiv id, else its title. */
export function paperKey(paper: Paper): string {
  return paper.id
    ? `arxiv:${paper.id}`
    : `title:${paper.title.replace(/\s+/g, " ").trim().toLowerCase()}`;
}

/** Plans one digest for one channel: the ledger steps, in the order they are sent. */
export function planDelivery(
  digest: Digest,
  choice: ChannelChoice,
  language: Language,
  kind: DeliveryKind,
): DeliveryPlan {
  const papers = selectPapers(digest, choice);
  const layout = layoutDigest(digest, papers, {
    language,
    mode: choice.mode,
    mentionRoleId: choice.mentionRoleId,
    style: choice.style ?? "embeds",
  });
  const steps: DeliveryPlan["steps"] = [];
  if (choice.mode === "forum") {
    steps.push({
      role: "forum-post",
      payload: {
        ...layout.header,
        thread_name: layout.threadName,
        ...(choice.forumTagId ? { applied_tags: [choice.forumTagId] } : {}),
      },
    });
  } else {
    steps.push({ role: "header", payload: layout.header });
    if (choice.mode === "thread" && layout.papers.length > 0) {
      steps.push({
        role: "thread",
        payload: { embeds: [], allowed_mentions: { parse: [] }, thread_name: layout.threadName },
      });
    }
  }
  for (const message of layout.papers) steps.push({ role: "papers", payload: message });
  return {
    channelId: choice.channelId,
    guildId: choice.guildId,
    digestDate: digest.date,
    kind,
    mode: choice.mode,
    language,
    steps,
    paperKeys: digest.papers.map(paperKey),
  };
}
