import cron, { type ScheduledTask } from "node-cron";
import { DAY_MS, type ZoneOffsets } from "./zone-time.js";

/**
 * A cron expression ready to be walked day by day: which calendar days it fires on (node-cron's
 * own matcher, asked in UTC so that only the date counts) and the times of day it fires at.
 */
export interface CronPlan {
  expression: string;
  /** Seconds after local midnight, ascending. */
  times: number[];
  /** Every hour of the day has a run. */
  hourly: boolean;
  /** True when the calendar day (a wall time at its midnight) is one the expression fires on. */
  firesOn(dayWall: number): boolean;
}

const plans = new Map<string, { plan: CronPlan; task: ScheduledTask }>();
const PLAN_CACHE_SIZE = 500;

/** The plan of an expression node-cron accepts (throws for one it refuses). */
export function cronPlan(expression: string): CronPlan {
  const cached = plans.get(expression);
  if (cached) return cached.plan;
  const fields = cron.parse(expression);
  const times: number[] = [];
  for (const hour of fields.hour)
    for (const minute of fields.minute)
      for (const second of fields.second) times.push(hour * 3600 + minute * 60 + second);
  times.sort((a, b) => a - b);
  // The day fields are matched by node-cron's matcher in UTC at a time the time fields accept.
  const task = cron.createTask(expression, () => undefined, { timezone: "UTC" });
  const firstTime = (times[0] ?? 0) * 1000;
  const plan: CronPlan = {
    expression,
    times,
    hourly: new Set(fields.hour).size === 24,
    firesOn: (dayWall) => task.match(new Date(dayWall + firstTime)),
  };
  if (plans.size >= PLAN_CACHE_SIZE) {
    const [oldest, entry] = plans.entries().next().value as [string, { task: ScheduledTask }];
    void entry.task.destroy();
    plans.delete(oldest);
  }
  plans.set(expression, { plan, task });
  return plan;
}

/** Local midnight (as a wall time) of the day holding a wall time. */
export const dayOf = (wall: number) => Math.floor(wall / DAY_MS) * DAY_MS;

/** The index of the first time of day at or after `seconds`. */
function firstAtOrAfter(times: number[], seconds: number): number {
  let low = 0;
  let high = times.length;
  while (low < high) {
    const mid = (low + high) >> 1;
    if ((times[mid] as number) < seconds) low = mid + 1;
    else high = mid;
  }
  return low;
}

/** Slack for the shift a daylight-saving change makes to local time (at most 2 hours today). */
const SHIFT_S = 3 * 3600;

/**
 * Run instants after `from` up to `until`, at most `count`. A wall time in a gap does not happen;
 * one in an overlap happens once, at its first occurrence.
 */
export function runsAfter(
  plan: CronPlan,
  zone: ZoneOffsets,
  from: number,
  until: number,
  count: number,
): number[] {
  const runs: number[] = [];
  const fromWall = zone.wallOf(from);
  const lastDay = dayOf(zone.wallOf(until)) + DAY_MS;
  for (let day = dayOf(fromWall) - DAY_MS; day <= lastDay && runs.length < count; day += DAY_MS) {
    if (!plan.firesOn(day)) continue;
    const skipBelow = Math.floor((fromWall - day) / 1000) - SHIFT_S;
    for (let i = firstAtOrAfter(plan.times, skipBelow); i < plan.times.length; i++) {
      const [at] = zone.instantsOf(day + (plan.times[i] as number) * 1000);
      if (at === undefined || at <= from) continue;
      if (at > until || runs.length >= count) return runs;
      runs.push(at);
    }
  }
  return runs;
}

/** The latest run instant at or before `now` and after `since`, or null. */
export function runBefore(
  plan: CronPlan,
  zone: ZoneOffsets,
  now: number,
  since: number,
): number | null {
  const nowWall = zone.wallOf(now);
  const firstDay = dayOf(zone.wallOf(since)) - DAY_MS;
  for (let day = dayOf(nowWall) + DAY_MS; day >= firstDay; day -= DAY_MS) {
    if (!plan.firesOn(day)) continue;
    const skipAbove = Math.floor((nowWall - day) / 1000) + SHIFT_S;
    for (let i = firstAtOrAfter(plan.times, skipAbove + 1) - 1; i >= 0; i--) {
      const [at] = zone.instantsOf(day + (plan.times[i] as number) * 1000);
      if (at === undefined || at > now) continue;
      return at > since ? at : null;
    }
  }
  return null;
}
