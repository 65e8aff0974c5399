import type { Delivery } from "../delivery/model.js";
import { backoffDelay, type RetryBackoff } from "../delivery/retry.js";
import { nextRuns } from "../delivery/schedule.js";
import { explain, type FilterReason, type Verdict } from "../delivery/why.js";
import type { Digest, Paper } from "../digest/model.js";
import type { Language } from "../i18n.js";
import { fitContent } from "../views/fit-lines.js";
import { isCalendarDate } from "../views/periods.js";
import { type CommandContext, UserError } from "./command.js";
import { pick } from "./pick.js";
import { formatInZone } from "./schedule-text.js";
import { both } from "./text.js";

/** What `/status digest:` was asked about. */
export interface WhyQuestion {
  date: string;
  /** One channel, or every subscribed channel of the server. */
  channelId: string | null;
  /** A paper's title (or part of it) or arXiv id; null for the whole digest. */
  paper: string | null;
}

/** The paper of `digest` a reader named: its arXiv id, or a title that contains the words. */
export function findPaper(digest: Digest, query: string): Paper | null {
  const wanted = query.trim().toLowerCase();
  return (
    digest.papers.find((p) => p.id !== null && p.id.toLowerCase() === wanted) ??
    digest.papers.find((p) => p.title.toLowerCase().includes(wanted)) ??
    null
  );
}

