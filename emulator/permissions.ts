/** Permission bits the emulator checks (Discord's values). */
export const PERMISSIONS = {
  CreateInstantInvite: 1n << 0n,
  Administrator: 1n << 3n,
  ManageChannels: 1n << 4n,
  ManageGuild: 1n << 5n,
  AddReactions: 1n << 6n,
  ViewChannel: 1n << 10n,
  SendMessages: 1n << 11n,
  ManageMessages: 1n << 13n,
  EmbedLinks: 1n << 14n,
  AttachFiles: 1n << 15n,
  ReadMessageHistory: 1n << 16n,
  MentionEveryone: 1n << 17n,
  UseExternalEmojis: 1n << 18n,
  ManageRoles: 1n << 28n,
  UseApplicationCommands: 1n << 31n,
  ManageThreads: 1n << 34n,
  CreatePublicThreads: 1n << 35n,
  SendMessagesInThreads: 1n << 38n,
} as const;

export type PermissionName = keyof typeof PERMISSIONS;

/** What @everyone may do in a new emulated guild (close to Discord's default). */
export const EVERYONE_DEFAULT =
  PERMISSIONS.CreateInstantInvite |
  PERMISSIONS.AddReactions |
  PERMISSIONS.ViewChannel |
  PERMISSIONS.SendMessages |
  PERMISSIONS.EmbedLinks |
  PERMISSIONS.AttachFiles |
  PERMISSIONS.ReadMessageHistory |
  PERMISSIONS.UseExternalEmojis |
  PERMISSIONS.UseApplicationCommands |
  PERMISSIONS.CreatePublicThreads |
  PERMISSIONS.SendMessagesInThreads;

/** The bot's own role: what an invite with Paperboy's permissions grants, plus @everyone pings so a stray one would land. */
export const BOT_ROLE_DEFAULT =
  EVERYONE_DEFAULT | PERMISSIONS.MentionEveryone | PERMISSIONS.ManageThreads;

/**
 * What the bot may do in its DM with a user, where no guild permissions apply: see, send and read
 * the history, and what docs: interactions/receiving-and-responding (`app_permissions`) lists for
 * the bot's DMs: Attach Files, Embed Links, Mention Everyone and Use External Emojis.
 */
export const DM_CHANNEL_PERMISSIONS =
  PERMISSIONS.ViewChannel |
  PERMISSIONS.SendMessages |
  PERMISSIONS.ReadMessageHistory |
  PERMISSIONS.AddReactions |
  PERMISSIONS.AttachFiles |
  PERMISSIONS.EmbedLinks |
  PERMISSIONS.MentionEveryone |
  PERMISSIONS.UseExternalEmojis;

/** What a member of the bot's guild may do by default when an interaction gives no permissions. */
export const MEMBER_DEFAULT = EVERYONE_DEFAULT;

/** A channel permission overwrite as Discord stores it. */
export interface Overwrite {
  id: string;
  type: 0 | 1;
  allow: string;
  deny: string;
}

/** Applies @everyone, role and member overwrites to base permissions, as Discord does. */
export function applyOverwrites(
  base: bigint,
  overwrites: readonly Overwrite[],
  guildId: string,
  roleIds: readonly string[],
  memberId: string,
): bigint {
  if ((base & PERMISSIONS.Administrator) !== 0n) return base;
  let perms = base;
  const everyone = overwrites.find((o) => o.id === guildId);
  if (everyone) perms = (perms & ~BigInt(everyone.deny)) | BigInt(everyone.allow);
  let allow = 0n;
  let deny = 0n;
  for (const o of overwrites) {
    if (o.type === 0 && roleIds.includes(o.id)) {
      allow |= BigInt(o.allow);
      deny |= BigInt(o.deny);
    }
  }
  perms = (perms & ~deny) | allow;
  const member = overwrites.find((o) => o.type === 1 && o.id === memberId);
  if (member) perms = (perms & ~BigInt(member.deny)) | BigInt(member.allow);
  return perms;
}
