import { ChannelFlags, ChannelType, type GuildBasedChannel } from "discord.js";
import { truncate } from "../discord/limits.js";
import { UserError } from "./command.js";

/** A forum's tags as the guild cache knows them. */
export interface ForumInfo {
  /** The forum has the REQUIRE_TAG flag: Discord refuses a post without a tag (40067). */
  requiresTag: boolean;
  tags: { id: string; name: string }[];
}

/** A cached channel's forum tags, or null for a channel that is not a forum. */
export function forumInfo(channel: GuildBasedChannel): ForumInfo | null {
  if (channel.type !== ChannelType.GuildForum && channel.type !== ChannelType.GuildMedia)
    return null;
  return {
    requiresTag: channel.flags.has(ChannelFlags.RequireTag),
    tags: channel.availableTags.map((tag) => ({ id: tag.id, name: tag.name })),
  };
}

/** Autocomplete choices for a forum's tags whose name contains what was typed. */
export function tagChoices(
  forum: ForumInfo | null,
  typed: string,
): { name: string; value: string }[] {
  // Discord sends what was typed as text; anything else is read as text too.
  const needle = String(typed).trim().toLowerCase();
  return (forum?.tags ?? [])
    .filter((tag) => tag.name.toLowerCase().includes(needle))
    .slice(0, 25)
    .map((tag) => ({ name: truncate(tag.name, 100), value: tag.id }));
}

/**
 * The tag a forum subscription posts with: an id from autocomplete or a typed name, checked
 * against the forum's tags. A forum that requires a tag refuses a subscription without one.
 */
export function resolveForumTag(forum: ForumInfo | null, value: string | null): string | null {
  const typed = value?.trim() ?? "";
  if (forum === null) {
    if (typed === "") return null;
    throw new UserError({
      ko: "태그는 포럼 채널에만 붙일 수 있습니다. 이 채널에는 tag 옵션을 빼고 다시 시도해 주세요.",
      en: "A tag applies to forum channels only. Leave the tag option out for this channel and try again.",
    });
  }
  const names = forum.tags.map((tag) => tag.name).join(", ") || "—";
  if (typed === "") {
    if (!forum.requiresTag) return null;
    throw new UserError({
      ko: `이 포럼은 글마다 태그가 있어야 합니다. \`tag\` 옵션으로 하나를 골라 주세요: ${names}`,
      en: `This forum requires a tag on every post. Pick one with the \`tag\` option: ${names}`,
    });
  }
  const tag =
    forum.tags.find((t) => t.id === typed) ??
    forum.tags.find((t) => t.name.toLowerCase() === typed.toLowerCase());
  if (tag) return tag.id;
  throw new UserError({
    ko: `이 포럼에 "${typed}" 태그가 없습니다. tag 옵션에서 다음 중 하나를 골라 주세요: ${names}`,
    en: `This forum has no tag "${typed}". Pick one of its tags with the tag option: ${names}`,
  });
}

/**
 * Checks that a role to mention would really be notified: Discord notifies a role only when it
 * is mentionable or the bot has Mention Everyone in that channel.
 */
export function checkRoleMention(
  role: { id: string; mentionable: boolean } | null,
  botCanMentionEveryone: boolean,
): void {
  if (role === null || role.mentionable || botCanMentionEveryone) return;
  throw new UserError({
    ko: `<@&${role.id}> 역할은 멘션할 수 없게 설정되어 있어 알림이 가지 않습니다. 서버 설정 → 역할에서 "누구나 이 역할을 @멘션할 수 있도록 허용"을 켜거나, 그 채널에서 Paperboy에게 "@everyone, @here, 모든 역할 멘션하기" 권한을 준 뒤 다시 시도해 주세요.`,
    en: `Nobody would be notified: <@&${role.id}> is not mentionable. In Server Settings → Roles, turn on "Allow anyone to @mention this role", or give Paperboy "Mention @everyone, @here and All Roles" in that channel, then try again.`,
  });
}
