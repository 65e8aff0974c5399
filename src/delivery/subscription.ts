import type { DeliveryMode } from "../render/digest-messages.js";
import type { SubscriptionInput } from "./store.js";

/** A subscription with no filters, no role and the given mode; `overrides` set the rest. */
export function subscriptionInput(
  channelId: string,
  guildId: string,
  mode: DeliveryMode = "embeds",
  overrides: Partial<SubscriptionInput> = {},
): SubscriptionInput {
  return {
    channelId,
    guildId,
    mode,
    minVotes: null,
    topN: null,
    includeKeywords: [],
    excludeKeywords: [],
    mentionRoleId: null,
    forumTagId: null,
    style: "embeds",
    createdBy: null,
    ...overrides,
  };
}
