import { type Language, t } from "../i18n.js";
import type { Logger } from "../logger.js";
import { type NeededPermission, permissionList } from "./channel-health.js";
import type { Delivery } from "./model.js";
import type { SendQueue } from "./send-queue.js";
import type { Sender } from "./sender.js";
import type { Store } from "./store.js";

function reasonText(code: number, language: Language, missing: NeededPermission[]): string {
  if (missing.length > 0)
    return t(language, "reasonMissingPermission")(permissionList(missing, language));
  if (code === 50001) return t(language, "reasonMissingAccess");
  if (code === 10003) return t(language, "reasonUnknownChannel");
  if (code === 40067) return t(language, "reasonTagRequired");
  return t(language, "reasonMissingPermissions");
}

/**
 * Pauses a channel that refused the bot (403/404) or lacks a permission its mode needs (`missing`,
 * seen in the gateway's cache or in embeds Discord dropped) and tells its server once, in the
 * server's system channel, naming whoever configured the channel. Never retried: Discord bans
 * bots that keep hitting channels they cannot use.
 */
export async function pauseChannel(
  deps: { store: Store; sender: Sender; queue: SendQueue; logger: Logger },
  delivery: Delivery,
  code: number,
  missing: NeededPermission[] = [],
): Promise<void> {
  const { store, sender, queue, logger } = deps;
  const reason = reasonText(code, delivery.language, missing);
  await store.pauseSubscription(delivery.channelId, `${code}: ${reason}`);
  const subscription = await store.subscription(delivery.channelId);
  logger.warn(
    { channelId: delivery.channelId, guildId: delivery.guildId, code, missing },
    "channel refused the bot or lacks a permission; deliveries paused",
  );
  if (!subscription || subscription.pauseNotified || delivery.guildId === null) return;
  await store.markPauseNotified(delivery.channelId);
  try {
    const target = await sender.systemChannel(delivery.guildId);
    if (target === null || target === delivery.channelId) {
      logger.warn({ guildId: delivery.guildId }, "no system channel to report the pause in");
      return;
    }
    const admin = subscription.createdBy;
    const text = t(delivery.language, "paused")(delivery.channelId, reason);
    await queue.acquire(target);
    await sender.createMessage(target, {
      content: admin ? `<@${admin}> ${text}` : text,
      embeds: [],
      allowed_mentions: admin ? { parse: [], users: [admin] } : { parse: [] },
    });
  } catch (error) {
    logger.warn(
      { err: error, guildId: delivery.guildId },
      "could not tell the server about the pause",
    );
  }
}
