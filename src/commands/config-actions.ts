import type { ChannelSubscription } from "../delivery/model.js";
import { isValidCron, isValidTimeZone, nextRuns } from "../delivery/schedule.js";
import { subscriptionInput } from "../delivery/subscription.js";
import type { Language } from "../i18n.js";
import type { DeliveryMode } from "../render/digest-messages.js";
import { missingPermissions } from "./channel-check.js";
import { type CommandContext, UserError } from "./command.js";

/** A channel as an admin asks to subscribe it. */
export interface ChannelRequest {
  guildId: string;
  channelId: string;
  /** Discord's channel type: 0 text, 5 announcement, 15 forum. */
  channelType: number;
  mode: DeliveryMode | null;
  minVotes: number | null;
  topN: number | null;
  include: string | null;
  exclude: string | null;
  roleId: string | null;
  /** The forum tag posts carry (checked against the forum by `resolveForumTag`). */
  forumTagId: string | null;
  adminId: string;
  /** The bot's permission bits in that channel. */
  botPermissions: bigint;
}

const keywords = (text: string | null) =>
  (text ?? "")
    .split(",")
    .map((k) => k.trim())
    .filter((k) => k !== "")
    .slice(0, 20);

/** Subscribes (or re-subscribes, which also resumes) a channel after checking mode and permissions. */
export function addChannel(ctx: CommandContext, request: ChannelRequest): ChannelSubscription {
  const isForum = request.channelType === 15;
  const mode: DeliveryMode = request.mode ?? (isForum ? "forum" : "embeds");
  if (isForum !== (mode === "forum")) {
    throw new UserError({
      ko: "포럼 채널은 forum 방식으로만, forum 방식은 포럼 채널에서만 쓸 수 있습니다.",
      en: "A forum channel takes the forum mode, and the forum mode needs a forum channel.",
    });
  }
  if (![0, 5, 15].includes(request.channelType)) {
    throw new UserError({
      ko: "텍스트·공지·포럼 채널만 구독할 수 있습니다.",
      en: "Only text, announcement and forum channels can subscribe.",
    });
  }
  const missing = missingPermissions(mode, request.botPermissions);
  if (missing.length > 0) {
    throw new UserError({
      ko: `봇에게 <#${request.channelId}> 채널의 권한이 없습니다: ${missing.join(", ")}. 채널 설정에서 권한을 준 뒤 다시 시도해 주세요.`,
      en: `The bot is missing permissions in <#${request.channelId}>: ${missing.join(", ")}. Grant them in the channel's settings and try again.`,
    });
  }
  ctx.store.saveSubscription(
    subscriptionInput(request.channelId, request.guildId, mode, {
      minVotes: request.minVotes,
      topN: request.topN,
      includeKeywords: keywords(request.include),
      excludeKeywords: keywords(request.exclude),
      mentionRoleId: request.roleId,
      forumTagId: request.forumTagId,
      createdBy: request.adminId,
    }),
  );
  ctx.scheduler?.schedule(request.guildId);
  return ctx.store.subscription(request.channelId) as ChannelSubscription;
}

/** One line describing a subscription. */
export function describeSubscription(s: ChannelSubscription, language: Language): string {
  const parts = [`<#${s.channelId}>`, `\`${s.mode}\``];
  if (s.minVotes !== null)
    parts.push(language === "ko" ? `추천 ${s.minVotes} 이상` : `≥ ${s.minVotes} votes`);
  if (s.topN !== null) parts.push(language === "ko" ? `상위 ${s.topN}편` : `top ${s.topN}`);
  if (s.includeKeywords.length > 0) parts.push(`+${s.includeKeywords.join(", +")}`);
  if (s.excludeKeywords.length > 0) parts.push(`-${s.excludeKeywords.join(", -")}`);
  if (s.mentionRoleId) parts.push(`<@&${s.mentionRoleId}>`);
  if (s.forumTagId) parts.push(language === "ko" ? `태그 ${s.forumTagId}` : `tag ${s.forumTagId}`);
  if (s.pausedReason)
    parts.push(language === "ko" ? `⏸ 멈춤: ${s.pausedReason}` : `⏸ paused: ${s.pausedReason}`);
  return parts.join(" · ");
}

/** Sets a server's schedule; returns its next three runs. */
export function setSchedule(
  ctx: CommandContext,
  guildId: string,
  cron: string,
  timezone: string,
): Date[] {
  if (!isValidCron(cron)) {
    throw new UserError({
      ko: `"${cron}"는 cron 형식이 아닙니다. 예: "0 9 * * *" (매일 09:00), "30 8 * * 1-5" (평일 08:30).`,
      en: `"${cron}" is not a cron expression. Examples: "0 9 * * *" (09:00 daily), "30 8 * * 1-5" (08:30 on weekdays).`,
    });
  }
  if (!isValidTimeZone(timezone)) {
    throw new UserError({
      ko: `"${timezone}"는 시간대 이름이 아닙니다. 예: Asia/Seoul, Europe/Berlin, UTC.`,
      en: `"${timezone}" is not a time zone. Examples: Asia/Seoul, Europe/Berlin, UTC.`,
    });
  }
  ctx.store.saveGuildSettings(guildId, { schedule: cron, timezone });
  ctx.scheduler?.schedule(guildId);
  return nextRuns(cron, timezone, 3);
}

/** A run time as people in that zone read it. */
export function formatInZone(date: Date, timezone: string, language: Language): string {
  return new Intl.DateTimeFormat(language === "ko" ? "ko-KR" : "en-GB", {
    timeZone: timezone,
    dateStyle: "full",
    timeStyle: "short",
  }).format(date);
}
