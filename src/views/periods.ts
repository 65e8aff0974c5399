import type { Catalog } from "../archive/catalog.js";
import { UserError } from "../commands/command.js";
import { both, tc } from "../commands/text.js";
import type { Digest } from "../digest/model.js";
import type { Language } from "../i18n.js";

export type Period = "today" | "week" | "month" | "all" | "date";
export const PERIODS: readonly Period[] = ["today", "week", "month", "all", "date"];

function shift(date: string, days: number): string {
  return new Date(Date.parse(`${date}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);
}

/** The digest of a date given as an option (the newest when null); a `UserError` explains a bad one. */
export function digestForDate(catalog: Catalog, date: string | null): Digest {
  if (date !== null && !/^\d{4}-\d{2}-\d{2}$/.test(date))
    throw new UserError(both("badDate", date));
  const digest = date === null ? catalog.newest() : catalog.digest(date);
  if (!digest) throw new UserError(date ? both("noDigestFor", date) : both("noDigest"));
  return digest;
}

/** The date range of a period, ending at the newest digest. Throws a `UserError` for a bad date. */
export function resolvePeriod(
  catalog: Catalog,
  period: Period,
  date: string | null,
  language: Language,
): { from: string; to: string; label: string } {
  const newest = catalog.dates()[0];
  if (!newest) throw new UserError(both("noDigest"));
  if (period === "date" || date !== null) {
    const day = date ?? "";
    if (!/^\d{4}-\d{2}-\d{2}$/.test(day) || Number.isNaN(Date.parse(`${day}T00:00:00Z`)))
      throw new UserError(both("badDate", day));
    if (!catalog.digest(day)) throw new UserError(both("noDigestFor", day));
    return { from: day, to: day, label: day };
  }
  if (period === "today")
    return { from: newest, to: newest, label: tc(language, "periodToday")(newest) };
  if (period === "all")
    return { from: "0000-01-01", to: "9999-12-31", label: tc(language, "periodAll") };
  const days = period === "week" ? 7 : 30;
  const from = shift(newest, -(days - 1));
  return { from, to: newest, label: tc(language, "periodDays")(days, from, newest) };
}

/** True for a real day written YYYY-MM-DD (not 2024-13-45 nor 2023-02-29). */
export function isCalendarDate(text: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(text)) return false;
  const day = new Date(`${text}T00:00:00Z`);
  return !Number.isNaN(day.getTime()) && day.toISOString().slice(0, 10) === text;
}
