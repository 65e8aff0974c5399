import type { ForumTag } from "./forums.js";
import type { Pinged } from "./mentions.js";
import type { Overwrite } from "./permissions.js";
import type { Json } from "./validate/common.js";

export interface EmuUser {
  id: string;
  username: string;
  discriminator: string;
  global_name: string | null;
  avatar: null;
  bot?: boolean;
}

export interface EmuRole {
  id: string;
  name: string;
  permissions: string;
  position: number;
  color: number;
  hoist: boolean;
  managed: boolean;
  mentionable: boolean;
  flags: number;
  tags?: Json;
}

export interface EmuGuild {
  id: string;
  name: string;
  ownerId: string;
  roles: EmuRole[];
  /** The bot's managed role (it has Mention Everyone by default, so a stray @everyone lands). */
  botRoleId: string;
  /** Roles the control API gave the bot besides its managed one. */
  extraBotRoleIds: string[];
  systemChannelId: string | null;
  joinedAt: string;
}

export interface EmuChannel {
  id: string;
  type: number;
  guildId: string;
  name: string;
  parentId: string | null;
  overwrites: Overwrite[];
  ownerId?: string;
  /** For a thread started from a message, that message's id. */
  starterMessageId?: string;
  appliedTags?: string[];
  /** Thread settings as created (docs: resources/channel#thread-metadata-object). */
  autoArchiveDuration?: number;
  rateLimitPerUser?: number;
  /** Forum and media channels: their tags and channel flags (REQUIRE_TAG is 1 << 4). */
  availableTags?: ForumTag[];
  flags?: number;
  /** A DM channel (type 1, `guildId` ""): the user at the other end, the bot being the other. */
  recipientId?: string;
}

/** A stored message: Discord's object plus what only the emulator knows. */
export interface EmuMessage {
  data: Json & { id: string; channel_id: string };
  authorId: string;
  allowedMentions: unknown;
  pinged: Pinged;
  nonce: string | number | null;
  threadId: string | null;
  createdAt: number;
  /** Visible only to the interaction's user; never listed in the channel. */
  ephemeral: boolean;
  /** How many embeds Discord dropped because the bot lacked Embed Links in the channel. */
  embedsDropped: number;
}

/** What is left of a deleted message that carried a nonce: enforce_nonce answers 10008 for it. */
export interface NonceTombstone {
  nonce: string;
  authorId: string;
  createdAt: number;
}

/** Something the gateway should deliver to the shard that holds `guildId`. */
export type Dispatcher = (
  guildId: string | null,
  event: string,
  data: Json,
  intent: number,
) => void;

export const INTENTS = {
  Guilds: 1 << 0,
  GuildMessages: 1 << 9,
  DirectMessages: 1 << 12,
  MessageContent: 1 << 15,
} as const;

/** A DM channel the bot opened (`POST /users/@me/channels`); stand-in DM channels have no recipient. */
export function isDm(channel: EmuChannel): boolean {
  return channel.type === 1 && channel.recipientId !== undefined;
}

/** Thread channel types: announcement thread 10, public 11, private 12. */
export function isThread(type: number): boolean {
  return type === 10 || type === 11 || type === 12;
}
