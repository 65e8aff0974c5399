import type { EmulatorContext } from "../context.js";
import {
  ApiError,
  dmAction,
  FormErrorCollector,
  missingAccess,
  missingPermissions,
  threadExists,
  unknownChannel,
  unknownMessage,
} from "../errors.js";
import { checkAppliedTags, checkThreadOptions, isForumType, requireTag } from "../forums.js";
import { PERMISSIONS } from "../permissions.js";
import { BUCKETS, type Route } from "../router.js";
import { type EmuChannel, type EmuMessage, isDm, isThread } from "../state.js";
import { checkString, isObject, type Json } from "../validate/common.js";
import { LIMITS } from "../validate/limits.js";
import { validateMessageBody, validateMessageEdit } from "../validate/message.js";

const byChannel = (params: Record<string, string>) => params.channel ?? "";

/** The channel, if the bot may see it (404 unknown, 403 Missing Access). */
export function visibleChannel(ctx: EmulatorContext, id: string | undefined): EmuChannel {
  const channel = id ? ctx.world.channels.get(id) : undefined;
  if (!channel) throw unknownChannel();
  if ((ctx.world.botPermissions(channel) & PERMISSIONS.ViewChannel) === 0n) throw missingAccess();
  return channel;
}

function requirePermission(ctx: EmulatorContext, channel: EmuChannel, permission: bigint): void {
  if ((ctx.world.botPermissions(channel) & permission) === 0n) throw missingPermissions();
}

function messageIn(ctx: EmulatorContext, channel: EmuChannel, id: string | undefined): EmuMessage {
  const message = id ? ctx.world.messages.get(id) : undefined;
  if (!message || message.data.channel_id !== channel.id || message.ephemeral)
    throw unknownMessage();
  return message;
}

/** Creates a message after Discord's checks; embeds are dropped without Embed Links, as Discord does. */
function createMessage(ctx: EmulatorContext, channel: EmuChannel, body: unknown): EmuMessage {
  if (channel.type === 15 || channel.type === 16 || channel.type === 4) {
    throw new ApiError(400, 50008, "Cannot send messages in a non-text channel");
  }
  requirePermission(
    ctx,
    channel,
    isThread(channel.type) ? PERMISSIONS.SendMessagesInThreads : PERMISSIONS.SendMessages,
  );
  if (isDm(channel)) ctx.world.dms.checkCanSend(channel);
  const data: Json = isObject(body) ? { ...body } : {};
  validateMessageBody(data, { requireSomething: true });
  const embedsDropped = dropEmbedsWithoutPermission(ctx, channel, data);
  if (data.enforce_nonce === true && data.nonce !== undefined && data.nonce !== null) {
    const existing = findByNonce(ctx, String(data.nonce));
    if (existing) return existing;
    // Discord staff, discord-api-docs PR #6647: a nonce whose message was deleted within the
    // window answers Unknown Message rather than creating a second message.
    if (deletedNonce(ctx, String(data.nonce))) throw unknownMessage();
  }
  return ctx.world.addMessage(channel, data, { embedsDropped });
}

/** Without Embed Links, Discord accepts the message and drops its embeds; returns how many. */
function dropEmbedsWithoutPermission(
  ctx: EmulatorContext,
  channel: EmuChannel,
  data: Json,
): number {
  if ((ctx.world.botPermissions(channel) & PERMISSIONS.EmbedLinks) !== 0n) return 0;
  const dropped = Array.isArray(data.embeds) ? data.embeds.length : 0;
  data.embeds = [];
  return dropped;
}

function deletedNonce(ctx: EmulatorContext, nonce: string): boolean {
  const since = ctx.clock.now() - ctx.nonceWindowMs;
  const bot = ctx.world.botUser.id;
  return ctx.world.deletedNonces.some(
    (t) => t.nonce === nonce && t.authorId === bot && t.createdAt >= since,
  );
}

