import cron from "node-cron";
import { cronPlan, dayOf, runBefore, runsAfter } from "./cron-runs.js";
import { DAY_MS, zoneOffsets } from "./zone-time.js";

const YEAR_MS = 366 * DAY_MS;

/**
 * Why a schedule cannot be used as it is. `never`: no run within a year in that zone (a date that
 * does not exist, or a time that only falls in a daylight-saving gap). `skipped` / `repeated`: a
 * run's local time does not exist on a day clocks jump forward, or happens twice on a day they
 * fall back; `at` is that local wall time (written as UTC), `from`–`to` the local hour(s) concerned.
 */
export type ScheduleProblem =
  | { kind: "invalid-cron" }
  | { kind: "invalid-zone" }
  | { kind: "never"; gap?: DaylightSavingRun }
  | ({ kind: "skipped" | "repeated" } & DaylightSavingRun);

/** A run's local wall time (written as UTC) inside the local hours a clock change skips or repeats. */
export interface DaylightSavingRun {
  at: number;
  from: number;
  to: number;
}

/** A schedule as checked: its problem, if any, and its next runs. */
export interface ScheduleCheck {
  problem: ScheduleProblem | null;
  /** The next three runs (none when it never runs). */
  next: Date[];
}

/** True for a cron expression node-cron accepts (5 fields, or 6 with seconds). */
export function isValidCron(expression: string): boolean {
  return cron.validate(expression);
}

/** True for a well-formed cron expression that names a day no month has ("0 0 30 2 *"). */
function namesImpossibleDay(expression: string): boolean {
  const { errors } = cron.validateDetailed(expression);
  return errors.length > 0 && errors.every((e) => /impossible day of month/.test(e.message));
}

/** True for an IANA time zone name this runtime knows. */
export function isValidTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat("en-US", { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

/** The first run whose wall time falls in a daylight-saving gap or overlap within a year. */
function daylightSavingProblem(
  expression: string,
  zone: string,
  now: number,
): Extract<ScheduleProblem, { kind: "skipped" | "repeated" }> | null {
  const plan = cronPlan(expression);
  // A schedule that fires every hour only loses or repeats that hour's runs: accepted.
  if (plan.hourly) return null;
  const offsets = zoneOffsets(zone, now);
  for (const change of offsets.changes) {
    if (change.at <= now || change.at > now + YEAR_MS) continue;
    const from = change.at + Math.min(change.before, change.after) * 60_000;
    const to = change.at + Math.max(change.before, change.after) * 60_000;
    for (let day = dayOf(from); day < to; day += DAY_MS) {
      if (!plan.firesOn(day)) continue;
      const at = plan.times.map((t) => day + t * 1000).find((wall) => wall >= from && wall < to);
      if (at !== undefined)
        return {
          kind: change.after > change.before ? "skipped" : "repeated",
          at,
          from,
          to,
        } as const;
    }
  }
  return null;
}

/**
 * Checks a (cron, zone) pair as an admin means it: it must fire within a year, and, unless it
 * fires every hour, no run may fall in a local time that a daylight-saving change skips or
 * repeats within that year. Never throws.
 */
export function checkSchedule(expression: string, zone: string, now = new Date()): ScheduleCheck {
  if (!isValidTimeZone(zone)) return { problem: { kind: "invalid-zone" }, next: [] };
  if (!isValidCron(expression))
    return {
      problem: { kind: namesImpossibleDay(expression) ? "never" : "invalid-cron" },
      next: [],
    };
  try {
    const next = nextRuns(expression, zone, 3, now);
    if (next.length === 0) {
      // A run that would exist but for a clock change (the day clocks skip its hour) is named.
      const gap = daylightSavingProblem(expression, zone, now.getTime());
      return { problem: gap ? { kind: "never", gap } : { kind: "never" }, next };
    }
    return { problem: daylightSavingProblem(expression, zone, now.getTime()), next };
  } catch {
    return { problem: { kind: "invalid-cron" }, next: [] };
  }
}

/** True when a problem still lets the schedule run (it only skips or repeats a day's run). */
export function stillRuns(problem: ScheduleProblem | null): boolean {
  return problem === null || problem.kind === "skipped" || problem.kind === "repeated";
}

/** The next `count` runs of a schedule in a time zone within a year; none when it cannot run. */
export function nextRuns(
  expression: string,
  timezone: string,
  count: number,
  now = new Date(),
): Date[] {
  try {
    const from = now.getTime();
    const offsets = zoneOffsets(timezone, from);
    return runsAfter(cronPlan(expression), offsets, from, from + YEAR_MS, count).map(
      (at) => new Date(at),
    );
  } catch {
    return [];
  }
}

/** The latest run at or before `now` within `lookbackDays`; null when none (or it cannot run). */
export function previousRun(
  expression: string,
  timezone: string,
  now: Date,
  lookbackDays = 8,
): Date | null {
  try {
    const at = now.getTime();
    const found = runBefore(
      cronPlan(expression),
      zoneOffsets(timezone, at),
      at,
      at - lookbackDays * DAY_MS - 1,
    );
    return found === null ? null : new Date(found);
  } catch {
    return null;
  }
}
