import type { FormErrorCollector } from "../errors.js";
import { codePoints } from "./limits.js";

export type Path = readonly (string | number)[];
export type Json = Record<string, unknown>;

export const isObject = (value: unknown): value is Json =>
  typeof value === "object" && value !== null && !Array.isArray(value);

/**
 * Checks an optional string's type and length (in code points, as Discord counts). With `trim`,
 * leading and trailing whitespace is not counted, as Discord trims embed texts before measuring.
 */
export function checkString(
  errors: FormErrorCollector,
  path: Path,
  value: unknown,
  max: number,
  options: { min?: number; required?: boolean; trim?: boolean } = {},
): void {
  if (value === undefined || value === null) {
    if (options.required) errors.add(path, "BASE_TYPE_REQUIRED", "This field is required");
    return;
  }
  if (typeof value !== "string") {
    errors.add(path, "BASE_TYPE_STRING", "Must be a string.");
    return;
  }
  const length = codePoints(options.trim ? value.trim() : value);
  const min = options.min ?? 0;
  if (length > max || length < min) {
    errors.add(
      path,
      "BASE_TYPE_BAD_LENGTH",
      min > 0
        ? `Must be between ${min} and ${max} in length.`
        : `Must be ${max} or fewer in length.`,
    );
  }
}

/** Checks that a URL field is a well-formed URL of an allowed scheme and at most `max` long. */
export function checkUrl(
  errors: FormErrorCollector,
  path: Path,
  value: unknown,
  schemes = ["http", "https"],
  max = 2048,
): void {
  if (value === undefined || value === null) return;
  if (typeof value !== "string") {
    errors.add(path, "BASE_TYPE_STRING", "Must be a string.");
    return;
  }
  if (value.length > max) {
    errors.add(path, "BASE_TYPE_MAX_LENGTH", `Must be ${max} or fewer in length.`);
    return;
  }
  let scheme: string;
  try {
    scheme = new URL(value).protocol.replace(/:$/, "");
  } catch {
    errors.add(path, "URL_TYPE_INVALID_URL", "Not a well formed URL.");
    return;
  }
  if (!schemes.includes(scheme)) {
    errors.add(
      path,
      "URL_TYPE_INVALID_SCHEME",
      `Scheme "${scheme}" is not supported. Scheme must be one of (${schemes.map((s) => `'${s}'`).join(", ")}).`,
    );
  }
}

/** Checks an array's type and maximum length; returns it (or an empty array). */
export function checkArray(
  errors: FormErrorCollector,
  path: Path,
  value: unknown,
  max: number,
): unknown[] {
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value)) {
    errors.add(path, "BASE_TYPE_ARRAY", "Must be an array.");
    return [];
  }
  if (value.length > max)
    errors.add(path, "BASE_TYPE_MAX_LENGTH", `Must be ${max} or fewer in length.`);
  return value;
}

/** Snowflakes as Discord accepts them in request bodies: strings of 17 to 20 digits. */
export const isSnowflake = (value: unknown): boolean =>
  typeof value === "string" && /^\d{17,20}$/.test(value);

/** Reports a value that is not a snowflake, with the message Discord gives. */
export function checkSnowflake(errors: FormErrorCollector, path: Path, value: unknown): void {
  if (!isSnowflake(value))
    errors.add(path, "NUMBER_TYPE_COERCE", `Value "${String(value)}" is not snowflake.`);
}
