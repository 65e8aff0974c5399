import { nextRuns } from "../delivery/schedule.js";
import type { Language } from "../i18n.js";
import { fitContent } from "../views/fit-lines.js";
import type { Command, CommandContext } from "./command.js";
import { scheduleNote } from "./config-settings.js";
import { pick } from "./pick.js";
import { runLines } from "./schedule-text.js";

/** Where `/help` was asked, as Discord describes it. */
export interface HelpPlace {
  /** Discord's interaction context: 0 a server, 1 a DM with the bot, 2 a private channel. */
  context: number;
  /** The server it was asked in, if any. */
  guildId: string | null;
  /** The server installed the app (not only the user asking). */
  serverInstalled: boolean;
  /** The caller may manage the server (Manage Server). */
  admin: boolean;
}

/** Whether `command` is offered at `place`: Discord's contexts and installs, and admin rights. */
export function usableAt(command: Command, place: HelpPlace): boolean {
  const contexts: readonly number[] = command.data.contexts ?? [0];
  const installs: readonly number[] = command.data.integration_types ?? [0];
  if (!contexts.includes(place.context)) return false;
  if (!(place.serverInstalled ? installs.includes(0) : installs.includes(1))) return false;
  return command.requiredPermission === undefined || place.admin;
}

function commandLine(command: Command, language: Language): string {
  const { data } = command;
  const name = (language === "ko" && data.name_localizations?.ko) || data.name;
  const description = (language === "ko" && data.description_localizations?.ko) || data.description;
  return `• \`/${name}\` — ${description}`;
}

/** The server's setup as its admin needs it: channels, schedule, and the next step to take. */
async function setupLines(ctx: CommandContext, guildId: string, language: Language) {
  const subscriptions = await ctx.store.subscriptions(guildId);
  const settings = await ctx.service.settings(guildId);
  const paused = subscriptions.filter((s) => s.pausedReason !== null);
  const shown = subscriptions
    .slice(0, 10)
    .map((s) => `<#${s.channelId}> (${s.mode}${s.pausedReason !== null ? ", ⏸" : ""})`);
  const more = subscriptions.length - shown.length;
  const channels =
    subscriptions.length === 0
      ? pick(language, { ko: "없음", en: "none" })
      : `${shown.join(", ")}${more > 0 ? pick(language, { ko: ` 외 ${more}개`, en: ` and ${more} more` }) : ""}`;
  const note = scheduleNote(ctx, settings, language);
  const next = note
    ? []
    : runLines(nextRuns(settings.schedule, settings.timezone, 1), settings.timezone, language);
  const step =
    subscriptions.length === 0
      ? pick(language, {
          ko: "채널을 구독하세요: `/config channel add channel:#채널` — 다음 정기 전달부터 그 채널에 올라갑니다.",
          en: "Subscribe a channel: `/config channel add channel:#channel` — the next scheduled run posts there.",
        })
      : paused.length > 0
        ? pick(language, {
            ko: `<#${paused[0]?.channelId}>에 보낼 권한이 없어 멈췄습니다. 권한을 고친 뒤 \`/config channel add\`로 재개하세요.`,
            en: `<#${paused[0]?.channelId}> is paused: the bot cannot post there. Fix its permissions, then \`/config channel add\` resumes it.`,
          })
        : note
          ? pick(language, {
              ko: "`/config schedule`로 일정을 고치세요.",
              en: "Fix the schedule with `/config schedule`.",
            })
          : pick(language, {
              ko: "준비 완료. 전달 상황은 `/status`, 지금 다시 보내려면 `/repost`.",
              en: "All set. `/status` shows deliveries; `/repost` posts a digest now.",
            });
  return [
    pick(language, { ko: "**이 서버의 설정**", en: "**This server's setup**" }),
    `📡 ${pick(language, { ko: "구독 채널", en: "Subscribed channels" })}: ${channels}`,
    `⏰ ${pick(language, { ko: "일정", en: "Schedule" })}: \`${settings.schedule}\` (${settings.timezone})${next[0] ? ` · ${pick(language, { ko: "다음", en: "next" })}: ${next[0].replace(/^•\s*/, "")}` : ""}`,
    ...(note ? [note] : []),
    `👉 ${step}`,
  ];
}

/**
 * `/help`: the commands the caller can use where they asked, and, for a server's admin, the
 * server's setup state with the next step to take.
 */
export async function helpText(
  ctx: CommandContext,
  place: HelpPlace,
  language: Language,
): Promise<string> {
  const commands = (ctx.commands?.() ?? []).filter((command) => usableAt(command, place));
  const readers = commands.filter((c) => c.requiredPermission === undefined);
  const admins = commands.filter((c) => c.requiredPermission !== undefined);
  const lines = [
    pick(language, {
      ko: "📖 **Paperboy** — 매일의 연구 논문 다이제스트",
      en: "📖 **Paperboy** — daily research-paper digests",
    }),
    pick(language, { ko: "여기서 쓸 수 있는 명령:", en: "Commands you can use here:" }),
    ...readers.map((c) => commandLine(c, language)),
  ];
  if (admins.length > 0)
    lines.push(
      "",
      pick(language, { ko: "관리자 명령:", en: "Admin commands:" }),
      ...admins.map((c) => commandLine(c, language)),
    );
  if (place.guildId !== null && place.serverInstalled && place.admin)
    lines.push("", ...(await setupLines(ctx, place.guildId, language)));
  else if (place.guildId !== null && !place.serverInstalled)
    lines.push(
      "",
      pick(language, {
        ko: "ℹ️ 이 서버가 아니라 당신에게 설치되어 있습니다. 채널에 다이제스트를 받으려면 서버 관리자가 봇을 서버에 추가해야 합니다.",
        en: "ℹ️ Paperboy is installed for you, not for this server. For digests in a channel, a server admin adds the bot to the server.",
      }),
    );
  return fitContent(lines.join("\n"));
}
