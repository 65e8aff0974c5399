/** The first date of the catch-up window: `days` days before the newest digest's date. */
export function windowStart(newestDate: string, days: number): string {
  const start = new Date(`${newestDate}T00:00:00Z`);
  start.setUTCDate(start.getUTCDate() - days);
  return start.toISOString().slice(0, 10);
}

/**
 * The digests a channel is due, oldest first. A channel that never had one starts from the newest;
 * after that it gets every digest newer than the last it had, back to `days` days before the
 * newest (the window is measured on digest dates, not the clock, so a stale archive still works).
 */
export function dueDates(
  dates: readonly string[],
  lastReceived: string | null,
  days: number,
): string[] {
  const sorted = [...new Set(dates)].sort();
  const newest = sorted.at(-1);
  if (newest === undefined) return [];
  if (lastReceived === null) return [newest];
  const start = windowStart(newest, days);
  return sorted.filter((date) => date > lastReceived && date >= start);
}
