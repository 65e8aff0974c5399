import { randomBytes } from "node:crypto";
import {
  alreadyAcknowledged,
  FormErrorCollector,
  unknownInteraction,
  unknownMessage,
  unknownWebhook,
} from "./errors.js";
import { MEMBER_DEFAULT } from "./permissions.js";
import type { EmuMessage, World } from "./state.js";
import { validateAutocomplete } from "./validate/commands.js";
import { checkString, isObject, type Json } from "./validate/common.js";
import { validateComponents } from "./validate/components.js";
import { LIMITS } from "./validate/limits.js";
import { validateMessageBody } from "./validate/message.js";

export const INITIAL_RESPONSE_MS = 3000;
export const TOKEN_LIFETIME_MS = 15 * 60 * 1000;
const EPHEMERAL = 1 << 6;
const LOADING = 1 << 7;

/** Callback types each interaction type accepts (Discord's rules). */
const ALLOWED_CALLBACKS: Record<number, number[]> = {
  1: [1],
  2: [4, 5, 9],
  3: [4, 5, 6, 7, 9],
  4: [8],
  5: [4, 5, 6, 7],
};

export interface EmuInteraction {
  id: string;
  token: string;
  type: number;
  guildId: string;
  channelId: string;
  userId: string;
  dispatchedAt: number;
  payload: Json;
  acknowledged: boolean;
  callbacks: { type: number; data: unknown; at_ms: number }[];
  originalId: string | null;
  followupIds: string[];
  /** For component interactions: the message the component is on. */
  messageId: string | null;
}

export interface CreateInteraction {
  guild_id: string;
  channel_id: string;
  user_id?: string;
  permissions?: string;
  locale?: string;
  type: number;
  data: Json;
  message_id?: string;
}

/** Interactions: created by the control API, answered through callbacks and webhooks. */
export class Interactions {
  private readonly byId = new Map<string, EmuInteraction>();
  private readonly byToken = new Map<string, EmuInteraction>();

  constructor(private readonly world: World) {}

  /** Creates an interaction and dispatches INTERACTION_CREATE to the guild's shard. */
  create(input: CreateInteraction): EmuInteraction {
    const world = this.world;
    const guild = world.guilds.get(input.guild_id);
    const channel = world.channels.get(input.channel_id);
    if (!guild) throw new Error(`unknown guild_id ${input.guild_id}`);
    if (!channel || channel.guildId !== guild.id)
      throw new Error(`unknown channel_id ${input.channel_id} in that guild`);
    if (![2, 3, 4, 5].includes(input.type))
      throw new Error(
        "type must be 2 (command), 3 (component), 4 (autocomplete) or 5 (modal submit)",
      );
    const id = world.ids.next();
    const token = `aW50ZXJhY3Rpb24.${randomBytes(24).toString("base64url")}`;
    const userId = input.user_id ?? world.ids.next();
    const message = input.message_id ? world.messages.get(input.message_id) : undefined;
    if (input.type === 3 && !message)
      throw new Error("a component interaction needs message_id of a message the bot sent");
    const payload: Json = {
      id,
      application_id: world.applicationId,
      type: input.type,
      token,
      version: 1,
      locale: input.locale ?? "en-US",
      guild_locale: "en-US",
      guild_id: guild.id,
      guild: { id: guild.id, locale: "en-US", features: [] },
      channel_id: channel.id,
      channel: { ...world.channelPayload(channel), id: channel.id, type: channel.type },
      member: {
        user: world.user(userId),
        roles: [],
        permissions: input.permissions ?? MEMBER_DEFAULT.toString(),
        joined_at: new Date(world.clock.now()).toISOString(),
        deaf: false,
        mute: false,
        flags: 0,
        nick: null,
        avatar: null,
      },
      app_permissions: world.botPermissions(channel).toString(),
      entitlements: [],
      authorizing_integration_owners: { "0": guild.id },
      context: 0,
      attachment_size_limit: 10485760,
      data: input.data,
      ...(message ? { message: message.data } : {}),
    };
    const interaction: EmuInteraction = {
      id,
      token,
      type: input.type,
      guildId: guild.id,
      channelId: channel.id,
      userId,
      dispatchedAt: world.clock.now(),
      payload,
      acknowledged: false,
      callbacks: [],
      originalId: null,
      followupIds: [],
      messageId: message?.data.id ?? null,
    };
    this.byId.set(id, interaction);
    this.byToken.set(token, interaction);
    world.dispatch(guild.id, "INTERACTION_CREATE", payload, 0);
    return interaction;
  }

  get(id: string): EmuInteraction | undefined {
    return this.byId.get(id);
  }

