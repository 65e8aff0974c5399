import { PermissionFlagsBits } from "discord.js";
import {
  NEEDED_PERMISSIONS,
  type NeededPermission,
  neededPermissions,
} from "../delivery/channel-health.js";
import type { DeliveryMode } from "../render/digest-messages.js";

/** The permissions the bot needs in a channel to deliver there in a mode, with their bits. */
export function requiredPermissions(mode: DeliveryMode): Record<string, bigint> {
  return Object.fromEntries(
    neededPermissions(mode).map((name) => [name, PermissionFlagsBits[name]]),
  );
}

/** The permissions the bot lacks for a mode, given its permission bits in the channel. */
export function missingPermissions(mode: DeliveryMode, granted: bigint): NeededPermission[] {
  if ((granted & PermissionFlagsBits.Administrator) !== 0n) return [];
  return neededPermissions(mode).filter((name) => (granted & PermissionFlagsBits[name]) === 0n);
}

/** Every permission the bot's code uses, for the invite link. */
export function invitePermissions(): bigint {
  return NEEDED_PERMISSIONS.reduce((bits, name) => bits | PermissionFlagsBits[name], 0n);
}
