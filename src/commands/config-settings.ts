import type { GuildSettings } from "../delivery/model.js";
import { checkSchedule, stillRuns } from "../delivery/schedule.js";
import { DISCORD_LIMITS } from "../discord/limits.js";
import { LANGUAGES, type Language } from "../i18n.js";
import { joinedLength, takeLines } from "../views/fit-lines.js";
import { type CommandContext, UserError } from "./command.js";
import { setSchedule, type TagName } from "./config-actions.js";
import { subscriptionLines } from "./config-channels.js";
import { pick } from "./pick.js";
import { explainProblem, runLines } from "./schedule-text.js";

/** `/config schedule`: saves a schedule that runs as meant and shows its next three runs. */
export async function scheduleReply(
  ctx: CommandContext,
  guildId: string,
  cron: string,
  timezone: string,
  language: Language,
): Promise<string> {
  const runs = await setSchedule(ctx, guildId, cron, timezone);
  const head = pick(language, {
    ko: `⏰ 일정을 바꿨습니다 (${timezone}). 다음 세 번:`,
    en: `⏰ Schedule set (${timezone}). The next three runs:`,
  });
  return [head, ...runLines(runs, timezone, language)].join("\n");
}

/** `/config language`: the language of this server's digests and notices. */
export async function languageReply(
  ctx: CommandContext,
  guildId: string,
  value: string,
): Promise<string> {
  if (!LANGUAGES.includes(value as Language))
    throw new UserError({
      ko: "언어는 한국어(ko) 또는 영어(en)에서 골라 주세요.",
      en: "Pick Korean (ko) or English (en) as the language.",
    });
  await ctx.store.saveGuildSettings(guildId, { language: value as Language });
  return value === "ko"
    ? "🌐 이제 한국어로 보냅니다."
    : "🌐 Digests and replies are now in English.";
}

/**
 * A warning when the server's saved schedule is disabled (it can never run) or skips or repeats
 * a run at a daylight-saving change, naming what to run; null when it is fine.
 */
export function scheduleNote(
  ctx: CommandContext,
  settings: GuildSettings,
  language: Language,
): string | null {
  const { schedule, timezone } = settings;
  const problem =
    ctx.scheduler?.problem(settings.guildId) ?? checkSchedule(schedule, timezone).problem;
  if (!problem) return null;
  const next = stillRuns(problem)
    ? pick(language, {
        ko: "`/config schedule`로 다른 시각을 정해 주세요.",
        en: "Set another time with `/config schedule`.",
      })
    : pick(language, {
        ko: "새 일정을 `/config schedule`로 정할 때까지 정기 전달이 꺼져 있습니다.",
        en: "Scheduled deliveries are off until you set a new schedule with `/config schedule`.",
      });
  return `⚠️ ${explainProblem(problem, schedule, timezone, language)} ${next}`;
}

/** `/config show`: language, schedule (with any warning) and as many channels as fit. */
export async function showReply(
  ctx: CommandContext,
  guildId: string,
  language: Language,
  tagName?: TagName,
): Promise<string> {
  const settings = await ctx.service.settings(guildId);
  const note = scheduleNote(ctx, settings, language);
  const head = [
    pick(language, {
      ko: `🌐 언어: ${settings.language}`,
      en: `🌐 Language: ${settings.language}`,
    }),
    pick(language, {
      ko: `⏰ 일정: \`${settings.schedule}\` (${settings.timezone})`,
      en: `⏰ Schedule: \`${settings.schedule}\` (${settings.timezone})`,
    }),
    ...(note ? [note] : []),
  ];
  const channels = takeLines(
    await subscriptionLines(ctx, guildId, language, tagName),
    DISCORD_LIMITS.content - joinedLength(head) - 1,
    (count) =>
      pick(language, {
        ko: `… 외 ${count}개 — 전체 목록은 \`/config channel list\``,
        en: `… and ${count} more — \`/config channel list\` shows them all`,
      }),
  );
  return [...head, ...channels].join("\n");
}
