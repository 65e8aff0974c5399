import { type Language, t } from "../i18n.js";
import type { DeliveryStatus, DeliveryStep } from "./model.js";

/** A step's note when Discord kept the message but dropped its embeds (no Embed Links). */
export const EMBEDS_DROPPED = "embeds dropped: missing Embed Links";
/** A step's note when its nonce answered 10008: it arrived, then a moderator deleted it. */
export const DELETED_AFTER_DELIVERY = "10008: deleted after delivery";

/** What a delivery's messages became, counted from its ledger steps. */
export interface DeliveryCounts {
  /** Messages planned (a thread start is not a message). */
  total: number;
  /** Arrived as intended (deleted ones included: they did arrive). */
  delivered: number;
  /** Arrived without their embeds. */
  withoutEmbeds: number;
  /** Arrived, then deleted by a moderator. */
  deleted: number;
  /** Refused by Discord (400) and skipped. */
  refused: number;
}

/** Counts a delivery's messages by what became of them. */
export function countSteps(steps: readonly DeliveryStep[]): DeliveryCounts {
  const counts: DeliveryCounts = {
    total: 0,
    delivered: 0,
    withoutEmbeds: 0,
    deleted: 0,
    refused: 0,
  };
  for (const step of steps) {
    if (step.role === "thread") continue;
    counts.total++;
    if (step.status === "skipped") counts.refused++;
    if (step.status !== "sent") continue;
    if (step.lastError === EMBEDS_DROPPED) counts.withoutEmbeds++;
    else counts.delivered++;
    if (step.lastError === DELETED_AFTER_DELIVERY) counts.deleted++;
  }
  return counts;
}

/**
 * One honest line about a delivery: its status, how many messages arrived as intended, what
 * happened to the others and why it stopped, e.g. "paused — 2 of 3 messages delivered; 1 arrived
 * without embeds (no Embed Links); 50013: missing Embed Links".
 */
export function describeDelivery(
  language: Language,
  status: DeliveryStatus | "queued",
  counts: DeliveryCounts,
  reason: string | null,
): string {
  if (status === "queued") return t(language, "reportStatus").queued;
  const parts = [t(language, "deliveryReport")(counts.delivered, counts.total)];
  if (counts.withoutEmbeds > 0)
    parts.push(t(language, "reportWithoutEmbeds")(counts.withoutEmbeds));
  if (counts.deleted > 0) parts.push(t(language, "reportDeleted")(counts.deleted));
  if (counts.refused > 0) parts.push(t(language, "reportRefused")(counts.refused));
  if (reason) parts.push(reason);
  return `${t(language, "reportStatus")[status]} — ${parts.join("; ")}`;
}
