import { emptyMessage, FormErrorCollector } from "../errors.js";
import { checkString, type Json } from "./common.js";
import { validateComponents } from "./components.js";
import { validateComponentsV2 } from "./components-v2.js";
import { validateEmbeds } from "./embeds.js";
import { IS_COMPONENTS_V2, LIMITS } from "./limits.js";
import { validateAllowedMentions, validateNonce } from "./message-fields.js";

const hasV2Flag = (flags: unknown) =>
  Number.isInteger(flags) && ((flags as number) & IS_COMPONENTS_V2) !== 0;

const filled = (value: unknown) =>
  typeof value === "string"
    ? value !== ""
    : Array.isArray(value)
      ? value.length > 0
      : value !== undefined && value !== null;

/** Fields a Components V2 message may not use (docs: resources/message#create-message). */
const LEGACY_FIELDS = ["content", "embeds", "sticker_ids", "poll", "shared_client_theme"];

/**
 * Refuses the legacy fields of a V2 message. An empty value is taken ("" or [] or null): the
 * docs ask an edit that sets the flag to reset them so, and discord.js sends `content: null`
 * as "".
 */
function refuseLegacyFields(errors: FormErrorCollector, body: Json): void {
  for (const field of LEGACY_FIELDS) {
    if (!filled(body[field])) continue;
    errors.add(
      [field],
      "MESSAGE_CANNOT_USE_LEGACY_FIELDS_WITH_COMPONENTS_V2",
      `The '${field}' field cannot be used when using MessageFlags.IS_COMPONENTS_V2`,
    );
  }
}

/**
 * Validates a message body (create, edit, interaction reply, webhook). Throws 400/50035 naming
 * every bad field, or 400/50006 for an empty message when `requireSomething` is set. `v2` says
 * whether the message is a Components V2 one; by default the body's own `flags` decide.
 */
export function validateMessageBody(
  body: Json,
  options: { requireSomething: boolean; v2?: boolean },
): void {
  const errors = new FormErrorCollector();
  const v2 = options.v2 ?? hasV2Flag(body.flags);
  checkString(errors, ["content"], body.content, LIMITS.content);
  validateEmbeds(errors, ["embeds"], body.embeds);
  if (v2) {
    refuseLegacyFields(errors, body);
    validateComponentsV2(errors, ["components"], body.components);
  } else {
    validateComponents(errors, ["components"], body.components);
  }
  validateAllowedMentions(errors, body.allowed_mentions);
  validateNonce(errors, body.nonce);
  errors.throwIfAny();
  if (options.requireSomething && !hasSomething(body)) throw emptyMessage();
}

/** What a message must keep at least one of (docs: resources/message#create-message). */
function hasSomething(message: Json): boolean {
  const content = typeof message.content === "string" && message.content.trim() !== "";
  return (
    content ||
    ["embeds", "components", "sticker_ids", "attachments", "poll"].some((f) => filled(message[f]))
  );
}

/**
 * Validates an edit of `existing` (a stored message's data) by `body`: PATCH of a channel message
 * or a webhook edit of an interaction message (docs: resources/message#edit-message).
 * - components are judged by the flags the message will have: a V2 message stays V2;
 * - IS_COMPONENTS_V2 can be set but never removed;
 * - setting it on a message with content or embeds needs them cleared in the same edit;
 * - an edit that would leave nothing (no content, embeds, components, attachments) is 50006.
 */
export function validateMessageEdit(existing: Json, body: Json): void {
  const wasV2 = hasV2Flag(existing.flags);
  const flagsGiven = body.flags !== undefined;
  if (wasV2 && flagsGiven && !hasV2Flag(body.flags)) {
    const errors = new FormErrorCollector();
    errors.add(
      ["flags"],
      "MESSAGE_CANNOT_REMOVE_COMPONENTS_V2_FLAG",
      "The IS_COMPONENTS_V2 flag cannot be removed from a message",
    );
    errors.throwIfAny();
  }
  const v2 = flagsGiven ? hasV2Flag(body.flags) : wasV2;
  // Fields the edit leaves alone keep their stored value.
  const after: Json = { ...existing };
  for (const [key, value] of Object.entries(body)) if (value !== undefined) after[key] = value;
  validateMessageBody(body, { requireSomething: false, v2 });
  if (v2 && !wasV2) {
    const errors = new FormErrorCollector();
    refuseLegacyFields(errors, after);
    errors.throwIfAny();
  }
  if (!hasSomething(after)) throw emptyMessage();
}
