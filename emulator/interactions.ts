import { randomBytes } from "node:crypto";
import {
  ApiError,
  alreadyAcknowledged,
  FormErrorCollector,
  unknownInteraction,
  unknownMessage,
  unknownWebhook,
} from "./errors.js";
import type { EndpointAnswer, InteractionEndpoint } from "./interaction-endpoint.js";
import { buildInteraction, type CreateInteraction } from "./interaction-payload.js";
import type { EmuChannel, EmuMessage, World } from "./state.js";
import { validateAutocomplete } from "./validate/commands.js";
import { checkString, isObject, type Json } from "./validate/common.js";
import { validateComponents } from "./validate/components.js";
import { LIMITS } from "./validate/limits.js";
import { validateMessageBody, validateMessageEdit } from "./validate/message.js";

export const INITIAL_RESPONSE_MS = 3000;
export const TOKEN_LIFETIME_MS = 15 * 60 * 1000;
const EPHEMERAL = 1 << 6;
const LOADING = 1 << 7;
/** docs: receiving-and-responding#create-followup-message (user-installed apps not in the server). */
const USER_INSTALL_FOLLOWUPS = 5;

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
  /** null in a DM or private channel. */
  guildId: string | null;
  channelId: string;
  /** The channel replies go to; in DMs a stand-in that is not part of the world. */
  channel: EmuChannel;
  context: number;
  /** `authorizing_integration_owners` as sent. */
  owners: Record<string, string>;
  userId: string;
  dispatchedAt: number;
  payload: Json;
  acknowledged: boolean;
  callbacks: { type: number; data: unknown; at_ms: number }[];
  originalId: string | null;
  followupIds: string[];
  /** For component interactions: the message the component is on. */
  messageId: string | null;
  /** With an Interactions Endpoint URL: what it answered (null until it has). */
  endpoint: EndpointAnswer | null;
}

export type { CreateInteraction } from "./interaction-payload.js";

/** Interactions: created by the control API, answered through callbacks and webhooks. */
export class Interactions {
  private readonly byId = new Map<string, EmuInteraction>();
  private readonly byToken = new Map<string, EmuInteraction>();

  constructor(
    private readonly world: World,
    /** Set: interactions are POSTed there, signed, instead of sent over the gateway. */
    readonly endpoint: InteractionEndpoint | null = null,
  ) {}

  /**
   * Whether the endpoint URL is in use: an app's owner can clear it in the Developer Portal (and
   * set it again), and interactions then go over the gateway.
   */
  endpointInUse = true;

  /**
   * Creates an interaction and dispatches INTERACTION_CREATE: to the guild's shard, or to shard 0
   * for a DM or private channel (Discord sends events without a guild to shard 0).
   */
  create(input: CreateInteraction, commands: Map<string, Json[]> = new Map()): EmuInteraction {
    const world = this.world;
    const id = world.ids.next();
    const token = `aW50ZXJhY3Rpb24.${randomBytes(24).toString("base64url")}`;
    const userId =
      input.user_id ?? world.dms.recipientOfMessage(input.message_id) ?? world.ids.next();
    // One DM channel per user, as Discord keeps one DM between the bot and a user.
    const dmChannelId = () =>
      input.context === 1 ? world.dms.channelIdFor(userId) : world.ids.next();
    const place = buildInteraction(world, commands, input, { id, token, userId, dmChannelId });
    // Whoever interacts is a Discord user, whom the bot may then DM.
    world.dms.know(userId);
    const interaction: EmuInteraction = {
      id,
      token,
      type: input.type,
      guildId: place.guildId,
      channelId: place.channel.id,
      channel: place.channel,
      context: place.context,
      owners: place.owners,
      userId,
      dispatchedAt: world.clock.now(),
      payload: place.payload,
      acknowledged: false,
      callbacks: [],
      originalId: null,
      followupIds: [],
      messageId: place.message?.data.id ?? null,
      endpoint: null,
    };
    this.byId.set(id, interaction);
    this.byToken.set(token, interaction);
    if (this.endpoint && this.endpointInUse) void this.postTo(this.endpoint, interaction);
    else world.dispatch(place.guildId, "INTERACTION_CREATE", place.payload, 0);
    return interaction;
  }

