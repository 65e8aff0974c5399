import { countSteps, describeDelivery } from "../delivery/report.js";
import { nextRuns } from "../delivery/schedule.js";
import { DISCORD_LIMITS } from "../discord/limits.js";
import type { Language } from "../i18n.js";
import { fitContent, joinedLength, takeLines } from "../views/fit-lines.js";
import type { CommandContext } from "./command.js";
import { scheduleNote } from "./config-settings.js";
import { pick } from "./pick.js";
import { runLines } from "./schedule-text.js";

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? "" : "s"}`;

/** How many channels' last deliveries `/status` looks at. */
const DELIVERY_LOOKUP = 500;

/**
 * `/status` as one message: archive, next runs (or why there are none), paused channels and the
 * last delivery per channel — each list cut to what fits, saying how many more there are.
 */
export async function statusText(
  ctx: CommandContext,
  guildId: string,
  language: Language,
): Promise<string> {
  const catalog = ctx.catalog();
  const settings = await ctx.service.settings(guildId);
  const subscriptions = await ctx.store.subscriptions(guildId);
  const channelIds = new Set(subscriptions.map((s) => s.channelId));
  const deliveries = (await ctx.store.lastDeliveries(DELIVERY_LOOKUP)).filter(
    (d) => d.guildId === guildId || channelIds.has(d.channelId),
  );
  const newest = catalog.newest();
  const note = scheduleNote(ctx, settings, language);
  const top = [
    pick(language, {
      ko: `📚 아카이브: 다이제스트 ${catalog.dates().length}개, 논문 ${catalog.paperCount}편 · 최신 ${newest?.date ?? "없음"}`,
      en: `📚 Archive: ${plural(catalog.dates().length, "digest")}, ${plural(catalog.paperCount, "paper")} · newest ${newest?.date ?? "none"}`,
    }),
    pick(language, {
      ko: `⏰ 다음 전달 (${settings.timezone}):`,
      en: `⏰ Next runs (${settings.timezone}):`,
    }),
    ...(ctx.scheduler?.problem(guildId)
      ? []
      : runLines(
          nextRuns(settings.schedule, settings.timezone, 3),
          settings.timezone,
          language,
        ).map((line) => `  ${line}`)),
    ...(note ? [note] : []),
  ];
  const ping = ctx.ping();
  const bottom = [
    pick(language, {
      ko: `🛰️ 게이트웨이 지연: ${ping >= 0 ? `${ping} ms` : "측정 전"}`,
      en: `🛰️ Gateway latency: ${ping >= 0 ? `${ping} ms` : "not measured yet"}`,
    }),
  ];
  // Each line's step counts, read up front (the store answers asynchronously).
  const counts = await Promise.all(
    deliveries.map(async (d) => countSteps(await ctx.store.steps(d.id))),
  );
  let room = DISCORD_LIMITS.content - joinedLength(top) - joinedLength(bottom) - 2;
  const morePaused = (count: number) =>
    pick(language, {
      ko: `  • … 외 ${count}개 — 채널마다의 상태는 \`/config channel list\``,
      en: `  • … and ${count} more — \`/config channel list\` shows every channel's state`,
    });
  const moreDelivered = (count: number) =>
    pick(language, { ko: `  • … 외 채널 ${count}개`, en: `  • … and ${count} more channels` });

  // Paused channels come first when room runs short: they are what needs the admin.
  const paused = subscriptions.filter((s) => s.pausedReason !== null);
  const pausedLines =
    paused.length === 0
      ? []
      : [
          pick(language, {
            ko: "⏸ 멈춘 채널 (권한을 고친 뒤 `/config channel add`로 재개):",
            en: "⏸ Paused channels (fix the permission, then `/config channel add` resumes):",
          }),
          ...takeLines(
            paused.map((s) => `  • <#${s.channelId}>: ${s.pausedReason}`),
            room - 100,
            morePaused,
          ),
        ];
  room -= joinedLength(pausedLines) + 1;
  const deliveryLines = [
    pick(language, { ko: "📨 채널별 마지막 전달:", en: "📨 Last delivery per channel:" }),
    ...(deliveries.length === 0
      ? [pick(language, { ko: "  • 아직 없음", en: "  • none yet" })]
      : takeLines(
          deliveries.map(
            (d, i) =>
              `  • <#${d.channelId}> ${d.digestDate}: ${describeDelivery(language, d.status, counts[i] as ReturnType<typeof countSteps>, d.error)}`,
          ),
          room - 40,
          moreDelivered,
        )),
  ];
  return fitContent([...top, ...deliveryLines, ...pausedLines, ...bottom].join("\n"));
}
