import type { OutgoingMessage } from "../render/digest-messages.js";

/** A message as sent, with the idempotency nonce Discord checks. */
export type SendBody = OutgoingMessage & { nonce?: string; enforce_nonce?: boolean };

/** What Discord answered to a create: the id and, when it said, how many embeds it kept. */
export interface Created {
  id: string;
  /** Embeds on the stored message (Discord drops them silently without Embed Links). */
  embedCount?: number;
}

/** What the delivery pipeline needs from Discord; the REST implementation is the real one. */
export interface Sender {
  createMessage(channelId: string, body: SendBody): Promise<Created>;
  /** Starts a thread on a message; the thread's id is the message's id. */
  startThread(channelId: string, messageId: string, name: string): Promise<{ id: string }>;
  /** Opens a forum post carrying `tags` (ids of the forum's tags). */
  createForumPost(
    forumId: string,
    name: string,
    message: OutgoingMessage,
    tags?: string[],
  ): Promise<Created>;
  /** An active forum post of the bot with this exact name, if one exists (to adopt after a crash). */
  findForumPost(guildId: string, forumId: string, name: string): Promise<{ id: string } | null>;
  /** Opens (or finds: Discord answers with the same one) the bot's DM channel with a user. */
  openDm(userId: string): Promise<{ id: string }>;
  systemChannel(guildId: string): Promise<string | null>;
  channelGuild(channelId: string): Promise<string | null>;
}

/** A message as read back from Discord (GET results carry no nonce). */
export interface SeenMessage {
  id: string;
  authorId: string;
  content: string;
  embeds: { title?: string | null; url?: string | null }[];
  /** Its cards' title lines (Components V2), in order; empty for other messages. */
  cards?: string[];
}

/** A thread or forum post as listed by Discord. */
export interface SeenThread {
  id: string;
  parentId: string | null;
  name: string;
  ownerId: string | null;
}

/** Reads the bot needs to tell whether an unconfirmed send arrived (never sends anything). */
export interface DiscordReader {
  /** The bot's user id. */
  botUserId(): Promise<string>;
  /** Threads under `parentId`: the active ones, and the archived public ones when asked. */
  threadsIn(guildId: string, parentId: string, archivedToo: boolean): Promise<SeenThread[]>;
  /** Up to `limit` (≤ 100) messages of a channel with ids above `afterId`, oldest first. */
  messagesAfter(channelId: string, afterId: string, limit: number): Promise<SeenMessage[]>;
}

/** How a failed send is handled. */
export type SendFailure =
  | { kind: "bad-payload"; status: number; code: number | null; message: string }
  | { kind: "no-access"; status: number; code: number; message: string }
  | { kind: "thread-exists"; message: string }
  /** 10008 Unknown Message: for a create with a nonce, its first message was deleted. */
  | { kind: "deleted"; message: string }
  /** 50007: the user allows no direct messages from the bot. */
  | { kind: "dms-closed"; message: string }
  | { kind: "retry"; message: string };

/** Codes after which a channel cannot take deliveries until an admin acts (40067: a tag is required). */
const NO_ACCESS_CODES = new Set([50001, 50013, 10003, 40067]);

/** Maps a Discord error to what the pipeline does about it (400 skip, 403/404 pause, else retry). */
export function classifySendError(error: unknown): SendFailure {
  const e = error as { status?: unknown; code?: unknown; message?: unknown; name?: unknown };
  const status = typeof e.status === "number" ? e.status : null;
  const code = typeof e.code === "number" ? e.code : null;
  const text = typeof e.message === "string" ? e.message : String(error);
  const message = status !== null && !text.startsWith(String(status)) ? `${status} ${text}` : text;
  if (code === 160004) return { kind: "thread-exists", message };
  if (status === 404 && code === 10008) return { kind: "deleted", message };
  if (code === 50007) return { kind: "dms-closed", message };
  if (status !== null && code !== null && NO_ACCESS_CODES.has(code))
    return { kind: "no-access", status, code, message };
  if (status !== null && (status === 403 || status === 404) && code !== null)
    return { kind: "bad-payload", status, code, message };
  if (status !== null && status >= 400 && status < 500 && status !== 429 && status !== 408) {
    return { kind: "bad-payload", status, code, message };
  }
  return { kind: "retry", message };
}
