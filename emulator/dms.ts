import { ApiError, FormErrorCollector } from "./errors.js";
import { type EmuChannel, type EmuUser, isDm } from "./model.js";
import type { World } from "./state.js";
import { isObject } from "./validate/common.js";

/** A user the emulated Discord knows, and whether they take direct messages from the bot. */
interface KnownUser {
  user: EmuUser;
  dmsOpen: boolean;
}

/** How a user is described to `know` (control API, `startEmulator({ users })`). */
export interface UserFields {
  username?: unknown;
  global_name?: unknown;
}

/**
 * Users and the bot's direct-message channels. Discord keeps one DM channel between the bot and a
 * user: Create DM returns the existing one (docs: resources/user#create-dm), and an interaction in
 * the bot's DM (context 1) happens in that same channel.
 */
export class DirectMessages {
  private readonly users = new Map<string, KnownUser>();
  /** The one DM channel id per user, opened over REST or stood in for by a DM interaction. */
  private readonly channelIds = new Map<string, string>();
  /** Message creates answered 50007, by DM channel id. */
  readonly refused = new Map<string, number>();

  constructor(private readonly world: World) {}

  /** Makes a user known (a user who interacted, or one the control API made); returns it. */
  know(id: string, fields: UserFields = {}): EmuUser {
    const known = this.users.get(id);
    const user: EmuUser = known?.user ?? {
      id,
      username: `user${id.slice(-4)}`,
      discriminator: "0",
      global_name: null,
      avatar: null,
    };
    if (typeof fields.username === "string" && fields.username !== "")
      user.username = fields.username;
    if (typeof fields.global_name === "string") user.global_name = fields.global_name;
    if (!known) this.users.set(id, { user, dmsOpen: true });
    return user;
  }

  /** A known user (the bot included), or undefined. */
  user(id: string): EmuUser | undefined {
    return id === this.world.botUser.id ? this.world.botUser : this.users.get(id)?.user;
  }

  /** Opens or closes a user's DMs to the bot (Privacy settings: "Allow direct messages"). */
  setOpen(id: string, open: boolean): void {
    this.know(id);
    (this.users.get(id) as KnownUser).dmsOpen = open;
  }

  isOpen(id: string): boolean {
    return this.users.get(id)?.dmsOpen ?? true;
  }

  /** The id of the user's DM channel with the bot, made up the first time it is needed. */
  channelIdFor(userId: string): string {
    let id = this.channelIds.get(userId);
    if (id === undefined) {
      id = this.world.ids.next();
      this.channelIds.set(userId, id);
    }
    return id;
  }

  /** The DM channel the bot opened with a user over REST, if it did. */
  channelOf(userId: string): EmuChannel | undefined {
    const id = this.channelIds.get(userId);
    const channel = id === undefined ? undefined : this.world.channels.get(id);
    return channel && isDm(channel) ? channel : undefined;
  }

  /** Every DM channel the bot opened, oldest first. */
  channels(): EmuChannel[] {
    return [...this.world.channels.values()].filter(isDm);
  }

  /**
   * `POST /users/@me/channels` with `{ recipient_id }`: the DM channel, the same one every time. No
   * CHANNEL_CREATE is sent (docs: events/gateway-events#channel-create, guild channels only).
   */
  open(body: unknown): EmuChannel {
    const b = isObject(body) ? body : {};
    const errors = new FormErrorCollector();
    // docs: resources/user#create-group-dm takes gdm.join access tokens, which no emulated
    // user can grant: refused rather than answered with a channel the bot cannot use.
    for (const field of ["access_tokens", "nicks"])
      if (b[field] !== undefined && b[field] !== null)
        errors.add([field], "GROUP_DM_NOT_EMULATED", "Group DMs are not emulated.");
    errors.throwIfAny();
    const recipient = b.recipient_id;
    if (typeof recipient !== "string") {
      // Discord's answer to a body without recipients (discord-api-docs issue #5868).
      errors.add([], "CHANNEL_RECIPIENT_REQUIRED", "At least one channel recipient is required.");
      errors.throwIfAny();
    }
    const id = recipient as string;
    // docs: topics/opcodes-and-status-codes (50033), as Discord answers an id of no user.
    if (!this.user(id)) throw new ApiError(400, 50033, "Invalid Recipient(s)");
    const existing = this.channelOf(id);
    if (existing) return existing;
    const channel: EmuChannel = {
      id: this.channelIdFor(id),
      type: 1,
      guildId: "",
      name: "",
      parentId: null,
      overwrites: [],
      recipientId: id,
    };
    this.world.channels.set(channel.id, channel);
    return channel;
  }

  /**
   * Throws 403/50007 when the recipient does not take the bot's messages: DMs closed, or another
   * bot (docs: topics/opcodes-and-status-codes, "Cannot send messages to this user"). Discord
   * answers it on the message, never on opening the channel.
   */
  checkCanSend(channel: EmuChannel): void {
    const recipient = channel.recipientId ?? "";
    if (this.isOpen(recipient) && this.user(recipient)?.bot !== true) return;
    this.refused.set(channel.id, (this.refused.get(channel.id) ?? 0) + 1);
    throw new ApiError(403, 50007, "Cannot send messages to this user");
  }

  /** For a component interaction without `user_id`: the recipient of the DM its message is in. */
  recipientOfMessage(messageId: string | undefined): string | undefined {
    const message = messageId ? this.world.messages.get(messageId) : undefined;
    const channel = message ? this.world.channels.get(message.data.channel_id) : undefined;
    return channel && isDm(channel) ? channel.recipientId : undefined;
  }
}