function filterText(reason: FilterReason, language: Language): string {
  switch (reason.filter) {
    case "minVotes":
      return pick(language, {
        ko: `최소 추천 수 ${reason.minVotes} 필터에 걸렸습니다${reason.votes !== null ? ` (이 논문은 ${reason.votes})` : ""}`,
        en: `left out by the minimum of ${reason.minVotes} votes${reason.votes !== null ? ` (this paper has ${reason.votes})` : ""}`,
      });
    case "includeKeywords":
      return pick(language, {
        ko: `키워드 필터에 걸렸습니다: ${reason.keywords.join(", ")} 중 어느 것도 없음`,
        en: `left out by the keywords: none of ${reason.keywords.join(", ")} appears`,
      });
    case "excludeKeywords":
      return pick(language, {
        ko: `제외 키워드 "${reason.keyword}"에 걸렸습니다`,
        en: `left out by the excluded keyword "${reason.keyword}"`,
      });
    case "topN":
      return pick(language, {
        ko: `상위 ${reason.topN}편 필터에 걸렸습니다${reason.rank > 0 ? ` (이 논문은 ${reason.rank}위)` : ""}`,
        en: `left out by the top ${reason.topN} filter${reason.rank > 0 ? ` (this paper ranks #${reason.rank})` : ""}`,
      });
  }
}

function verdictLine(
  verdict: Verdict,
  channelId: string,
  guildId: string,
  q: WhyQuestion,
  next: string | null,
  language: Language,
  retry: RetryBackoff,
): string {
  const channel = `<#${channelId}>`;
  switch (verdict.stage) {
    case "delivered": {
      const link = verdict.messageId
        ? ` — https://discord.com/channels/${guildId}/${verdict.whereId}/${verdict.messageId}`
        : "";
      return pick(language, {
        ko: `✅ ${channel}: 전달됨${link}`,
        en: `✅ ${channel}: delivered${link}`,
      });
    }
    case "notSubscribed":
      return pick(language, {
        ko: `➖ ${channel}: 구독하지 않은 채널입니다 — \`/config channel add\`로 구독하세요`,
        en: `➖ ${channel}: not subscribed — \`/config channel add\` subscribes it`,
      });
    case "subscribedAfter":
      return pick(language, {
        ko: `➖ ${channel}: 이 다이제스트 뒤(${verdict.since.slice(0, 10)})에 구독되어 정기 전달 대상이 아닙니다 — \`/repost digest:${q.date}\`로 지금 보낼 수 있습니다`,
        en: `➖ ${channel}: subscribed on ${verdict.since.slice(0, 10)}, after this digest, so no scheduled run sends it — \`/repost digest:${q.date}\` sends it now`,
      });
    case "paused":
      return pick(language, {
        ko: `⏸ ${channel}: 멈춤 — ${verdict.reason}. 권한을 고친 뒤 \`/config channel add\`로 재개하세요`,
        en: `⏸ ${channel}: paused — ${verdict.reason}. Fix it, then \`/config channel add\` resumes it`,
      });
    case "filtered":
      return `🔍 ${channel}: ${filterText(verdict.reason, language)}`;
    case "notDue":
      return pick(language, {
        ko: `⏳ ${channel}: 아직 보낼 때가 아닙니다${next ? ` — 다음 정기 전달: ${next}` : ""}`,
        en: `⏳ ${channel}: not due yet${next ? ` — next run: ${next}` : ""}`,
      });
    case "pending": {
      // Waits double from DELIVERY_RETRY_SECONDS up to DELIVERY_RETRY_MAX_SECONDS.
      const wait = Math.ceil(backoffDelay(retry, Math.max(0, verdict.attempts - 1)) / 1000);
      const within = wait >= 120 ? `${Math.ceil(wait / 60)} min` : `${wait} s`;
      return pick(language, {
        ko: `🔁 ${channel}: 보내는 중 (시도 ${verdict.attempts}회)${verdict.error ? ` — 마지막 오류: ${verdict.error}` : ""}. ${within} 안에 다시 시도합니다`,
        en: `🔁 ${channel}: pending after ${verdict.attempts} attempt${verdict.attempts === 1 ? "" : "s"}${verdict.error ? ` — last error: ${verdict.error}` : ""}. Next try within ${within}`,
      });
    }
    case "failed":
      return pick(language, {
        ko: `❌ ${channel}: 실패${verdict.error ? ` — ${verdict.error}` : ""}. \`/repost\`로 다시 보낼 수 있습니다`,
        en: `❌ ${channel}: failed${verdict.error ? ` — ${verdict.error}` : ""}. \`/repost\` tries again`,
      });
    case "notInDigest":
      return pick(language, {
        ko: `❓ ${channel}: 보낸 메시지에 이 논문이 없습니다`,
        en: `❓ ${channel}: the paper is not in the messages sent`,
      });
  }
}

/** Why a digest's file is not in the archive: the folder's read errors that name its date. */
function notInArchive(ctx: CommandContext, date: string, language: Language): string {
  const compact = date.replaceAll("-", "/");
  const errors = (ctx.archiveErrors?.() ?? []).filter(
    (e) => e.file.includes(date) || e.file.includes(compact),
  );
  const head = pick(language, {
    ko: `📭 ${date} 다이제스트가 아카이브에 없습니다.`,
    en: `📭 The ${date} digest is not in the archive.`,
  });
  if (errors.length === 0)
    return `${head} ${pick(language, {
      ko: "그 날짜의 파일이 아직 도착하지 않았습니다.",
      en: "No file for that date has arrived yet.",
    })}`;
  return [
    head,
    pick(language, { ko: "읽지 못한 파일:", en: "Files that could not be read:" }),
    ...errors.slice(0, 5).map((e) => `• \`${e.file}\`: ${e.message}`),
  ].join("\n");
}

/**
 * `/status digest:<date> [channel] [paper]`: per channel, whether the digest (or the paper) was
 * delivered, with a link to the message, and if not the stage that stopped it.
 */
export async function whyText(
  ctx: CommandContext,
  guildId: string,
  q: WhyQuestion,
  language: Language,
): Promise<string> {
  if (!isCalendarDate(q.date)) throw new UserError(both("badDate", q.date));
  const digest = ctx.catalog().digest(q.date);
  if (!digest) return notInArchive(ctx, q.date, language);
  const paper = q.paper ? findPaper(digest, q.paper) : null;
  if (q.paper && !paper) {
    const warnings = digest.warnings
      .slice(0, 5)
      .map((w) => `• \`${w.file}:${w.line}\`: ${w.message}`);
    return [
      pick(language, {
        ko: `❓ ${q.date} 다이제스트에 "${q.paper}" 논문이 없습니다.`,
        en: `❓ The ${q.date} digest has no paper "${q.paper}".`,
      }),
      ...(warnings.length > 0
        ? [
            pick(language, {
              ko: "이 파일에서 건너뛴 항목 (파일:줄):",
              en: "Entries of this file that were skipped (file:line):",
            }),
            ...warnings,
          ]
        : []),
    ].join("\n");
  }
  const subscribed = await ctx.store.subscriptions(guildId);
  const channelIds = q.channelId ? [q.channelId] : subscribed.map((s) => s.channelId);
  if (channelIds.length === 0)
    return pick(language, {
      ko: "구독한 채널이 없습니다 — `/config channel add`로 구독하세요.",
      en: "No channel is subscribed — `/config channel add` subscribes one.",
    });
  const settings = await ctx.service.settings(guildId);
  const [nextRun] = ctx.scheduler?.problem(guildId)
    ? []
    : nextRuns(settings.schedule, settings.timezone, 1);
  const next = nextRun ? formatInZone(nextRun, settings.timezone, language) : null;
  const lines = [
    pick(language, {
      ko: `🔎 ${q.date} 다이제스트${paper ? ` · "${paper.title}"` : ""}`,
      en: `🔎 The ${q.date} digest${paper ? ` · "${paper.title}"` : ""}`,
    }),
  ];
  for (const channelId of channelIds.slice(0, 25)) {
    // Only this server's subscriptions count: a channel of another server is not subscribed here.
    const subscription = subscribed.find((s) => s.channelId === channelId) ?? null;
    const ofDate = (await ctx.store.channelDeliveries(channelId, q.date))
      .filter((d) => d.digestDate === q.date && (d.guildId === guildId || d.guildId === null))
      .sort((a, b) => b.id - a.id);
    const deliveries: Delivery[] = ofDate.filter((d) => d.kind !== "update");
    // A paper may have gone out in any of them (an update carries papers added later).
    const sources = paper ? ofDate.filter((d) => d.status === "done") : deliveries.slice(0, 1);
    const steps = (await Promise.all(sources.map((d) => ctx.store.steps(d.id)))).flat();
    const verdict = explain({ digest, paper, subscription, deliveries, steps });
    lines.push(
      verdictLine(verdict, channelId, guildId, q, next, language, ctx.config.deliveryRetry),
    );
  }
  return fitContent(lines.join("\n"));
}
