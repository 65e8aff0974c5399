import type { Clock } from "./clock.js";
import { computePings, type Pinged } from "./mentions.js";
import { channelPayload, guildPayload } from "./payloads.js";
import {
  applyOverwrites,
  BOT_ROLE_DEFAULT,
  EVERYONE_DEFAULT,
  type Overwrite,
  PERMISSIONS,
} from "./permissions.js";
import type { SnowflakeFactory } from "./snowflake.js";
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
}

export interface EmuGuild {
  id: string;
  name: string;
  ownerId: string;
  roles: EmuRole[];
  botRoleId: string;
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
}

/** Something the gateway should deliver to the shard that holds `guildId`. */
export type Dispatcher = (
  guildId: string | null,
  event: string,
  data: Json,
  intent: number,
) => void;

export const INTENTS = { Guilds: 1 << 0, GuildMessages: 1 << 9, MessageContent: 1 << 15 } as const;

/** The emulated Discord: guilds, channels, messages and the bot user. */
export class World {
  readonly guilds = new Map<string, EmuGuild>();
  readonly channels = new Map<string, EmuChannel>();
  readonly messages = new Map<string, EmuMessage>();
  private readonly byChannel = new Map<string, EmuMessage[]>();
  readonly botUser: EmuUser;
  readonly applicationId: string;
  dispatch: Dispatcher = () => {};

  constructor(
    readonly ids: SnowflakeFactory,
    readonly clock: Clock,
    botName: string,
  ) {
    this.applicationId = ids.next();
    this.botUser = {
      id: this.applicationId,
      username: botName,
      discriminator: "0",
      global_name: null,
      avatar: null,
      bot: true,
    };
  }

  user(id: string): EmuUser {
    if (id === this.botUser.id) return this.botUser;
    return {
      id,
      username: `user${id.slice(-4)}`,
      discriminator: "0",
      global_name: null,
      avatar: null,
    };
  }

  createGuild(name: string): EmuGuild {
    const id = this.ids.nextGuild();
    const botRoleId = this.ids.next();
    const guild: EmuGuild = {
      id,
      name,
      ownerId: this.ids.next(),
      botRoleId,
      systemChannelId: null,
      joinedAt: new Date(this.clock.now()).toISOString(),
      roles: [
        role(id, "@everyone", EVERYONE_DEFAULT, 0),
        { ...role(botRoleId, this.botUser.username, BOT_ROLE_DEFAULT, 1), managed: true },
      ],
    };
    this.guilds.set(id, guild);
    this.dispatch(id, "GUILD_CREATE", this.guildPayload(guild), INTENTS.Guilds);
    return guild;
  }

  createChannel(
    guild: EmuGuild,
    name: string,
    type: number,
    parentId: string | null = null,
  ): EmuChannel {
    const channel: EmuChannel = {
      id: this.ids.next(),
      type,
      guildId: guild.id,
      name,
      parentId,
      overwrites: [],
    };
    this.channels.set(channel.id, channel);
    if (guild.systemChannelId === null && type === 0) guild.systemChannelId = channel.id;
    this.dispatch(
      guild.id,
      isThread(type) ? "THREAD_CREATE" : "CHANNEL_CREATE",
      {
        ...this.channelPayload(channel),
        ...(isThread(type) ? { newly_created: true } : {}),
      },
      INTENTS.Guilds,
    );
    return channel;
  }

  /** Sets a member overwrite for the bot in a channel and tells the gateway. */
  setBotOverwrite(channel: EmuChannel, deny: bigint): void {
    channel.overwrites = channel.overwrites.filter((o) => o.id !== this.botUser.id);
    if (deny !== 0n)
      channel.overwrites.push({ id: this.botUser.id, type: 1, allow: "0", deny: deny.toString() });
    this.dispatch(channel.guildId, "CHANNEL_UPDATE", this.channelPayload(channel), INTENTS.Guilds);
  }

  /** The bot's permissions in a channel (threads use their parent's). */
  botPermissions(channel: EmuChannel): bigint {
    const guild = this.guilds.get(channel.guildId);
    if (!guild) return 0n;
    const source =
      isThread(channel.type) && channel.parentId
        ? (this.channels.get(channel.parentId) ?? channel)
        : channel;
    const base = guild.roles
      .filter((r) => r.id === guild.id || r.id === guild.botRoleId)
      .reduce((acc, r) => acc | BigInt(r.permissions), 0n);
    return applyOverwrites(base, source.overwrites, guild.id, [guild.botRoleId], this.botUser.id);
  }

  channelMessages(channelId: string): EmuMessage[] {
    return this.byChannel.get(channelId) ?? [];
  }

