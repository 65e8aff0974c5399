import { emptyMessage, FormErrorCollector } from "../errors.js";
import { checkArray, checkString, isObject, type Json } from "./common.js";
import { validateComponents } from "./components.js";
import { validateEmbeds } from "./embeds.js";
import { LIMITS } from "./limits.js";

const MENTION_KINDS = new Set(["roles", "users", "everyone"]);

/** Validates `allowed_mentions` as Discord does (known kinds; ids not both parsed and listed). */
function validateAllowedMentions(errors: FormErrorCollector, value: unknown): void {
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
    const ids = checkArray(
      errors,
      ["allowed_mentions", kind],
      value[kind],
      LIMITS.allowedMentionIds,
    );
    if (ids.length > 0 && parse.includes(kind)) {
      errors.add(
        ["allowed_mentions"],
        "MESSAGE_ALLOWED_MENTIONS_PARSE_EXCLUSIVE",
        `parse:["${kind}"] and ${kind}: [ids...] are mutually exclusive.`,
      );
    }
  }
}

/**
 * Validates a message body (create, edit, interaction reply, webhook). Throws 400/50035 naming
 * every bad field, or 400/50006 for an empty message when `requireSomething` is set.
 */
export function validateMessageBody(body: Json, options: { requireSomething: boolean }): void {
  const errors = new FormErrorCollector();
  checkString(errors, ["content"], body.content, LIMITS.content);
  validateEmbeds(errors, ["embeds"], body.embeds);
  validateComponents(errors, ["components"], body.components);
  validateAllowedMentions(errors, body.allowed_mentions);
  if (body.nonce !== undefined && body.nonce !== null) {
    if (typeof body.nonce === "number") {
      if (!Number.isSafeInteger(body.nonce))
        errors.add(["nonce"], "NUMBER_TYPE_COERCE", "Value is not a valid integer.");
    } else {
      checkString(errors, ["nonce"], body.nonce, LIMITS.nonce);
    }
  }
  errors.throwIfAny();
  if (options.requireSomething) {
    const hasContent = typeof body.content === "string" && body.content.trim() !== "";
    const hasEmbeds = Array.isArray(body.embeds) && body.embeds.length > 0;
    const hasComponents = Array.isArray(body.components) && body.components.length > 0;
    const hasSticker = Array.isArray(body.sticker_ids) && body.sticker_ids.length > 0;
    if (!hasContent && !hasEmbeds && !hasComponents && !hasSticker) throw emptyMessage();
  }
}
