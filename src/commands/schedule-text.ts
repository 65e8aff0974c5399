import type { DaylightSavingRun, ScheduleProblem } from "../delivery/schedule.js";
import type { Language } from "../i18n.js";

const locale = (language: Language) => (language === "ko" ? "ko-KR" : "en-GB");

/** A run time as people in that zone read it. */
export function formatInZone(date: Date, timezone: string, language: Language): string {
  return new Intl.DateTimeFormat(locale(language), {
    timeZone: timezone,
    dateStyle: "full",
    timeStyle: "short",
  }).format(date);
}

/** A local wall time's day ("Sunday 28 March 2027"). */
const wallDay = (wall: number, language: Language) =>
  new Intl.DateTimeFormat(locale(language), { timeZone: "UTC", dateStyle: "full" }).format(wall);

/** A local wall time's clock time ("02:30", or "02:30:15" with seconds). */
function wallTime(wall: number): string {
  const iso = new Date(wall).toISOString();
  return iso.slice(17, 19) === "00" ? iso.slice(11, 16) : iso.slice(11, 19);
}

/** The next runs as bullet lines, or a line saying there are none. */
export function runLines(runs: Date[], timezone: string, language: Language): string[] {
  if (runs.length === 0)
    return [language === "ko" ? "• 1년 안에 실행되지 않음" : "• no run within a year"];
  return runs.map((run) => `• ${formatInZone(run, timezone, language)}`);
}

function daylightSaving(kind: "skipped" | "repeated", run: DaylightSavingRun, language: Language) {
  const day = wallDay(run.at, language);
  const [time, from, to] = [wallTime(run.at), wallTime(run.from), wallTime(run.to)];
  if (kind === "skipped")
    return language === "ko"
      ? `${day}에는 시계가 ${from}에서 ${to}로 건너뛰어 ${time} 시각이 없으므로 그날 실행이 빠집니다.`
      : `on ${day} clocks jump from ${from} to ${to}, so ${time} does not exist and that day's run is skipped.`;
  return language === "ko"
    ? `${day}에는 시계가 ${to}에서 ${from}로 돌아가 ${time} 시각이 두 번 옵니다.`
    : `on ${day} clocks go back from ${to} to ${from}, so ${time} happens twice.`;
}

function fix(run: DaylightSavingRun | undefined, language: Language): string {
  if (!run)
    return language === "ko"
      ? '해마다 오는 날짜를 골라 주세요 (예: "0 9 * * *" = 매일 09:00).'
      : 'Pick a date that comes every year (e.g. "0 9 * * *" for 09:00 daily).';
  const [from, to] = [wallTime(run.from), wallTime(run.to)];
  return language === "ko"
    ? `${from}–${to} 밖의 시각을 고르거나, 일광 절약 시간이 없는 시간대(예: UTC, Asia/Seoul)를 쓰세요.`
    : `Pick a time outside ${from}–${to}, or a time zone without daylight saving time such as UTC.`;
}

/** Why a schedule is refused or disabled, and what to do instead, in one paragraph. */
export function explainProblem(
  problem: ScheduleProblem,
  cron: string,
  timezone: string,
  language: Language,
): string {
  const ko = language === "ko";
  switch (problem.kind) {
    case "invalid-cron":
      return ko
        ? `"${cron}"는 cron 형식이 아닙니다. 예: "0 9 * * *" (매일 09:00), "30 8 * * 1-5" (평일 08:30).`
        : `"${cron}" is not a cron expression. Examples: "0 9 * * *" (09:00 daily), "30 8 * * 1-5" (08:30 on weekdays).`;
    case "invalid-zone":
      return ko
        ? `"${timezone}"는 시간대 이름이 아닙니다. 예: Asia/Seoul, Europe/Berlin, UTC.`
        : `"${timezone}" is not a time zone. Examples: Asia/Seoul, Europe/Berlin, UTC.`;
    case "never": {
      const why = problem.gap ? ` ${daylightSaving("skipped", problem.gap, language)}` : "";
      return ko
        ? `\`${cron}\`는 ${timezone} 시간대에서 앞으로 1년 동안 한 번도 실행되지 않습니다.${why} ${fix(problem.gap, language)}`
        : `\`${cron}\` never runs in ${timezone} within the next year:${why || " no such date comes before then."} ${fix(problem.gap, language)}`;
    }
    default: {
      const what = daylightSaving(problem.kind, problem, language);
      return ko
        ? `\`${cron}\` (${timezone}): ${what} ${fix(problem, language)}`
        : `\`${cron}\` (${timezone}): ${what} ${fix(problem, language)}`;
    }
  }
}
