/**
 * ISO 8601 instants as an embed `timestamp` (docs: resources/message#embed-object). `Date.parse`
 * is too lenient for this: it takes "Feb 20 2024" and rolls "2024-02-30" over to March 1st.
 * Deliberately strict: a date alone (no time) is refused too, as the docs ask for a timestamp.
 */
const ISO_INSTANT =
  /^(\d{4})-(\d{2})-(\d{2})[Tt ](\d{2}):(\d{2})(?::(\d{2})(?:\.\d{1,9})?)?(?:[Zz]|[+-](\d{2}):?(\d{2}))?$/;

/** True when `value` is a real calendar instant written in ISO 8601 (offset optional). */
export function isIsoInstant(value: unknown): boolean {
  if (typeof value !== "string") return false;
  const match = ISO_INSTANT.exec(value);
  if (!match) return false;
  const [year, month, day, hour, minute, second, offsetHour, offsetMinute] = match
    .slice(1, 9)
    .map((part) => (part === undefined ? 0 : Number(part))) as [
    number,
    number,
    number,
    number,
    number,
    number,
    number,
    number,
  ];
  const date = new Date(Date.UTC(year, month - 1, day));
  // Date.UTC accepts day 30 of February and moves on to March; a real date keeps its fields.
  if (date.getUTCMonth() !== month - 1 || date.getUTCDate() !== day) return false;
  return hour < 24 && minute < 60 && second < 60 && offsetHour < 24 && offsetMinute < 60;
}
