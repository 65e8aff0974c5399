/**
 * A time zone's offsets over a window, found once with Intl, so that turning local wall-clock
 * times into instants is arithmetic. A "wall" time is the local date and time written as if it
 * were UTC (`Date.UTC(year, month - 1, day, hour, minute)`).
 */

const MINUTE = 60_000;
export const DAY_MS = 86_400_000;

/** A change of the zone's offset from UTC (daylight saving time starting or ending). */
export interface OffsetChange {
  /** The instant of the change. */
  at: number;
  /** Offsets in minutes east of UTC, before and after. */
  before: number;
  after: number;
}

const offsetFormats = new Map<string, Intl.DateTimeFormat>();

/** The zone's offset from UTC in minutes at an instant (Intl's `longOffset`, e.g. "GMT+01:00"). */
export function offsetMinutes(zone: string, at: number): number {
  let format = offsetFormats.get(zone);
  if (!format) {
    format = new Intl.DateTimeFormat("en-US", { timeZone: zone, timeZoneName: "longOffset" });
    offsetFormats.set(zone, format);
  }
  const name = format.formatToParts(at).find((part) => part.type === "timeZoneName")?.value ?? "";
  const match = /GMT([+-])(\d{1,2}):?(\d{2})?/.exec(name);
  if (!match) return 0;
  return (match[1] === "-" ? -1 : 1) * (Number(match[2]) * 60 + Number(match[3] ?? 0));
}

/** The first minute in (lo, hi] whose offset differs from lo's: `hi` is known to differ. */
function changeBetween(zone: string, lo: number, hi: number, before: number): number {
  let low = lo;
  let high = hi;
  while (high - low > MINUTE) {
    const mid = low + Math.floor((high - low) / 2 / MINUTE) * MINUTE;
    if (offsetMinutes(zone, mid) === before) low = mid;
    else high = mid;
  }
  return high;
}

/** A zone's offsets between two instants (sampled every 12 hours, changes found to the minute). */
export class ZoneOffsets {
  readonly changes: OffsetChange[] = [];
  private readonly first: number;

  constructor(
    readonly zone: string,
    readonly from: number,
    readonly to: number,
  ) {
    const start = Math.floor(from / MINUTE) * MINUTE;
    this.first = offsetMinutes(zone, start);
    let previous = start;
    let offset = this.first;
    for (let at = start; at < to; ) {
      at = Math.min(at + DAY_MS / 2, to);
      const next = offsetMinutes(zone, at);
      if (next !== offset) {
        this.changes.push({
          at: changeBetween(zone, previous, at, offset),
          before: offset,
          after: next,
        });
        offset = next;
      }
      previous = at;
    }
  }

  /** The offset in minutes at an instant (the window's edge offsets beyond it). */
  offsetAt(at: number): number {
    let offset = this.first;
    for (const change of this.changes) {
      if (at < change.at) break;
      offset = change.after;
    }
    return offset;
  }

  /** The local wall time of an instant. */
  wallOf(at: number): number {
    return at + this.offsetAt(at) * MINUTE;
  }

  /** The instants a wall time names, earliest first: none in a gap, two in an overlap. */
  instantsOf(wall: number): number[] {
    const offsets = new Set([this.first, ...this.changes.map((change) => change.after)]);
    const found: number[] = [];
    for (const offset of offsets) {
      const at = wall - offset * MINUTE;
      if (this.offsetAt(at) === offset && !found.includes(at)) found.push(at);
    }
    return found.sort((a, b) => a - b);
  }
}

const cache = new Map<string, ZoneOffsets>();
const CACHE_SIZE = 200;

/**
 * The zone's offsets from 10 days before `at`'s UTC day to 372 days after it: enough for a
 * year of runs and a week of look-back. Shared by every server in that zone on that day.
 */
export function zoneOffsets(zone: string, at: number): ZoneOffsets {
  const day = Math.floor(at / DAY_MS);
  const key = `${zone}|${day}`;
  let offsets = cache.get(key);
  if (!offsets) {
    offsets = new ZoneOffsets(zone, (day - 10) * DAY_MS, (day + 372) * DAY_MS);
    if (cache.size >= CACHE_SIZE) cache.delete(cache.keys().next().value as string);
    cache.set(key, offsets);
  }
  return offsets;
}
