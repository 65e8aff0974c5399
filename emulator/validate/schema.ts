import * as spec from "discord-api-spec/zod";
import * as z from "zod/mini";
import type * as core from "zod/v4/core";
import { FormErrorCollector, type FormErrors } from "../errors.js";
import type { Path } from "./common.js";
import { type DiscordIssueParams, strict } from "./strict-spec.js";

/**
 * Discord's official request schemas (npm `discord-api-spec`) as the emulator's first gate:
 * a body must parse against its route's schema, with no unknown field anywhere, before the
 * semantic validators (message.ts, embeds.ts, …) see it.
 */
const ROOTS = {
  MessageCreateRequest: spec.MessageCreateRequestSchema,
  MessageEditRequestPartial: spec.MessageEditRequestPartialSchema,
  CreateTextThreadWithMessageRequest: spec.CreateTextThreadWithMessageRequestSchema,
  CreateForumThreadRequest: spec.CreateForumThreadRequestSchema,
  CreateTextThreadWithoutMessageRequest: spec.CreateTextThreadWithoutMessageRequestSchema,
  // The spec's request body for create_interaction_response: one schema per callback type.
  InteractionCallbackRequest: z.union([
    spec.PongInteractionCallbackRequestSchema,
    spec.CreateMessageInteractionCallbackRequestSchema,
    spec.UpdateMessageInteractionCallbackRequestSchema,
    spec.ApplicationCommandAutocompleteCallbackRequestSchema,
    spec.ModalInteractionCallbackRequestSchema,
    spec.LaunchActivityInteractionCallbackRequestSchema,
  ]),
  IncomingWebhookUpdateForInteractionCallbackRequestPartial:
    spec.IncomingWebhookUpdateForInteractionCallbackRequestPartialSchema,
  IncomingWebhookInteractionRequest: spec.IncomingWebhookInteractionRequestSchema,
  // create_dm (and create_group_dm, whose fields dms.ts refuses).
  CreatePrivateChannelRequest: spec.CreatePrivateChannelRequestSchema,
  // bulk_set_(guild_)application_commands takes ApplicationCommandUpdateRequest[].
  ApplicationCommandUpdateRequestList: z.array(spec.ApplicationCommandUpdateRequestSchema),
} satisfies Record<string, core.$ZodType>;

export type SchemaName = keyof typeof ROOTS;

/** The outcome of checking one body. */
export interface SchemaVerdict {
  schema: SchemaName;
  ok: boolean;
  /** Failing fields as dotted paths (`embeds.0.title`; "" for the body itself). */
  fields: string[];
  errors?: FormErrors;
}

/**
 * What a route names: a schema, or `ThreadCreateByParent` for `POST /channels/:channel/threads`,
 * whose body depends on the parent (forum and media channels take a first message).
 */
export type RouteSchema = SchemaName | "ThreadCreateByParent";

/** The schema a route's body must pass; null skips the gate (an unknown parent answers 404). */
export function resolveSchema(
  schema: RouteSchema,
  parentType: (() => number | undefined) | undefined,
): SchemaName | null {
  if (schema !== "ThreadCreateByParent") return schema;
  const type = parentType?.();
  if (type === undefined) return null;
  return type === 15 || type === 16
    ? "CreateForumThreadRequest"
    : "CreateTextThreadWithoutMessageRequest";
}

type Issue = core.$ZodIssue & { input?: unknown };

const TYPE_ERRORS: Record<string, (input: unknown) => [string, string]> = {
  string: () => ["BASE_TYPE_STRING", "Must be a string."],
  number: (v) => ["NUMBER_TYPE_COERCE", `Value "${String(v)}" is not a number.`],
  int: (v) => ["NUMBER_TYPE_COERCE", `Value "${String(v)}" is not int.`],
  boolean: () => ["BOOLEAN_TYPE_CONVERT", "Must be either true or false."],
  array: () => ["BASE_TYPE_ARRAY", "Must be an array."],
  object: () => ["MODEL_TYPE_CONVERT", "Only dictionaries may be used in a ModelType"],
  record: () => ["DICT_TYPE_CONVERT", "Only dictionaries may be used in a DictType"],
};