  /** `POST /interactions/{id}/{token}/callback`. */
  callback(id: string, token: string, body: unknown, withResponse: boolean): unknown {
    const interaction = this.byId.get(id);
    if (!interaction || interaction.token !== token) throw unknownInteraction();
    const world = this.world;
    if (world.clock.now() - interaction.dispatchedAt > INITIAL_RESPONSE_MS)
      throw unknownInteraction();
    if (interaction.acknowledged) throw alreadyAcknowledged();
    const b = isObject(body) ? body : {};
    const type = Number(b.type);
    const data = isObject(b.data) ? b.data : {};
    if (!(ALLOWED_CALLBACKS[interaction.type] ?? []).includes(type)) {
      const errors = new FormErrorCollector();
      errors.add(
        ["type"],
        "INTERACTION_CALLBACK_TYPE_INVALID",
        `Interaction callback type ${b.type} is not valid for interaction type ${interaction.type}`,
      );
      errors.throwIfAny();
    }
    let message: EmuMessage | null = null;
    if (type === 4 || type === 7) validateMessageBody(data, { requireSomething: type === 4 });
    if (type === 8) validateAutocomplete(data);
    if (type === 9) validateModal(data);
    const channel = world.channels.get(interaction.channelId);
    if (!channel) throw unknownInteraction();
    if (type === 4 || type === 5) {
      const flags = Number(data.flags ?? 0);
      const ephemeral = (flags & EPHEMERAL) !== 0;
      const messageBody = type === 4 ? data : { content: "", flags: flags | LOADING };
      message = world.addMessage(channel, messageBody, {
        ephemeral,
        extra: {
          type: interaction.type === 2 ? 20 : 19,
          webhook_id: world.applicationId,
          application_id: world.applicationId,
          interaction_metadata: {
            id: interaction.id,
            type: interaction.type,
            user: world.user(interaction.userId),
            authorizing_integration_owners: { "0": interaction.guildId },
          },
          ...(type === 5 ? { flags: flags | LOADING } : {}),
        },
      });
      interaction.originalId = message.data.id;
    } else if (type === 6 || type === 7) {
      interaction.originalId = interaction.messageId;
      const target = interaction.messageId ? world.messages.get(interaction.messageId) : undefined;
      if (type === 7 && target) message = world.editMessage(target, data);
    }
    interaction.acknowledged = true;
    interaction.callbacks.push({
      type,
      data: b.data ?? null,
      at_ms: world.clock.now() - interaction.dispatchedAt,
    });
    if (!withResponse) return undefined;
    return {
      interaction: {
        id: interaction.id,
        type: interaction.type,
        response_message_id: message?.data.id,
        response_message_loading: type === 5,
        response_message_ephemeral: false,
      },
      resource: { type, ...(message ? { message: message.data } : {}) },
    };
  }

  /** The interaction behind a webhook route, checking the application and the token's age. */
  forWebhook(applicationId: string, token: string): EmuInteraction {
    const interaction = this.byToken.get(token);
    if (!interaction || applicationId !== this.world.applicationId) throw unknownWebhook();
    if (this.world.clock.now() - interaction.dispatchedAt > TOKEN_LIFETIME_MS)
      throw unknownWebhook();
    return interaction;
  }

  /** The message a webhook route names: `@original` or a follow-up id. */
  webhookMessage(interaction: EmuInteraction, messageId: string): EmuMessage {
    const id = messageId === "@original" ? interaction.originalId : messageId;
    if (
      id === null ||
      (messageId !== "@original" &&
        !interaction.followupIds.includes(id) &&
        id !== interaction.originalId)
    ) {
      throw unknownMessage();
    }
    const message = this.world.messages.get(id);
    if (!message) throw unknownMessage();
    return message;
  }

  /** `PATCH /webhooks/{app}/{token}/messages/{id}`: an edit, which also completes a deferred reply. */
  editWebhookMessage(interaction: EmuInteraction, messageId: string, body: unknown): EmuMessage {
    const message = this.webhookMessage(interaction, messageId);
    const data = isObject(body) ? body : {};
    validateMessageBody(data, { requireSomething: false });
    const flags = Number(message.data.flags ?? 0);
    if ((flags & LOADING) !== 0) message.data.flags = flags & ~LOADING;
    return this.world.editMessage(message, data);
  }

  /** `POST /webhooks/{app}/{token}`: a follow-up message. */
  followUp(interaction: EmuInteraction, body: unknown): EmuMessage {
    if (!interaction.acknowledged) throw unknownWebhook();
    const data = isObject(body) ? body : {};
    validateMessageBody(data, { requireSomething: true });
    const channel = this.world.channels.get(interaction.channelId);
    if (!channel) throw unknownWebhook();
    const ephemeral = (Number(data.flags ?? 0) & EPHEMERAL) !== 0;
    const message = this.world.addMessage(channel, data, {
      ephemeral,
      extra: { webhook_id: this.world.applicationId, application_id: this.world.applicationId },
    });
    interaction.followupIds.push(message.data.id);
    return message;
  }

  /** What `GET /_emulator/interactions/{id}` shows. */
  view(id: string): Json | null {
    const interaction = this.byId.get(id);
    if (!interaction) return null;
    const show = (messageId: string | null) => {
      const message = messageId ? this.world.messages.get(messageId) : undefined;
      return message
        ? {
            ...message.data,
            ephemeral: message.ephemeral,
            allowed_mentions: message.allowedMentions,
            pinged: message.pinged,
          }
        : null;
    };
    return {
      id: interaction.id,
      type: interaction.type,
      callbacks: interaction.callbacks,
      original: show(interaction.originalId),
      followups: interaction.followupIds.map(show).filter((m) => m !== null),
    };
  }
}

function validateModal(data: Json): void {
  const errors = new FormErrorCollector();
  checkString(errors, ["data", "custom_id"], data.custom_id, LIMITS.customId, {
    min: 1,
    required: true,
  });
  checkString(errors, ["data", "title"], data.title, LIMITS.modalTitle, { min: 1, required: true });
  validateComponents(errors, ["data", "components"], data.components, true);
  errors.throwIfAny();
}
