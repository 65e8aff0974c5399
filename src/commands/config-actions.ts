import { permissionList } from "../delivery/channel-health.js";
import type { ChannelSubscription } from "../delivery/model.js";
import { checkSchedule } from "../delivery/schedule.js";
import { subscriptionInput } from "../delivery/subscription.js";
import type { Language } from "../i18n.js";
import type { DeliveryMode, PaperStyle } from "../render/digest-messages.js";
import { missingPermissions } from "./channel-check.js";
import { type CommandContext, UserError } from "./command.js";
import { explainProblem, runLines } from "./schedule-text.js";

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
  /** Embeds (the default) or cards. */
  style?: PaperStyle | null;
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
export async function addChannel(
  ctx: CommandContext,
  request: ChannelRequest,
): Promise<ChannelSubscription> {
  const isForum = request.channelType === 15;
  const mode: DeliveryMode = request.mode ?? (isForum ? "forum" : "embeds");
  if (isForum !== (mode === "forum")) {
    throw new UserError({
      ko: "포럼 채널은 forum 방식으로만, forum 방식은 포럼 채널에서만 쓸 수 있습니다. mode 옵션을 비워 두면 채널에 맞는 방식을 고릅니다.",
      en: "A forum channel takes the forum mode, and the forum mode needs a forum channel. Leave the mode option out to get the channel's own mode.",
    });
  }
  if (![0, 5, 15].includes(request.channelType)) {
    throw new UserError({
      ko: "텍스트·공지·포럼 채널만 구독할 수 있습니다. 그런 채널을 골라 다시 시도해 주세요.",
      en: "Only text, announcement and forum channels can subscribe. Pick one of those and try again.",
    });
  }
  const missing = missingPermissions(mode, request.botPermissions);
  if (missing.length > 0) {
    throw new UserError({
      ko: `봇에게 <#${request.channelId}> 채널의 권한이 없습니다: ${permissionList(missing, "ko")}. 채널 설정 → 권한에서 Paperboy에게 이 권한을 준 뒤 다시 시도해 주세요.`,
      en: `The bot is missing permissions in <#${request.channelId}>: ${permissionList(missing, "en")}. Grant them to Paperboy in the channel's settings (Permissions), then try again.`,
    });
  }
  await ctx.store.saveSubscription(
    subscriptionInput(request.channelId, request.guildId, mode, {
      minVotes: request.minVotes,
      topN: request.topN,
      includeKeywords: keywords(request.include),
      excludeKeywords: keywords(request.exclude),
      mentionRoleId: request.roleId,
      forumTagId: request.forumTagId,
      style: request.style ?? "embeds",
      createdBy: request.adminId,
    }),
  );
  await ctx.scheduler?.schedule(request.guildId);
  return (await ctx.store.subscription(request.channelId)) as ChannelSubscription;
}

/** A forum tag's name for a subscription, when the server's cache knows it. */
export type TagName = (subscription: ChannelSubscription) => string | null;

/** One line describing a subscription (a forum tag by its name when `tagName` knows it). */
export function describeSubscription(
  s: ChannelSubscription,
  language: Language,
  tagName: TagName = () => null,
): string {
  const parts = [`<#${s.channelId}>`, `\`${s.mode}\``];
  if (s.style === "cards") parts.push(language === "ko" ? "카드" : "cards");
  if (s.minVotes !== null)
    parts.push(language === "ko" ? `추천 ${s.minVotes} 이상` : `≥ ${s.minVotes} votes`);
  if (s.topN !== null) parts.push(language === "ko" ? `상위 ${s.topN}편` : `top ${s.topN}`);
  if (s.includeKeywords.length > 0) parts.push(`+${s.includeKeywords.join(", +")}`);
  if (s.excludeKeywords.length > 0) parts.push(`-${s.excludeKeywords.join(", -")}`);
  if (s.mentionRoleId) parts.push(`<@&${s.mentionRoleId}>`);
  if (s.forumTagId) {
    const tag = tagName(s) ?? s.forumTagId;
    parts.push(language === "ko" ? `태그 ${tag}` : `tag ${tag}`);
  }
  if (s.pausedReason)
    parts.push(language === "ko" ? `⏸ 멈춤: ${s.pausedReason}` : `⏸ paused: ${s.pausedReason}`);
  return parts.join(" · ");
}

/**
 * Sets a server's schedule after checking that it runs within a year and never at a local time a
 * daylight-saving change skips or repeats (unless it runs every hour); returns its next three runs.
 */
export async function setSchedule(
  ctx: CommandContext,
  guildId: string,
  cron: string,
  timezone: string,
): Promise<Date[]> {
  const { problem, next } = checkSchedule(cron, timezone);
  if (problem) {
    const text = (language: Language) => {
      const runs = problem.kind === "invalid-cron" || problem.kind === "invalid-zone";
      if (runs) return explainProblem(problem, cron, timezone, language);
      const head = language === "ko" ? "이 일정의 다음 실행:" : "This schedule's next runs:";
      return [
        explainProblem(problem, cron, timezone, language),
        head,
        ...runLines(next, timezone, language),
      ].join("\n");
    };
    throw new UserError({ ko: text("ko"), en: text("en") });
  }
  await ctx.store.saveGuildSettings(guildId, { schedule: cron, timezone });
  await ctx.scheduler?.schedule(guildId);
  return next;
}