/** Discord's code and message for one zod issue (unions resolved before this). */
function discordError(issue: Issue): [string, string] {
  switch (issue.code) {
    case "invalid_type":
      if (issue.input === undefined) return ["BASE_TYPE_REQUIRED", "This field is required"];
      return (
        TYPE_ERRORS[issue.expected]?.(issue.input) ?? [
          "BASE_TYPE_CHOICES",
          `Must be of type ${issue.expected}.`,
        ]
      );
    case "too_big":
      return issue.origin === "array"
        ? ["BASE_TYPE_MAX_LENGTH", `Must be ${issue.maximum} or fewer in length.`]
        : ["NUMBER_TYPE_MAX", `Value should be less than or equal to ${issue.maximum}.`];
    case "too_small":
      return issue.origin === "array"
        ? ["BASE_TYPE_MIN_LENGTH", `Must be ${issue.minimum} or more in length.`]
        : ["NUMBER_TYPE_MIN", `Value should be greater than or equal to ${issue.minimum}.`];
    case "invalid_value":
      return ["BASE_TYPE_CHOICES", `Value must be one of ${JSON.stringify(issue.values)}.`];
    case "invalid_format":
      if (issue.format === "url") return ["URL_TYPE_INVALID_URL", "Not a well formed URL."];
      if (issue.format === "datetime")
        return [
          "DATE_TIME_TYPE_PARSE",
          `Could not parse ${String(issue.input)}. Should be ISO8601.`,
        ];
      // The spec's only patterns are snowflakes (and the override's permission digits).
      return ["NUMBER_TYPE_COERCE", `Value "${String(issue.input)}" is not snowflake.`];
    case "custom": {
      const discord = (issue.params as DiscordIssueParams | undefined)?.discord;
      return discord ? [discord.code, discord.message] : ["BASE_TYPE_INVALID", issue.message];
    }
    default:
      return ["BASE_TYPE_INVALID", issue.message];
  }
}

/**
 * How far off a union option is: a wrong `type` discriminator is worst, then a value of the
 * wrong kind altogether (an object where `undefined` was an option), then the issue count.
 */
function distance(issues: readonly Issue[]): number {
  const wrongType = issues.some((i) => i.path.length === 1 && i.path[0] === "type");
  const wrongKind = issues.some((i) => i.path.length === 0 && i.code === "invalid_type");
  return (wrongType ? 1000 : 0) + (wrongKind ? 500 : 0) + issues.length;
}

function collect(errors: FormErrorCollector, prefix: Path, issues: readonly Issue[]): void {
  for (const issue of issues) {
    const path = [...prefix, ...(issue.path as (string | number)[])];
    if (issue.code === "invalid_union" && issue.errors.length > 0) {
      // Report the option the body came closest to, as Discord reports its own typed unions.
      const options = issue.errors as Issue[][];
      if (options.every((option) => distance(option) >= 1000)) {
        // No option's `type` matched: name every allowed type, as Discord does.
        const allowed = options.flatMap((option) =>
          option.flatMap((i) => (i.code === "invalid_value" ? i.values : [])),
        );
        errors.add(
          [...path, "type"],
          "BASE_TYPE_CHOICES",
          `Value must be one of ${JSON.stringify(allowed)}.`,
        );
        continue;
      }
      const closest = [...options].sort((a, b) => distance(a) - distance(b))[0] ?? [];
      collect(errors, path, closest);
    } else if (issue.code === "unrecognized_keys") {
      for (const key of issue.keys)
        errors.add([...path, key], "UNKNOWN_FIELD", "Not a field of this request (API v10).");
    } else {
      const [code, message] = discordError(issue);
      errors.add(path, code, message);
    }
  }
}

/** Dotted paths of every `_errors` leaf of a nested errors object. */
function fieldsOf(errors: FormErrors, prefix = ""): string[] {
  return Object.entries(errors).flatMap(([key, value]) =>
    key === "_errors"
      ? [prefix]
      : fieldsOf(value as FormErrors, prefix === "" ? key : `${prefix}.${key}`),
  );
}

/** Checks a body against its route's schema, strictly. */
export function checkSchema(name: SchemaName, body: unknown): SchemaVerdict {
  const result = (strict(ROOTS[name]) as z.ZodMiniType).safeParse(body, { reportInput: true });
  if (result.success) return { schema: name, ok: true, fields: [] };
  const errors = new FormErrorCollector();
  collect(errors, [], result.error.issues as Issue[]);
  return { schema: name, ok: false, fields: fieldsOf(errors.errors), errors: errors.errors };
}
