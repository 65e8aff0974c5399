import {
  allowedContexts,
  CONTEXT,
  checkOwners,
  findCommand,
  integrationOwners,
  integrationTypes,
} from "./interaction-commands.js";
import { completeResolved } from "./interaction-resolved.js";
import { MEMBER_DEFAULT, PERMISSIONS } from "./permissions.js";
import { type EmuChannel, type EmuMessage, isDm, type World } from "./state.js";
import { isObject, type Json } from "./validate/common.js";

/** What `POST /_emulator/interactions` takes. */
export interface CreateInteraction {
  /** 0 guild (default), 1 DM with the bot, 2 private channel (group DM or a DM between users). */
  context?: number;
  guild_id?: string;
  channel_id?: string;
  /** Private channel only: 1 DM (default) or 3 group DM. */
  channel_type?: number;
  user_id?: string;
  permissions?: string;
  locale?: string;
  type: number;
  data: Json;
  message_id?: string;
  /** Overrides the computed `authorizing_integration_owners`. */
  authorizing_integration_owners?: unknown;
  /** Lets options name channels and roles of another guild (Discord never sends them). */
  allow_foreign_resolved?: boolean;
  /**
   * Context 0 in a server that never installed the app (the bot is not in it): `guild_id` is
   * a server the bot does not know, reached only through the user's own install.
   */
  uninstalled_guild?: boolean;
}

/** Where an interaction happens: its channel (a stand-in one in DMs), guild and context. */
export interface InteractionPlace {
  channel: EmuChannel;
  guildId: string | null;
  context: number;
  owners: Record<string, string>;
  message: EmuMessage | undefined;
  payload: Json;
}

/** docs: receiving-and-responding (app_permissions footnote) — what an app may do in (G)DMs. */
const DM_PERMISSIONS =
  PERMISSIONS.AttachFiles | PERMISSIONS.EmbedLinks | PERMISSIONS.MentionEveryone;

/**
 * Builds the INTERACTION_CREATE payload as Discord sends it in a guild (`member`, `guild_id`) or
 * in a DM or private channel (`user`, no guild). Command and autocomplete interactions must name
 * a command Discord would offer there; throws with the reason otherwise.
 */
export function buildInteraction(
  world: World,
  commands: Map<string, Json[]>,
  input: CreateInteraction,
  ids: { id: string; token: string; userId: string; dmChannelId: () => string },
): InteractionPlace {
  const context = input.context ?? CONTEXT.Guild;
  if (![0, 1, 2].includes(context))
    throw new Error("context must be 0 (guild), 1 (bot DM) or 2 (private channel)");
  if (![2, 3, 4, 5].includes(input.type))
    throw new Error(
      "type must be 2 (command), 3 (component), 4 (autocomplete) or 5 (modal submit)",
    );
  if (!isObject(input.data)) throw new Error("data must be an object");
  const message = input.message_id ? world.messages.get(input.message_id) : undefined;
  if (input.type === 3 && !message)
    throw new Error("a component interaction needs message_id of a message the bot sent");
  const uninstalled = context === CONTEXT.Guild && input.uninstalled_guild === true;
  const { channel, guildId } =
    context !== CONTEXT.Guild
      ? dmPlace(world, input, context, message, ids)
      : uninstalled
        ? unknownGuildPlace(world, input)
        : guildPlace(world, input);
  const data: Json = { ...input.data };
  let types = [0, 1];
  if (input.type === 2 || input.type === 4) {
    const found = findCommand(commands, guildId, data);
    if (found === null)
      throw new Error(
        `no registered command "${String(data.name)}" is offered ${guildId ? `in guild ${guildId}` : "outside guilds (DMs see only global commands)"}`,
      );
    if (found === "unchecked") types = [0];
    else {
      if (!allowedContexts(found).includes(context))
        throw new Error(
          `command "${String(data.name)}" is not available in context ${context} (its contexts allow ${JSON.stringify(allowedContexts(found))})`,
        );
      types = integrationTypes(found.command);
      data.id = found.command.id;
      if (found.guildId) data.guild_id = found.guildId;
    }
  } else if (context !== CONTEXT.PrivateChannel) types = [0];
  else types = [1];
  // Only the user's install reaches a server that did not install the app.
  if (uninstalled) types = types.includes(1) ? [1] : [];
  const permissions = input.permissions ?? MEMBER_DEFAULT.toString();
  completeResolved(
    { world, guildId, permissions, allowForeign: input.allow_foreign_resolved === true },
    data,
  );
  const owners =
    input.authorizing_integration_owners !== undefined
      ? checkOwners(input.authorizing_integration_owners)
      : integrationOwners(context, guildId, ids.userId, types);
  if (Object.keys(owners).length === 0)
    throw new Error(`no installation of the app reaches context ${context} for this command`);
  const user = world.user(ids.userId);
  const where: Json =
    guildId === null
      ? {
          channel: world.channels.has(channel.id)
            ? world.channelPayload(channel)
            : { ...dmChannelPayload(channel), recipients: [user] },
          user,
          app_permissions: (
            DM_PERMISSIONS | (context === CONTEXT.BotDm ? PERMISSIONS.UseExternalEmojis : 0n)
          ).toString(),
        }
      : {
          guild_locale: "en-US",
          guild_id: guildId,
          guild: { id: guildId, locale: "en-US", features: [] },
          channel: { ...world.channelPayload(channel), id: channel.id, type: channel.type },
          member: {
            user,
            roles: [],
            permissions,
            joined_at: new Date(world.clock.now()).toISOString(),
            deaf: false,
            mute: false,
            flags: 0,
            nick: null,
            avatar: null,
          },
          app_permissions: world.botPermissions(channel).toString(),
        };
  const payload: Json = {
    id: ids.id,
    application_id: world.applicationId,
    type: input.type,
    token: ids.token,
    version: 1,
    locale: input.locale ?? "en-US",
    channel_id: channel.id,
    ...where,
    entitlements: [],
    authorizing_integration_owners: owners,
    context,
    attachment_size_limit: 10485760,
    data,
    ...(message ? { message: message.data } : {}),
  };
  return { channel, guildId, context, owners, message, payload };
}