function findByNonce(ctx: EmulatorContext, nonce: string): EmuMessage | null {
  return ctx.world.messageByNonce(nonce, ctx.world.botUser.id, ctx.clock.now() - ctx.nonceWindowMs);
}

/** A DM has no threads nor forum posts: 403/50003 (docs: topics/opcodes-and-status-codes). */
function notDm(channel: EmuChannel): EmuChannel {
  if (isDm(channel)) throw dmAction();
  return channel;
}

/** Name 1–100 and the thread options (docs: resources/channel#start-thread-from-message). */
function threadFields(body: Json, errors = new FormErrorCollector()) {
  checkString(errors, ["name"], body.name, LIMITS.threadName, { min: 1, required: true });
  const options = checkThreadOptions(errors, body);
  return { name: body.name as string, ...options, errors };
}

/** Channel, message and thread routes. */
export function channelRoutes(ctx: EmulatorContext): Route[] {
  const world = ctx.world;
  return [
    {
      method: "GET",
      template: "/channels/:channel",
      auth: true,
      bucket: BUCKETS.general("GET /channels/:channel"),
      major: byChannel,
      handle: (req) => ({ body: world.channelPayload(visibleChannel(ctx, req.params.channel)) }),
    },
    {
      method: "GET",
      template: "/channels/:channel/messages",
      auth: true,
      bucket: BUCKETS.general("GET /channels/:channel/messages"),
      major: byChannel,
      handle: (req) => {
        const channel = visibleChannel(ctx, req.params.channel);
        requirePermission(ctx, channel, PERMISSIONS.ReadMessageHistory);
        const limit = Math.min(100, Math.max(1, Number(req.query.get("limit") ?? 50)));
        let list = [...world.channelMessages(channel.id)];
        const before = req.query.get("before");
        const after = req.query.get("after");
        if (before) list = list.filter((m) => BigInt(m.data.id) < BigInt(before));
        if (after) list = list.filter((m) => BigInt(m.data.id) > BigInt(after)).slice(0, limit);
        return {
          body: list
            .slice(-limit)
            .reverse()
            .map((m) => m.data),
        };
      },
    },
    {
      method: "POST",
      template: "/channels/:channel/messages",
      auth: true,
      schema: "MessageCreateRequest",
      bucket: BUCKETS.messageCreate,
      major: byChannel,
      handle: (req) => ({
        body: createMessage(ctx, visibleChannel(ctx, req.params.channel), req.body).data,
      }),
    },
    {
      method: "GET",
      template: "/channels/:channel/messages/:message",
      auth: true,
      bucket: BUCKETS.general("GET /channels/:channel/messages/:message"),
      major: byChannel,
      handle: (req) => {
        const channel = visibleChannel(ctx, req.params.channel);
        return { body: messageIn(ctx, channel, req.params.message).data };
      },
    },
    {
      method: "PATCH",
      template: "/channels/:channel/messages/:message",
      auth: true,
      schema: "MessageEditRequestPartial",
      bucket: BUCKETS.general("PATCH /channels/:channel/messages/:message"),
      major: byChannel,
      handle: (req) => {
        const channel = visibleChannel(ctx, req.params.channel);
        const message = messageIn(ctx, channel, req.params.message);
        const body = isObject(req.body) ? req.body : {};
        validateMessageEdit(message.data, body);
        return { body: world.editMessage(message, body).data };
      },
    },
    {
      method: "DELETE",
      template: "/channels/:channel/messages/:message",
      auth: true,
      bucket: BUCKETS.general("DELETE /channels/:channel/messages/:message"),
      major: byChannel,
      handle: (req) => {
        const channel = visibleChannel(ctx, req.params.channel);
        world.deleteMessage(messageIn(ctx, channel, req.params.message));
        return {};
      },
    },
    {
      method: "POST",
      template: "/channels/:channel/messages/:message/threads",
      auth: true,
      schema: "CreateTextThreadWithMessageRequest",
      bucket: BUCKETS.general("POST /channels/:channel/messages/:message/threads"),
      major: byChannel,
      handle: (req) => {
        const channel = notDm(visibleChannel(ctx, req.params.channel));
        const message = messageIn(ctx, channel, req.params.message);
        const { name, errors, ...options } = threadFields(isObject(req.body) ? req.body : {});
        errors.throwIfAny();
        if (channel.type !== 0 && channel.type !== 5)
          throw new ApiError(400, 50024, "Cannot execute action on this channel type");
        requirePermission(ctx, channel, PERMISSIONS.CreatePublicThreads);
        if (message.threadId !== null || world.channels.has(message.data.id)) throw threadExists();
        const thread: EmuChannel = {
          id: message.data.id,
          type: channel.type === 5 ? 10 : 11,
          guildId: channel.guildId,
          name,
          parentId: channel.id,
          overwrites: [],
          ownerId: world.botUser.id,
          starterMessageId: message.data.id,
          ...options,
        };
        world.channels.set(thread.id, thread);
        message.threadId = thread.id;
        message.data.thread = world.channelPayload(thread);
        world.dispatch(
          channel.guildId,
          "THREAD_CREATE",
          { ...world.channelPayload(thread), newly_created: true },
          1,
        );
        return { status: 201, body: world.channelPayload(thread) };
      },
    },
    {
      method: "POST",
      template: "/channels/:channel/threads",
      auth: true,
      schema: "ThreadCreateByParent",
      bucket: BUCKETS.general("POST /channels/:channel/threads"),
      major: byChannel,
      handle: (req) => {
        const parent = notDm(visibleChannel(ctx, req.params.channel));
        const body = isObject(req.body) ? req.body : {};
        const { name, errors, ...options } = threadFields(body);
        const forum = isForumType(parent.type);
        // docs: resources/channel#start-thread-in-forum-or-media-channel: applied_tags ≤ 5, ids
        // of this forum's tags; a REQUIRE_TAG forum needs one (40067).
        const tags = parent.availableTags ?? [];
        const appliedTags = forum ? checkAppliedTags(errors, body.applied_tags, tags) : [];
        if (forum && !isObject(body.message))
          errors.add(["message"], "BASE_TYPE_REQUIRED", "This field is required");
        errors.throwIfAny();
        requirePermission(
          ctx,
          parent,
          forum ? PERMISSIONS.SendMessages : PERMISSIONS.CreatePublicThreads,
        );
        let embedsDropped = 0;
        if (forum) {
          validateMessageBody(body.message as Json, { requireSomething: true });
          requireTag(parent.flags ?? 0, appliedTags);
          // A moderated tag needs Manage Threads (docs: resources/channel#forum-tag-object); the
          // error for it is not documented: 403/50013 is a guess.
          if (appliedTags.some((id) => tags.find((t) => t.id === id)?.moderated))
            requirePermission(ctx, parent, PERMISSIONS.ManageThreads);
          body.message = { ...(body.message as Json) };
          embedsDropped = dropEmbedsWithoutPermission(ctx, parent, body.message as Json);
        }
        const thread: EmuChannel = {
          id: world.ids.next(),
          type: forum ? 11 : Number(body.type ?? 12),
          guildId: parent.guildId,
          name,
          parentId: parent.id,
          overwrites: [],
          ownerId: world.botUser.id,
          appliedTags,
          ...options,
        };
        world.channels.set(thread.id, thread);
        world.dispatch(
          parent.guildId,
          "THREAD_CREATE",
          { ...world.channelPayload(thread), newly_created: true },
          1,
        );
        if (!forum) return { status: 201, body: world.channelPayload(thread) };
        const starter = world.addMessage(thread, body.message as Json, {
          id: thread.id,
          embedsDropped,
        });
        return { status: 201, body: { ...world.channelPayload(thread), message: starter.data } };
      },
    },
  ];
}