  /** Sends the interaction to the endpoint; a valid answer is its initial response. */
  private async postTo(endpoint: InteractionEndpoint, interaction: EmuInteraction): Promise<void> {
    const answer = await endpoint.post(interaction.payload);
    interaction.endpoint = answer;
    if (answer.body === null) return;
    try {
      this.callback(interaction.id, interaction.token, answer.body, false);
    } catch (error) {
      interaction.endpoint = { ...answer, error: (error as Error).message };
    }
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
    if (type === 4 || type === 5) {
      const flags = Number(data.flags ?? 0);
      const ephemeral = (flags & EPHEMERAL) !== 0;
      const messageBody = type === 4 ? data : { content: "", flags: flags | LOADING };
      message = this.addReply(interaction, messageBody, ephemeral, {
        type: interaction.type === 2 ? 20 : 19,
        interaction_metadata: {
          id: interaction.id,
          type: interaction.type,
          user: world.user(interaction.userId),
          authorizing_integration_owners: interaction.owners,
        },
        ...(type === 5 ? { flags: flags | LOADING } : {}),
      });
      interaction.originalId = message.data.id;
    } else if (type === 6 || type === 7) {
      interaction.originalId = interaction.messageId;
      const target = interaction.messageId ? world.messages.get(interaction.messageId) : undefined;
      if (type === 7 && target) {
        // An update is an edit of the component's message: judged against what it holds now.
        validateMessageEdit(target.data, data);
        message = world.editMessage(target, data, { viaInteraction: true });
      }
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
        response_message_ephemeral: message?.ephemeral ?? false,
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
    validateMessageEdit(message.data, data);
    const flags = Number(message.data.flags ?? 0);
    if ((flags & LOADING) !== 0) message.data.flags = flags & ~LOADING;
    return this.world.editMessage(message, data, { viaInteraction: true });
  }

  /**
   * `POST /webhooks/{app}/{token}`: a follow-up message. Right after a deferred reply (type 5),
   * while the "thinking…" message is still loading, it edits that message instead and keeps its
   * ephemeral state (docs: receiving-and-responding#create-followup-message, kept for backwards
   * compatibility). An interaction authorized only by a user install may send 5 follow-ups.
   */
  followUp(interaction: EmuInteraction, body: unknown): EmuMessage {
    if (!interaction.acknowledged) throw unknownWebhook();
    const data = isObject(body) ? body : {};
    validateMessageBody(data, { requireSomething: true });
    const original = interaction.originalId
      ? this.world.messages.get(interaction.originalId)
      : undefined;
    if (
      interaction.callbacks[0]?.type === 5 &&
      original &&
      (Number(original.data.flags ?? 0) & LOADING) !== 0
    ) {
      const flags = Number(original.data.flags) & ~LOADING;
      original.data.flags = flags;
      return this.world.editMessage(original, {
        ...data,
        flags: (Number(data.flags ?? 0) & ~EPHEMERAL) | flags,
      });
    }
    const userInstallOnly = Object.keys(interaction.owners).join() === "1";
    if (userInstallOnly && interaction.followupIds.length >= USER_INSTALL_FOLLOWUPS)
      throw new ApiError(
        400,
        40094,
        "This interaction has hit the maximum number of follow up messages",
      );
    const ephemeral = (Number(data.flags ?? 0) & EPHEMERAL) !== 0;
    const message = this.addReply(interaction, data, ephemeral, {});
    interaction.followupIds.push(message.data.id);
    return message;
  }

  /**
   * Stores a reply or follow-up by the app. In a stand-in DM or private channel the message is
   * kept for the webhook routes and the control API, but (the channel not being part of the
   * world) never listed in a channel or dispatched.
   */
  private addReply(
    interaction: EmuInteraction,
    body: Json,
    ephemeral: boolean,
    extra: Json,
  ): EmuMessage {
    const world = this.world;
    const app = { webhook_id: world.applicationId, application_id: world.applicationId };
    // A server that did not install the app is outside the world, as a DM is unless the bot
    // opened it over REST.
    const outside =
      interaction.guildId === null
        ? !world.channels.has(interaction.channelId)
        : !world.guilds.has(interaction.guildId);
    if (!outside) {
      const channel = world.channels.get(interaction.channelId);
      if (!channel) throw unknownWebhook();
      return world.addMessage(channel, body, { ephemeral, extra: { ...app, ...extra } });
    }
    const message = world.addMessage(interaction.channel, body, {
      ephemeral: true,
      extra: { ...app, ...extra },
    });
    message.ephemeral = ephemeral;
    if (interaction.guildId === null) delete message.data.guild_id;
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
      endpoint: interaction.endpoint as Json | null,
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