  /** Stores a new message and dispatches MESSAGE_CREATE. */
  addMessage(
    channel: EmuChannel,
    body: Json,
    options: { ephemeral?: boolean; extra?: Json; id?: string } = {},
  ): EmuMessage {
    const id = options.id ?? this.ids.next();
    const now = this.clock.now();
    const canMentionEveryone = (this.botPermissions(channel) & PERMISSIONS.MentionEveryone) !== 0n;
    const pinged = computePings(body.content, body.allowed_mentions);
    if (!canMentionEveryone) pinged.everyone = false;
    const message: EmuMessage = {
      data: {
        id,
        channel_id: channel.id,
        guild_id: channel.guildId,
        author: this.botUser,
        content: typeof body.content === "string" ? body.content : "",
        timestamp: new Date(now).toISOString(),
        edited_timestamp: null,
        tts: false,
        mention_everyone: pinged.everyone,
        mentions: pinged.users.map((user) => this.user(user)),
        mention_roles: pinged.roles,
        attachments: [],
        embeds: normalizeEmbeds(body.embeds),
        components: Array.isArray(body.components) ? body.components : [],
        pinned: false,
        type: 0,
        flags: typeof body.flags === "number" ? body.flags : 0,
        ...(body.nonce !== undefined && body.nonce !== null ? { nonce: body.nonce } : {}),
        ...options.extra,
      },
      authorId: this.botUser.id,
      allowedMentions: body.allowed_mentions ?? null,
      pinged,
      nonce: (body.nonce as string | number | undefined) ?? null,
      threadId: null,
      createdAt: now,
      ephemeral: options.ephemeral ?? false,
    };
    this.messages.set(id, message);
    if (!message.ephemeral) {
      const list = this.byChannel.get(channel.id) ?? [];
      list.push(message);
      this.byChannel.set(channel.id, list);
      this.dispatch(channel.guildId, "MESSAGE_CREATE", message.data, INTENTS.GuildMessages);
    }
    return message;
  }

  /** Applies an edit to a stored message and dispatches MESSAGE_UPDATE. */
  editMessage(message: EmuMessage, body: Json): EmuMessage {
    const data = message.data;
    if (body.content !== undefined) data.content = body.content ?? "";
    if (body.embeds !== undefined) data.embeds = normalizeEmbeds(body.embeds);
    if (body.components !== undefined) data.components = body.components ?? [];
    if (body.flags !== undefined) data.flags = body.flags;
    if (body.allowed_mentions !== undefined) message.allowedMentions = body.allowed_mentions;
    data.edited_timestamp = new Date(this.clock.now()).toISOString();
    const pinged = computePings(data.content, message.allowedMentions);
    const channel = this.channels.get(data.channel_id);
    if (channel && (this.botPermissions(channel) & PERMISSIONS.MentionEveryone) === 0n)
      pinged.everyone = false;
    // An edit only pings users newly mentioned; keep the union for the record.
    message.pinged = {
      everyone: message.pinged.everyone || pinged.everyone,
      users: [...new Set([...message.pinged.users, ...pinged.users])],
      roles: [...new Set([...message.pinged.roles, ...pinged.roles])],
    };
    if (!message.ephemeral && channel)
      this.dispatch(channel.guildId, "MESSAGE_UPDATE", data, INTENTS.GuildMessages);
    return message;
  }

  deleteMessage(message: EmuMessage): void {
    this.messages.delete(message.data.id);
    const list = this.byChannel.get(message.data.channel_id);
    if (list)
      this.byChannel.set(
        message.data.channel_id,
        list.filter((m) => m !== message),
      );
    const channel = this.channels.get(message.data.channel_id);
    if (channel && !message.ephemeral) {
      this.dispatch(
        channel.guildId,
        "MESSAGE_DELETE",
        { id: message.data.id, channel_id: channel.id, guild_id: channel.guildId },
        INTENTS.GuildMessages,
      );
    }
  }

  channelPayload(channel: EmuChannel): Json {
    return channelPayload(this, channel);
  }

  guildPayload(guild: EmuGuild): Json {
    return guildPayload(this, guild);
  }
}

/** Thread channel types: announcement thread 10, public 11, private 12. */
export function isThread(type: number): boolean {
  return type === 10 || type === 11 || type === 12;
}

function role(id: string, name: string, permissions: bigint, position: number): EmuRole {
  return {
    id,
    name,
    permissions: permissions.toString(),
    position,
    color: 0,
    hoist: false,
    managed: false,
    mentionable: false,
    flags: 0,
  };
}

function normalizeEmbeds(value: unknown): Json[] {
  if (!Array.isArray(value)) return [];
  return value.map((embed) => ({ type: "rich", ...(embed as Json) }));
}