function guildPlace(world: World, input: CreateInteraction) {
  const guild = input.guild_id ? world.guilds.get(input.guild_id) : undefined;
  if (!guild) throw new Error(`unknown guild_id ${input.guild_id}`);
  const channel = input.channel_id ? world.channels.get(input.channel_id) : undefined;
  if (!channel || channel.guildId !== guild.id)
    throw new Error(`unknown channel_id ${input.channel_id} in that guild`);
  return { channel, guildId: guild.id };
}

/** A channel of a server the bot is not in: known only from the interaction, like a DM's. */
function unknownGuildPlace(world: World, input: CreateInteraction) {
  const guildId = input.guild_id;
  if (!guildId || !/^\d{17,20}$/.test(guildId))
    throw new Error("a server that did not install the app still needs a guild_id");
  if (world.guilds.has(guildId))
    throw new Error(`guild ${guildId} installed the app: leave out uninstalled_guild`);
  const id = input.channel_id ?? world.ids.next();
  if (world.channels.has(id)) throw new Error(`channel_id ${id} is a channel the bot can see`);
  const channel: EmuChannel = { id, type: 0, guildId, name: "", parentId: null, overwrites: [] };
  return { channel, guildId };
}

/**
 * The bot's DM with the user, when the bot opened it over REST: a channel of the world, whose
 * replies are listed and dispatched. Any other DM or private channel is a stand-in that exists
 * only for the interaction, so its messages are recorded but never listed or dispatched.
 */
function dmPlace(
  world: World,
  input: CreateInteraction,
  context: number,
  message: EmuMessage | undefined,
  ids: { userId: string; dmChannelId: () => string },
) {
  if (input.guild_id !== undefined)
    throw new Error("a DM or private-channel interaction has no guild_id");
  const type = context === CONTEXT.BotDm ? 1 : (input.channel_type ?? 1);
  if (type !== 1 && type !== 3) throw new Error("channel_type must be 1 (DM) or 3 (group DM)");
  const id =
    input.channel_id ?? (message?.data.channel_id as string | undefined) ?? ids.dmChannelId();
  if (message && message.data.channel_id !== id)
    throw new Error("message_id names a message of another channel");
  const opened = world.channels.get(id);
  if (opened && !isDm(opened)) throw new Error(`channel_id ${id} is a guild channel`);
  if (opened) {
    if (context !== CONTEXT.BotDm)
      throw new Error(`channel ${id} is the bot's DM with a user: its context is 1 (bot DM)`);
    if (opened.recipientId !== ids.userId)
      throw new Error(
        `user_id ${ids.userId} is not the recipient of DM channel ${id} (${opened.recipientId})`,
      );
    return { channel: opened, guildId: null };
  }
  const channel: EmuChannel = { id, type, guildId: "", name: "", parentId: null, overwrites: [] };
  return { channel, guildId: null };
}

function dmChannelPayload(channel: EmuChannel): Json {
  return channel.type === 3
    ? { id: channel.id, type: 3, name: null, icon: null, flags: 0, last_message_id: null }
    : { id: channel.id, type: 1, flags: 0, last_message_id: null };
}
