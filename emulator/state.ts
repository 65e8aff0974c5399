import type { Clock } from "./clock.js";
import { DirectMessages } from "./dms.js";
import { computePings, DEFAULT_PARSE, mentionText, type Pinged } from "./mentions.js";
import {
  type Dispatcher,
  type EmuChannel,
  type EmuGuild,
  type EmuMessage,
  type EmuUser,
  INTENTS,
  isDm,
  isThread,
  type NonceTombstone,
} from "./model.js";
import { channelPayload, guildPayload } from "./payloads.js";
import { BOT_ROLE_DEFAULT, EVERYONE_DEFAULT, type Overwrite, PERMISSIONS } from "./permissions.js";
import { botPermissionsIn, newRole } from "./roles.js";
import type { SnowflakeFactory } from "./snowflake.js";
import type { Json } from "./validate/common.js";

// The model's types live in model.ts; re-exported so that `./state.js` stays the one import.
export type {
  Dispatcher,
  EmuChannel,
  EmuGuild,
  EmuMessage,
  EmuRole,
  EmuUser,
  NonceTombstone,
} from "./model.js";
export { INTENTS, isDm, isThread } from "./model.js";

/** The emulated Discord: guilds, channels, messages and the bot user. */
export class World {
  readonly guilds = new Map<string, EmuGuild>();
  readonly channels = new Map<string, EmuChannel>();
  readonly messages = new Map<string, EmuMessage>();
  private readonly byChannel = new Map<string, EmuMessage[]>();
  /** Messages that carry a nonce, by nonce, oldest first: enforce_nonce looks them up here. */
  private readonly byNonce = new Map<string, EmuMessage[]>();
  readonly deletedNonces: NonceTombstone[] = [];
  readonly botUser: EmuUser;
  readonly applicationId: string;
  /** Known users and the bot's DM channels (which live in `channels` too). */
  readonly dms = new DirectMessages(this);
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
    const known = this.dms.user(id);
    if (known) return known;
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
      extraBotRoleIds: [],
      systemChannelId: null,
      joinedAt: new Date(this.clock.now()).toISOString(),
      roles: [
        newRole(id, "@everyone", EVERYONE_DEFAULT, 0),
        {
          ...newRole(botRoleId, this.botUser.username, BOT_ROLE_DEFAULT, 1),
          managed: true,
          tags: { bot_id: this.botUser.id },
        },
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
    extra: Partial<EmuChannel> = {},
  ): EmuChannel {
    const channel: EmuChannel = {
      id: this.ids.next(),
      type,
      guildId: guild.id,
      name,
      parentId,
      overwrites: [],
      ...extra,
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
    this.setOverwrite(channel, { id: this.botUser.id, type: 1, allow: "0", deny: deny.toString() });
  }

  /** Replaces (or, with allow and deny both 0, removes) one overwrite; dispatches CHANNEL_UPDATE. */
  setOverwrite(channel: EmuChannel, overwrite: Overwrite): void {
    channel.overwrites = channel.overwrites.filter((o) => o.id !== overwrite.id);
    if (overwrite.allow !== "0" || overwrite.deny !== "0") channel.overwrites.push(overwrite);
    this.updateChannel(channel);
  }

  updateChannel(channel: EmuChannel): void {
    const event = isThread(channel.type) ? "THREAD_UPDATE" : "CHANNEL_UPDATE";
    this.dispatch(channel.guildId, event, this.channelPayload(channel), INTENTS.Guilds);
  }

  /** The bot's permissions in a channel: @everyone, its roles and overwrites (threads use their parent's). */
  botPermissions(channel: EmuChannel): bigint {
    return botPermissionsIn(this, channel);
  }

  /**
   * Who a body would ping in a channel. Messages the emulator marks with `webhook_id` (interaction
   * responses and follow-ups) use the webhook default of parsing only users.
   */
  pings(channel: EmuChannel, body: Json, allowed: unknown, webhook: boolean): Pinged {
    const guild = this.guilds.get(channel.guildId);
    return computePings(mentionText(body), allowed, {
      defaultParse: webhook ? DEFAULT_PARSE.webhook : DEFAULT_PARSE.message,
      // A DM has no @everyone to ping, nor roles: only the users mentioned.
      canMentionEveryone:
        guild !== undefined && (this.botPermissions(channel) & PERMISSIONS.MentionEveryone) !== 0n,
      roles: new Map((guild?.roles ?? []).filter((r) => r.id !== guild?.id).map((r) => [r.id, r])),
    });
  }

  channelMessages(channelId: string): EmuMessage[] {
    return this.byChannel.get(channelId) ?? [];
  }

  /** Stores a new message and dispatches MESSAGE_CREATE. */
  addMessage(
    channel: EmuChannel,
    body: Json,
    options: { ephemeral?: boolean; extra?: Json; id?: string; embedsDropped?: number } = {},
  ): EmuMessage {
    const id = options.id ?? this.ids.next();
    const now = this.clock.now();
    const webhook = options.extra?.webhook_id !== undefined;
    const pinged = this.pings(channel, body, body.allowed_mentions, webhook);
    const message: EmuMessage = {
      data: {
        id,
        channel_id: channel.id,
        ...(isDm(channel) ? {} : { guild_id: channel.guildId }),
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
      embedsDropped: options.embedsDropped ?? 0,
    };
    this.messages.set(id, message);
    if (message.nonce !== null) {
      const key = String(message.nonce);
      const list = this.byNonce.get(key);
      if (list) list.push(message);
      else this.byNonce.set(key, [message]);
    }
    if (!message.ephemeral) {
      const list = this.byChannel.get(channel.id) ?? [];
      list.push(message);
      this.byChannel.set(channel.id, list);
      this.messageEvent(channel, "MESSAGE_CREATE", message.data);
    }
    return message;
  }

  /** Applies an edit to a stored message and dispatches MESSAGE_UPDATE. */
  editMessage(
    message: EmuMessage,
    body: Json,
    options: { viaInteraction?: boolean } = {},
  ): EmuMessage {
    const data = message.data;
    if (body.content !== undefined) data.content = body.content ?? "";
    if (body.embeds !== undefined) data.embeds = normalizeEmbeds(body.embeds);
    if (body.components !== undefined) data.components = body.components ?? [];
    if (body.flags !== undefined) data.flags = body.flags;
    if (body.allowed_mentions !== undefined) message.allowedMentions = body.allowed_mentions;
    data.edited_timestamp = new Date(this.clock.now()).toISOString();
    const channel = this.channels.get(data.channel_id);
    // docs: resources/message#edit-message: an edit of the content rebuilds the mentions from
    // scratch with the edit's own allowed_mentions, or the defaults; never the original's.
    const textEdited =
      body.content !== undefined || (body.components !== undefined && isV2(data.flags));
    if (channel && textEdited) {
      const webhook = data.webhook_id !== undefined || options.viaInteraction === true;
      const pinged = this.pings(channel, data, body.allowed_mentions, webhook);
      data.mention_everyone = pinged.everyone;
      data.mentions = pinged.users.map((user) => this.user(user));
      data.mention_roles = pinged.roles;
      // An edit only pings users newly mentioned; keep the union for the record.
      message.pinged = {
        everyone: message.pinged.everyone || pinged.everyone,
        users: [...new Set([...message.pinged.users, ...pinged.users])],
        roles: [...new Set([...message.pinged.roles, ...pinged.roles])],
      };
    }
    if (!message.ephemeral && channel) this.messageEvent(channel, "MESSAGE_UPDATE", data);
    return message;
  }

  deleteMessage(message: EmuMessage): void {
    this.messages.delete(message.data.id);
    this.rememberNonce(message);
    const list = this.byChannel.get(message.data.channel_id);
    if (list)
      this.byChannel.set(
        message.data.channel_id,
        list.filter((m) => m !== message),
      );
    const channel = this.channels.get(message.data.channel_id);
    if (channel && !message.ephemeral) {
      const { id, channel_id, guild_id } = message.data;
      this.messageEvent(channel, "MESSAGE_DELETE", { id, channel_id, guild_id });
    }
  }

  /**
   * A message event, as the gateway sends it: a guild's to its shard for GuildMessages, a DM's
   * to shard 0 for DirectMessages (docs: events/gateway#list-of-intents).
   */
  private messageEvent(channel: EmuChannel, event: string, data: Json): void {
    if (isDm(channel)) this.dispatch(null, event, data, INTENTS.DirectMessages);
    else this.dispatch(channel.guildId, event, data, INTENTS.GuildMessages);
  }

  /** Forgets a deleted channel's messages (no MESSAGE_DELETE: Discord sends none for them). */
  dropChannel(channelId: string): void {
    this.channels.delete(channelId);
    for (const message of this.channelMessages(channelId)) {
      this.messages.delete(message.data.id);
      this.rememberNonce(message);
    }
    this.byChannel.delete(channelId);
  }

  /** The oldest message by `authorId` carrying `nonce` that was created at or after `since`. */
  messageByNonce(nonce: string, authorId: string, since: number): EmuMessage | null {
    const list = this.byNonce.get(nonce);
    if (!list) return null;
    // Older messages can never match again: the window only moves forward.
    while (list.length > 0 && (list[0] as EmuMessage).createdAt < since) list.shift();
    if (list.length === 0) this.byNonce.delete(nonce);
    return list.find((message) => message.authorId === authorId) ?? null;
  }

  private rememberNonce(message: EmuMessage): void {
    if (message.nonce === null) return;
    const key = String(message.nonce);
    const list = this.byNonce.get(key)?.filter((m) => m !== message) ?? [];
    if (list.length > 0) this.byNonce.set(key, list);
    else this.byNonce.delete(key);
    this.deletedNonces.push({
      nonce: String(message.nonce),
      authorId: message.authorId,
      createdAt: message.createdAt,
    });
  }

  channelPayload(channel: EmuChannel): Json {
    return channelPayload(this, channel);
  }

  guildPayload(guild: EmuGuild): Json {
    return guildPayload(this, guild);
  }
}

function isV2(flags: unknown): boolean {
  return (Number(flags ?? 0) & (1 << 15)) !== 0;
}

function normalizeEmbeds(value: unknown): Json[] {
  if (!Array.isArray(value)) return [];
  return value.map((embed) => ({ type: "rich", ...(embed as Json) }));
}
