import { countSteps, describeDelivery } from "../delivery/report.js";
import { nextRuns } from "../delivery/schedule.js";
import { DISCORD_LIMITS } from "../discord/limits.js";
import type { Language } from "../i18n.js";
import { fitContent, joinedLength, takeLines } from "../views/fit-lines.js";
import type { CommandContext, ProcessState } from "./command.js";
import { scheduleNote } from "./config-settings.js";
import { pick } from "./pick.js";
import { runLines } from "./schedule-text.js";

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? "" : "s"}`;

/** At most this many shard ids are named in a line (a big bot runs hundreds). */
const NAMED_SHARDS = 16;

/** Digest sync from the repository: when it last pulled, or why it fails. */
function syncLines(ctx: CommandContext, language: Language): string[] {
  const sync = ctx.digestSync?.();
  if (!sync) return [];
  if (sync.ok === false)
    return [
      pick(language, {
        ko: `⚠️ 다이제스트 동기화 실패 (${sync.source}): ${sync.error}. 가지고 있는 다이제스트로 계속 전달하며 다시 시도합니다.`,
        en: `⚠️ Digest sync is failing (${sync.source}): ${sync.error}. The digests already here keep serving; it is tried again.`,
      }),
    ];
  return [
    pick(language, {
      ko: `🔄 다이제스트 동기화: ${sync.source}${sync.lastSuccessAt ? ` · 마지막 ${sync.lastSuccessAt.slice(0, 16).replace("T", " ")} UTC (${sync.commit?.slice(0, 7)})` : " · 첫 동기화 중"}`,
      en: `🔄 Digest sync: ${sync.source}${sync.lastSuccessAt ? ` · last ${sync.lastSuccessAt.slice(0, 16).replace("T", " ")} UTC (${sync.commit?.slice(0, 7)})` : " · first pull under way"}`,
    }),
  ];
}

/** The answering process's part in the deployment, for the bot's owners. */
function processLines(state: ProcessState, language: Language): string[] {
  const ready = state.shards.filter((s) => s.ready);
  const down = state.shards.filter((s) => !s.ready).map((s) => s.id);
  const named = (ids: number[]) =>
    ids.length > NAMED_SHARDS ? `${ids.slice(0, NAMED_SHARDS).join(", ")}, …` : ids.join(", ");
  const pings = ready.map((s) => s.pingMs).filter((ms) => ms >= 0);
  const worst = pings.length > 0 ? Math.max(...pings) : null;
  const lease =
    state.leaseToken !== null && state.delivering
      ? pick(language, {
          ko: `전달 담당 (리스 토큰 ${state.leaseToken})`,
          en: `delivering (lease token ${state.leaseToken})`,
        })
      : pick(language, {
          ko: "대기 (다른 프로세스가 전달)",
          en: "standing by (another process delivers)",
        });
  const rest = state.restProxy
    ? pick(language, {
        ko: `REST 프록시 ${state.restProxy} 경유`,
        en: `through the REST proxy at ${state.restProxy}`,
      })
    : pick(language, { ko: "Discord에 직접", en: "straight to Discord" });
  const { queue, discord } = state.rateLimitWaits;
  return [
    pick(language, {
      ko: `🖥️ 이 프로세스 (소유자에게만): 역할 ${state.role} · ${lease}`,
      en: `🖥️ This process (owners only): role ${state.role} · ${lease}`,
    }),
    pick(language, {
      ko: `  • 샤드 ${ready.length}/${state.shards.length}개 준비됨 (${named(state.shards.map((s) => s.id))})${down.length > 0 ? ` · 끊김: ${named(down)}` : ""}${worst !== null ? ` · 최대 지연 ${worst} ms` : ""}`,
      en: `  • shards ${ready.length}/${state.shards.length} ready (${named(state.shards.map((s) => s.id))})${down.length > 0 ? ` · down: ${named(down)}` : ""}${worst !== null ? ` · worst ping ${worst} ms` : ""}`,
    }),
    pick(language, {
      ko: `  • 보내기: ${rest} · 속도 제한 대기 ${queue + discord}회 (대기열 ${queue}, Discord ${discord}) · 밀린 전달 ${state.pendingDeliveries}건`,
      en: `  • sending ${rest} · rate-limit waits ${queue + discord} (queue ${queue}, Discord ${discord}) · pending deliveries ${state.pendingDeliveries}`,
    }),
    ...workerLines(state.claims, language),
  ];
}

/** The workers holding claims, busiest first (at most 5 named), and the pending ones unclaimed. */
function workerLines(claims: ProcessState["claims"], language: Language): string[] {
  const holders = Object.entries(claims.holders).sort((a, b) => b[1] - a[1]);
  if (holders.length === 0 && claims.unclaimed === 0) return [];
  const shown = holders.slice(0, 5).map(([holder, n]) => `${holder} ${n}`);
  const more = holders.length - shown.length;
  const list = `${shown.join(", ")}${more > 0 ? ` (+${more})` : ""}`;
  return [
    pick(language, {
      ko: `  • 워커 ${holders.length}개가 ${holders.reduce((n, [, c]) => n + c, 0)}건 전송 중${holders.length > 0 ? `: ${list}` : ""} · 대기 ${claims.unclaimed}건`,
      en: `  • ${holders.length} workers sending ${holders.reduce((n, [, c]) => n + c, 0)} deliveries${holders.length > 0 ? `: ${list}` : ""} · waiting ${claims.unclaimed}`,
    }),
  ];
}

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
  /** The caller is one of the bot's owners (OWNER_IDS): the process's state is added. */
  owner = false,
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
    ...syncLines(ctx, language),
  ];
  const ping = ctx.ping();
  const alerts = await ctx.store.alertCounts();
  const bottom = [
    pick(language, {
      ko: `🔔 개인 알림: 팔로워 ${alerts.followers}명 (팔로우 ${alerts.follows}개) · DM 보냄 ${alerts.sent} · 거부됨 ${alerts.refused} (DM 막힘) · 대기 ${alerts.pending}`,
      en: `🔔 Personal alerts: ${plural(alerts.followers, "follower")} (${plural(alerts.follows, "follow")}) · DMs sent ${alerts.sent} · refused ${alerts.refused} (DMs closed) · pending ${alerts.pending}`,
    }),
    pick(language, {
      ko: `🛰️ 게이트웨이 지연: ${ping >= 0 ? `${ping} ms` : "측정 전"}`,
      en: `🛰️ Gateway latency: ${ping >= 0 ? `${ping} ms` : "not measured yet"}`,
    }),
    ...(owner && ctx.processState ? processLines(await ctx.processState(), language) : []),
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
