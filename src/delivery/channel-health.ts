import type { Language } from "../i18n.js";
import type { DeliveryMode } from "../render/digest-messages.js";

/** The channel permissions a delivery can need (discord.js `PermissionFlagsBits` names). */
export type NeededPermission =
  | "ViewChannel"
  | "SendMessages"
  | "EmbedLinks"
  | "ReadMessageHistory"
  | "CreatePublicThreads"
  | "SendMessagesInThreads";

/** Every permission any mode needs. */
export const NEEDED_PERMISSIONS: readonly NeededPermission[] = [
  "ViewChannel",
  "SendMessages",
  "EmbedLinks",
  "ReadMessageHistory",
  "CreatePublicThreads",
  "SendMessagesInThreads",
];

/** The names Discord shows in its permission settings (English). */
export const PERMISSION_LABELS: Record<NeededPermission, string> = {
  ViewChannel: "View Channel",
  SendMessages: "Send Messages",
  EmbedLinks: "Embed Links",
  ReadMessageHistory: "Read Message History",
  CreatePublicThreads: "Create Public Threads",
  SendMessagesInThreads: "Send Messages in Threads",
};

/** The names Discord shows in its permission settings, in each interface language. */
const LOCALIZED_LABELS: Record<Language, Record<NeededPermission, string>> = {
  en: PERMISSION_LABELS,
  ko: {
    ViewChannel: "채널 보기",
    SendMessages: "메시지 보내기",
    EmbedLinks: "임베드 링크",
    ReadMessageHistory: "메시지 기록 보기",
    CreatePublicThreads: "공개 스레드 만들기",
    SendMessagesInThreads: "스레드에서 메시지 보내기",
  },
};

// Read Message History lets a restart check what arrived before sending again (verify.ts).
const BASE: NeededPermission[] = [
  "ViewChannel",
  "SendMessages",
  "EmbedLinks",
  "ReadMessageHistory",
];

/** What a mode needs; a forum's "Create Posts" is Send Messages, its posts are threads. */
export function neededPermissions(mode: DeliveryMode): NeededPermission[] {
  if (mode === "thread") return [...BASE, "CreatePublicThreads", "SendMessagesInThreads"];
  if (mode === "forum") return [...BASE, "SendMessagesInThreads"];
  return BASE;
}

/**
 * The bot's permissions in a channel as the gateway's cache computes them (roles and overwrites).
 * Absent in REST-only use; `granted` answers null when the channel is not in the cache.
 */
export interface PermissionChecker {
  /** Which of `NEEDED_PERMISSIONS` the bot has in the channel, or null when it cannot tell. */
  granted(channelId: string): ReadonlySet<NeededPermission> | null;
}

/** The permissions `mode` needs that the checker says are missing (empty when unknown). */
export function missingPermissions(
  checker: PermissionChecker | undefined,
  channelId: string,
  mode: DeliveryMode,
): NeededPermission[] {
  const granted = checker?.granted(channelId);
  if (!granted) return [];
  return neededPermissions(mode).filter((name) => !granted.has(name));
}

/** The permissions as Discord names them in `language`, joined for a reason text. */
export function permissionList(
  names: readonly NeededPermission[],
  language: Language = "en",
): string {
  return names.map((name) => LOCALIZED_LABELS[language][name]).join(", ");
}
