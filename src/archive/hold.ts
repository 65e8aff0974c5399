const DAY_MS = 24 * 60 * 60 * 1000;
/** The time zone furthest ahead (UTC+14, Line Islands) sees each date first. */
const EARLIEST_ZONE_OFFSET_MS = 14 * 60 * 60 * 1000;

/**
 * The latest digest date that can be meant now: tomorrow in the time zone furthest ahead. A
 * later date is after tomorrow in every time zone, so it is a typo or not yet due.
 */
export function latestDeliverableDate(nowMs: number): string {
  return new Date(nowMs + EARLIEST_ZONE_OFFSET_MS + DAY_MS).toISOString().slice(0, 10);
}

/** True for a digest date past `cutoff` (from `latestDeliverableDate`): it is held back. */
export function isHeld(date: string, cutoff: string): boolean {
  return date > cutoff;
}
