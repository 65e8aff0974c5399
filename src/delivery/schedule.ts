import cron from "node-cron";

/** True for a cron expression node-cron accepts (5 fields, or 6 with seconds). */
export function isValidCron(expression: string): boolean {
  return cron.validate(expression);
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

/** The next `count` run times of a schedule in a time zone. */
export function nextRuns(expression: string, timezone: string, count: number): Date[] {
  const task = cron.createTask(expression, () => undefined, { timezone });
  try {
    return task.getNextRuns(count);
  } finally {
    void task.destroy();
  }
}

/** The latest run time at or before `now` within `lookbackDays`, minute by minute; null when none. */
export function previousRun(
  expression: string,
  timezone: string,
  now: Date,
  lookbackDays = 8,
): Date | null {
  const task = cron.createTask(expression, () => undefined, { timezone });
  try {
    const start = new Date(now);
    start.setUTCSeconds(0, 0);
    const steps = lookbackDays * 24 * 60;
    for (let i = 0; i <= steps; i++) {
      const candidate = new Date(start.getTime() - i * 60_000);
      if (task.match(candidate)) return candidate;
    }
    return null;
  } finally {
    void task.destroy();
  }
}
