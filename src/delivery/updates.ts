import { createHash } from "node:crypto";
import type { Digest } from "../digest/model.js";
import type { Language } from "../i18n.js";
import { layoutUpdate, type PaperStyle } from "../render/digest-messages.js";
import { type PaperFilter, type RankedPaper, selectPapers } from "../render/select.js";
import type { Delivery, DeliveryPlan } from "./model.js";
import { paperKey } from "./planner.js";

/**
 * The papers of `digest` a channel still lacks: chosen by its filter in the digest as it is now,
 * and absent from the digest every earlier delivery of that date saw. A paper that was there
 * already (sent, filtered out, or edited since) is never sent again.
 */
export function addedPapers(
  digest: Digest,
  filter: PaperFilter & { style?: PaperStyle },
  deliveries: readonly Delivery[],
): RankedPaper[] {
  const seen = new Set(deliveries.flatMap((d) => d.paperKeys ?? []));
  return selectPapers(digest, filter).filter(({ paper }) => !seen.has(paperKey(paper)));
}

/**
 * Plans an update for one channel and date from its deliveries of that date, or null when there
 * is nothing to add or nowhere to add it: the scheduled delivery must be done and must have kept
 * its papers (deliveries recorded before updates existed did not). It goes where the digest went:
 * the channel (embeds), or the digest's thread or forum post.
 */
export function planUpdate(
  digest: Digest,
  filter: PaperFilter & { style?: PaperStyle },
  deliveries: readonly Delivery[],
  language: Language,
): DeliveryPlan | null {
  const original = deliveries.find((d) => d.kind === "scheduled");
  if (original?.status !== "done" || original.paperKeys === null) return null;
  const counted = deliveries.filter((d) => d.kind !== "manual");
  const papers = addedPapers(digest, filter, counted);
  if (papers.length === 0) return null;
  // A thread-mode digest with no papers had no thread; the first update starts one.
  const threadId =
    original.threadId ?? counted.findLast((d) => d.threadId !== null)?.threadId ?? null;
  if (original.mode === "forum" && threadId === null) return null;
  const startsThread = original.mode === "thread" && threadId === null;
  const layout = layoutUpdate(digest, papers, {
    language,
    mode: startsThread ? "thread" : "embeds",
    style: filter.style ?? "embeds",
  });
  const steps: DeliveryPlan["steps"] = [];
  if (original.mode === "embeds" || startsThread) {
    steps.push({ role: "header", payload: layout.header });
    if (startsThread)
      steps.push({
        role: "thread",
        payload: { embeds: [], allowed_mentions: { parse: [] }, thread_name: layout.threadName },
      });
  } else {
    steps.push({ role: "papers", payload: layout.header });
  }
  for (const message of layout.papers) steps.push({ role: "papers", payload: message });
  const keys = papers.map(({ paper }) => paperKey(paper)).sort();
  return {
    channelId: original.channelId,
    guildId: original.guildId,
    digestDate: digest.date,
    kind: "update",
    mode: original.mode,
    language,
    steps,
    paperKeys: digest.papers.map(paperKey),
    update: {
      of: original.id,
      threadId,
      key: createHash("sha256").update(keys.join("\n")).digest("hex"),
    },
  };
}
