import type { OutgoingMessage } from "../render/digest-messages.js";

/** A message as sent, with the idempotency nonce Discord checks. */
export type SendBody = OutgoingMessage & { nonce?: string; enforce_nonce?: boolean };

/** What the delivery pipeline needs from Discord; the REST implementation is the real one. */
export interface Sender {
  createMessage(channelId: string, body: SendBody): Promise<{ id: string }>;
  /** Starts a thread on a message; the thread's id is the message's id. */
  startThread(channelId: string, messageId: string, name: string): Promise<{ id: string }>;
  createForumPost(forumId: string, name: string, message: OutgoingMessage): Promise<{ id: string }>;
  /** An active forum post of the bot with this exact name, if one exists (to adopt after a crash). */
  findForumPost(guildId: string, forumId: string, name: string): Promise<{ id: string } | null>;
  systemChannel(guildId: string): Promise<string | null>;
  channelGuild(channelId: string): Promise<string | null>;
}

/** How a failed send is handled. */
export type SendFailure =
  | { kind: "bad-payload"; status: number; code: number | null; message: string }
  | { kind: "no-access"; status: number; code: number; message: string }
  | { kind: "thread-exists"; message: string }
  | { kind: "retry"; message: string };

const NO_ACCESS_CODES = new Set([50001, 50013, 10003]);

/** Maps a Discord error to what the pipeline does about it (400 skip, 403/404 pause, else retry). */
export function classifySendError(error: unknown): SendFailure {
  const e = error as { status?: unknown; code?: unknown; message?: unknown; name?: unknown };
  const status = typeof e.status === "number" ? e.status : null;
  const code = typeof e.code === "number" ? e.code : null;
  const text = typeof e.message === "string" ? e.message : String(error);
  const message = status !== null && !text.startsWith(String(status)) ? `${status} ${text}` : text;
  if (code === 160004) return { kind: "thread-exists", message };
  if (status !== null && code !== null && NO_ACCESS_CODES.has(code))
    return { kind: "no-access", status, code, message };
  if (status !== null && (status === 403 || status === 404) && code !== null)
    return { kind: "bad-payload", status, code, message };
  if (status !== null && status >= 400 && status < 500 && status !== 429 && status !== 408) {
    return { kind: "bad-payload", status, code, message };
  }
  return { kind: "retry", message };
}
