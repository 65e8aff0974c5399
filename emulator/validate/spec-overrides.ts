import {
  ApplicationCommandCreateRequestSchema,
  ApplicationCommandUpdateRequestSchema,
  IncomingWebhookInteractionRequestSchema,
  IncomingWebhookUpdateForInteractionCallbackRequestPartialSchema,
} from "discord-api-spec/zod";
import * as z from "zod/mini";

/**
 * Where Discord's OpenAPI spec (npm `discord-api-spec`) and its documentation disagree, the
 * documentation wins. This module is the one place the emulator says so; each entry names its
 * source. strict-spec.ts applies the field overrides and the string rules while it builds its
 * strict copies of the spec's schemas.
 */

/** A field whose spec schema is replaced (or added, when the spec lacks it), with the reason. */
export interface FieldOverride {
  /** The spec's object schema that owns the field (matched by identity). */
  owner: object;
  field: string;
  schema: z.ZodMiniType;
  spec: string;
  docs: string;
  source: string;
}

/** A disagreement enforced outside the field overrides (named in `emulator`). */
export interface NotedOverride {
  rule: string;
  spec: string;
  docs: string;
  source: string;
  emulator: string;
}

const permissionBits = z.nullish(
  z.union([
    z.string().check(z.regex(/^(0|[1-9][0-9]*)$/)),
    z.number().check(z.minimum(0), z.maximum(2 ** 54)),
  ]),
);

const documentedString = (owner: object): FieldOverride => ({
  owner,
  field: "default_member_permissions",
  schema: permissionBits,
  spec: "integer 0 to 2^54",
  docs: "?string, a bit set (a number is taken too)",
  source: "developers/interactions/application-commands.mdx (Application Command Object)",
});

// discord.js's MessagePayload.resolveBody always writes `tts` and `enforce_nonce` (booleans,
// false unless asked) into interaction replies and webhook edits. Neither the spec nor the docs
// list them there, and Discord ignores fields it does not know, so every discord.js bot sends
// them. These are the only unknown fields the strict gate lets through.
const ignoredByDiscord = (owner: object, field: string): FieldOverride => ({
  owner,
  field,
  schema: z.optional(z.boolean()),
  spec: "not a field of this body",
  docs: "not listed; Discord ignores unknown fields",
  source: "discord.js src/structures/MessagePayload.js (resolveBody) sends it on every reply",
});

export const FIELD_OVERRIDES: readonly FieldOverride[] = [
  documentedString(ApplicationCommandUpdateRequestSchema),
  documentedString(ApplicationCommandCreateRequestSchema),
  ignoredByDiscord(IncomingWebhookInteractionRequestSchema, "enforce_nonce"),
  ignoredByDiscord(IncomingWebhookUpdateForInteractionCallbackRequestPartialSchema, "tts"),
  ignoredByDiscord(
    IncomingWebhookUpdateForInteractionCallbackRequestPartialSchema,
    "enforce_nonce",
  ),
];

/** An ISO 8601 / RFC 3339 instant, with `Z` or a numeric offset. */
export const dateTimeCheck = z.iso.datetime({ offset: true });

export const NOTED_OVERRIDES: readonly NotedOverride[] = [
  {
    rule: "message `content` length",
    spec: "maxLength 4000 (MessageCreateRequest, MessageEditRequestPartial)",
    docs: "up to 2000 characters",
    source: "developers/resources/message.mdx (Create Message, JSON params)",
    emulator: "the schema gate allows 4000; validate/message.ts refuses over 2000",
  },
  {
    rule: "string lengths",
    spec: "maxLength/minLength (the generated zod counts UTF-16 units)",
    docs: "limits in characters; Discord counts Unicode code points",
    source: "developers/resources/message.mdx (Embed Limits); JSON Schema counts code points",
    emulator: "strict-spec.ts checks every spec string length in code points",
  },
  {
    rule: "`date-time` strings (embed `timestamp`)",
    spec: "format date-time (RFC 3339: `Z` or an offset such as +09:00)",
    docs: "ISO8601 timestamp",
    source: "developers/resources/message.mdx (Embed Object); the generated zod allows only `Z`",
    emulator: "strict-spec.ts accepts offsets; validate/embeds.ts checks the date is real",
  },
];
