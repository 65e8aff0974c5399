import type { FormErrorCollector } from "../errors.js";
import { checkArray, checkSnowflake, checkString, isObject } from "./common.js";
import { LIMITS } from "./limits.js";

const MENTION_KINDS = new Set(["roles", "users", "everyone"]);

/**
 * Validates `allowed_mentions` as Discord does (docs: resources/message#allowed-mentions-object):
 * known kinds, at most 100 user and 100 role ids, each a snowflake, and no kind both parsed and
 * listed.
 */
export function validateAllowedMentions(errors: FormErrorCollector, value: unknown): void {
  if (value === undefined || value === null) return;
  if (!isObject(value)) {
    errors.add(
      ["allowed_mentions"],
      "MODEL_TYPE_CONVERT",
      "Only dictionaries may be used in a ModelType",
    );
    return;
  }
  const parse = checkArray(errors, ["allowed_mentions", "parse"], value.parse, 3);
  parse.forEach((kind, index) => {
    if (typeof kind !== "string" || !MENTION_KINDS.has(kind)) {
      errors.add(
        ["allowed_mentions", "parse", index],
        "BASE_TYPE_CHOICES",
        "Value must be one of ('roles', 'users', 'everyone').",
      );
    }
  });
  for (const kind of ["users", "roles"] as const) {
    const path = ["allowed_mentions", kind];
    const ids = checkArray(errors, path, value[kind], LIMITS.allowedMentionIds);
    ids.forEach((id, index) => {
      checkSnowflake(errors, [...path, index], id);
    });
    if (ids.length > 0 && parse.includes(kind)) {
      errors.add(
        ["allowed_mentions"],
        "MESSAGE_ALLOWED_MENTIONS_PARSE_EXCLUSIVE",
        `parse:["${kind}"] and ${kind}: [ids...] are mutually exclusive.`,
      );
    }
  }
}

const INT64_MIN = -(2 ** 63);
const INT64_LIMIT = 2 ** 63;

/**
 * `nonce` (docs: resources/message#create-message): a string of at most 25 characters or a
 * signed 64-bit integer. JSON numbers arrive here as doubles, so integers beyond 2^53 have
 * already lost precision; the range check is on the parsed value, which refuses everything
 * from 2^63 up (a literal within 512 below 2^63 rounds up to 2^63 and is refused too).
 */
export function validateNonce(errors: FormErrorCollector, nonce: unknown): void {
  if (nonce === undefined || nonce === null) return;
  if (typeof nonce === "number") {
    if (!Number.isInteger(nonce) || nonce < INT64_MIN || nonce >= INT64_LIMIT)
      errors.add(["nonce"], "NUMBER_TYPE_COERCE", "Value is not a valid int64.");
  } else {
    checkString(errors, ["nonce"], nonce, LIMITS.nonce);
  }
}
