import type { Digest, Paper } from "../digest/model.js";
import { cardHeads } from "../render/paper-card.js";
import { paperLinks } from "../render/paper-embed.js";
import { haystack, rankPapers, selectPapers } from "../render/select.js";
import type { ChannelSubscription, Delivery, DeliveryStep } from "./model.js";

/** Which of a channel's filters left a paper (or every paper) out. */
export type FilterReason =
  | { filter: "minVotes"; minVotes: number; votes: number | null }
  | { filter: "includeKeywords"; keywords: readonly string[] }
  | { filter: "excludeKeywords"; keyword: string }
  | { filter: "topN"; topN: number; rank: number };

/** Where one digest (or one paper of it) stands for one channel: the stage that stopped it. */
export type Verdict =
  | { stage: "delivered"; messageId: string | null; whereId: string; at: string | null }
  | { stage: "notSubscribed" }
  | { stage: "subscribedAfter"; since: string }
  | { stage: "paused"; reason: string }
  | { stage: "filtered"; reason: FilterReason }
  | { stage: "notDue" }
  | { stage: "pending"; error: string | null; attempts: number }
  | { stage: "failed"; error: string | null }
  | { stage: "notInDigest" };

/** Why `paper` (null: why no paper at all) is left out by the channel's filters; null if it is not. */
export function filterReason(
  digest: Digest,
  subscription: ChannelSubscription,
  paper: Paper | null,
): FilterReason | null {
  if (digest.papers.length === 0) return null;
  const chosen = selectPapers(digest, subscription);
  if (paper === null ? chosen.length > 0 : chosen.some((c) => c.paper === paper)) return null;
  const candidates = paper === null ? digest.papers : [paper];
  const text = (p: Paper) => haystack(p);
  const first = candidates[0];
  const min = subscription.minVotes;
  if (min !== null && candidates.every((p) => (p.votes ?? 0) < min))
    return { filter: "minVotes", minVotes: min, votes: first?.votes ?? null };
  const include = subscription.includeKeywords.filter((k) => k !== "");
  if (
    include.length > 0 &&
    candidates.every((p) => !include.some((k) => text(p).includes(k.toLowerCase())))
  )
    return { filter: "includeKeywords", keywords: include };
  for (const keyword of subscription.excludeKeywords.filter((k) => k !== ""))
    if (candidates.every((p) => text(p).includes(keyword.toLowerCase())))
      return { filter: "excludeKeywords", keyword };
  const rank = paper === null ? 0 : (rankPapers(digest).find((r) => r.paper === paper)?.rank ?? 0);
  return { filter: "topN", topN: subscription.topN ?? 0, rank };
}

/** The message a paper went out in: the step whose embed or card links it. */
function paperMessage(steps: readonly DeliveryStep[], paper: Paper): DeliveryStep | null {
  const url = paperLinks(paper).arxiv ?? paperLinks(paper).page ?? paper.url;
  return (
    steps.find(
      (s) =>
        s.discordId !== null &&
        (s.payload.embeds?.some((e) => e.url === url) ||
          cardHeads(s.payload.components).some((head) => head.includes(`](${url})`))),
    ) ?? null
  );
}

/**
 * Explains what happened to a digest (or one paper of it) in one channel, from what the ledger,
 * the subscription and the digest say: the first stage that stopped it, or where it was delivered.
 */
export function explain(input: {
  digest: Digest;
  paper: Paper | null;
  subscription: ChannelSubscription | null;
  /** The channel's deliveries of this digest, newest first. */
  deliveries: readonly Delivery[];
  /** Steps of the newest delivery. */
  steps: readonly DeliveryStep[];
}): Verdict {
  const { digest, paper, subscription, steps } = input;
  const delivery = input.deliveries[0] ?? null;
  if (delivery?.status === "done") {
    if (subscription && paper) {
      const reason = filterReason(digest, subscription, paper);
      if (reason) return { stage: "filtered", reason };
    }
    const step = paper
      ? paperMessage(steps, paper)
      : (steps.find((s) => s.discordId !== null) ?? null);
    if (paper && !step) return { stage: "notInDigest" };
    const inChannel = step?.role === "header" && delivery.mode !== "forum";
    return {
      stage: "delivered",
      messageId: step?.discordId ?? null,
      whereId: inChannel ? delivery.channelId : (delivery.threadId ?? delivery.channelId),
      at: delivery.finishedAt,
    };
  }
  if (delivery?.status === "paused")
    return { stage: "paused", reason: subscription?.pausedReason ?? delivery.error ?? "" };
  if (delivery?.status === "failed") return { stage: "failed", error: delivery.error };
  if (delivery?.status === "pending") {
    const stuck = steps.find((s) => s.status === "pending");
    return {
      stage: "pending",
      error: stuck?.lastError ?? delivery.error,
      attempts: stuck?.attempts ?? 0,
    };
  }
  if (!subscription) return { stage: "notSubscribed" };
  if (subscription.pausedReason !== null)
    return { stage: "paused", reason: subscription.pausedReason };
  const reason = filterReason(digest, subscription, paper);
  if (reason) return { stage: "filtered", reason };
  // A digest older than the subscription is never sent on schedule (only by /repost).
  if (subscription.createdAt.slice(0, 10) > digest.date)
    return { stage: "subscribedAfter", since: subscription.createdAt };
  return { stage: "notDue" };
}
