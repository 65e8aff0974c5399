import { PermissionFlagsBits } from "discord.js";
import type { DeliveryMode } from "../render/digest-messages.js";

/** The permissions the bot needs in a channel to deliver there in a mode. */
export function requiredPermissions(mode: DeliveryMode): Record<string, bigint> {
  const base = {
    ViewChannel: PermissionFlagsBits.ViewChannel,
    SendMessages: PermissionFlagsBits.SendMessages,
    EmbedLinks: PermissionFlagsBits.EmbedLinks,
  };
  if (mode === "embeds") return base;
  if (mode === "thread") {
    return {
      ...base,
      CreatePublicThreads: PermissionFlagsBits.CreatePublicThreads,
      SendMessagesInThreads: PermissionFlagsBits.SendMessagesInThreads,
    };
  }
  return { ...base, SendMessagesInThreads: PermissionFlagsBits.SendMessagesInThreads };
}

/** Names of the permissions the bot lacks for a mode, given its permission bits in the channel. */
export function missingPermissions(mode: DeliveryMode, granted: bigint): string[] {
  if ((granted & PermissionFlagsBits.Administrator) !== 0n) return [];
  return Object.entries(requiredPermissions(mode))
    .filter(([, bit]) => (granted & bit) === 0n)
    .map(([name]) => name);
}

/** Every permission the bot's code uses, for the invite link. */
export function invitePermissions(): bigint {
  return Object.values({
    ...requiredPermissions("thread"),
    ...requiredPermissions("forum"),
    ReadMessageHistory: PermissionFlagsBits.ReadMessageHistory,
  }).reduce((a, b) => a | b, 0n);
}
