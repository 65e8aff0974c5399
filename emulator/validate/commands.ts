import { FormErrorCollector } from "../errors.js";
import { checkLocalizations, checkName } from "./command-names.js";
import { validateOptionLevel } from "./command-options.js";
import { COMMAND_CHARACTERS, commandCharacters } from "./command-size.js";
import { checkArray, checkString, isObject, type Json, type Path } from "./common.js";
import { LIMITS } from "./limits.js";

/** Commands per type and scope (docs: interactions/application-commands#registering-a-command). */
const PER_TYPE: Record<number, number> = { 1: 100, 2: 15, 3: 15 };
const TYPE_NAMES: Record<number, string> = { 1: "CHAT_INPUT", 2: "USER", 3: "MESSAGE" };

export type CommandScope = "global" | "guild";

/** Validates a bulk-overwrite body; throws 400/50035 naming each bad field. */
export function validateCommands(body: unknown, scope: CommandScope = "global"): Json[] {
  const errors = new FormErrorCollector();
  if (!Array.isArray(body)) {
    errors.add([], "BASE_TYPE_ARRAY", "Must be an array.");
    errors.throwIfAny();
    return [];
  }
  const counts = new Map<number, number>();
  const seen = new Set<string>();
  body.forEach((command, index) => {
    if (!isObject(command)) {
      errors.add([index], "MODEL_TYPE_CONVERT", "Only dictionaries may be used in a ModelType");
      return;
    }
    const type = (command.type as number | undefined) ?? 1;
    counts.set(type, (counts.get(type) ?? 0) + 1);
    const key = `${type}:${String(command.name)}`;
    // docs: names are unique per application, per type, within each scope.
    if (seen.has(key))
      errors.add(
        [index, "name"],
        "APPLICATION_COMMANDS_DUPLICATE_NAME",
        "Application command names must be unique",
      );
    seen.add(key);
    validateCommand(errors, [index], command, type, scope);
  });
  for (const [type, count] of counts) {
    const max = PER_TYPE[type];
    if (max !== undefined && count > max)
      errors.add(
        [],
        "APPLICATION_COMMANDS_TOO_MANY",
        `At most ${max} ${TYPE_NAMES[type]} commands per scope (${count} given).`,
      );
  }
  errors.throwIfAny();
  return body as Json[];
}

function validateCommand(
  errors: FormErrorCollector,
  path: Path,
  command: Json,
  type: number,
  scope: CommandScope,
): void {
  if (PER_TYPE[type] === undefined) {
    // Type 4 (PRIMARY_ENTRY_POINT) needs an app with an Activity; the emulated app has none.
    errors.add([...path, "type"], "BASE_TYPE_CHOICES", "Value must be one of {1, 2, 3}.");
    return;
  }
  const chatInput = type === 1;
  checkName(errors, [...path, "name"], command.name, chatInput);
  checkLocalizations(errors, [...path, "name_localizations"], command.name_localizations, (at, t) =>
    checkName(errors, at, t, chatInput),
  );
  if (chatInput) {
    checkString(errors, [...path, "description"], command.description, LIMITS.commandDescription, {
      min: 1,
      required: true,
    });
    checkLocalizations(
      errors,
      [...path, "description_localizations"],
      command.description_localizations,
      (at, text) =>
        checkString(errors, at, text, LIMITS.commandDescription, { min: 1, required: true }),
    );
    validateOptionLevel(errors, [...path, "options"], command.options, 0);
    if (commandCharacters(command) > COMMAND_CHARACTERS)
      errors.add(
        path,
        "APPLICATION_COMMAND_TOO_LARGE",
        `Command exceeds maximum size (${COMMAND_CHARACTERS})`,
      );
  } else {
    // docs: description is an empty string for USER and MESSAGE commands; options only on CHAT_INPUT.
    const empty = (v: unknown) => v === undefined || v === null || v === "";
    if (!empty(command.description))
      errors.add(
        [...path, "description"],
        "APPLICATION_COMMAND_DESCRIPTION_INVALID",
        "Context menu commands cannot have a description",
      );
    const localized = command.description_localizations;
    if (isObject(localized) && Object.keys(localized).length > 0)
      errors.add(
        [...path, "description_localizations"],
        "APPLICATION_COMMAND_DESCRIPTION_INVALID",
        "Context menu commands cannot have a description",
      );
    if (Array.isArray(command.options) && command.options.length > 0)
      errors.add(
        [...path, "options"],
        "APPLICATION_COMMAND_OPTIONS_INVALID",
        "Context menu commands cannot have options",
      );
  }
  checkPermissions(
    errors,
    [...path, "default_member_permissions"],
    command.default_member_permissions,
  );
  checkContexts(errors, path, command, scope);
}

/**
 * The docs type `default_member_permissions` as a string bitfield; Discord's OpenAPI spec types
 * it as an integer. Both are accepted (the stored command always holds the string form).
 */
function checkPermissions(errors: FormErrorCollector, path: Path, perms: unknown): void {
  if (perms === undefined || perms === null) return;
  const digits = typeof perms === "string" && /^\d{1,20}$/.test(perms);
  const integer = typeof perms === "number" && Number.isSafeInteger(perms) && perms >= 0;
  if (!digits && !integer)
    errors.add(
      path,
      "BASE_TYPE_STRING",
      "Must be a permission bitfield (a string of digits or an integer).",
    );
}

/** `integration_types` ⊆ {0, 1} and `contexts` ⊆ {0, 1, 2}, non-empty and without repeats. */
function checkContexts(
  errors: FormErrorCollector,
  path: Path,
  command: Json,
  scope: CommandScope,
): void {
  const check = (field: string, allowed: number[], guildAllowed: number[]) => {
    const list = checkArray(errors, [...path, field], command[field], allowed.length);
    if (command[field] === null || command[field] === undefined) return;
    if (Array.isArray(command[field]) && list.length === 0)
      errors.add([...path, field], "BASE_TYPE_MIN_LENGTH", "Must be 1 or more in length."); // strict: undocumented
    if (new Set(list).size !== list.length)
      errors.add([...path, field], "SET_TYPE_ALREADY_CONTAINS_VALUE", "Values must be unique.");
    list.forEach((value, i) => {
      if (!allowed.includes(value as number))
        errors.add(
          [...path, field, i],
          "BASE_TYPE_CHOICES",
          `Value must be one of {${allowed.join(", ")}}.`,
        );
      // docs: both fields are "only for globally-scoped commands"; guild commands support no BOT_DM.
      else if (scope === "guild" && !guildAllowed.includes(value as number))
        errors.add(
          [...path, field, i],
          "APPLICATION_COMMAND_CONTEXT_INVALID",
          "Guild commands are only available in their guild",
        );
    });
  };
  check("integration_types", [0, 1], [0]);
  check("contexts", [0, 1, 2], [0]);
}

/** Validates autocomplete choices (callback type 8). */
export function validateAutocomplete(data: unknown): void {
  const errors = new FormErrorCollector();
  const choices = isObject(data)
    ? checkArray(errors, ["data", "choices"], data.choices, LIMITS.autocompleteChoices)
    : [];
  choices.forEach((choice, index) => {
    if (!isObject(choice)) return;
    checkString(errors, ["data", "choices", index, "name"], choice.name, LIMITS.choiceName, {
      min: 1,
      required: true,
    });
    if (typeof choice.value === "string") {
      checkString(errors, ["data", "choices", index, "value"], choice.value, LIMITS.choiceValue, {
        min: 1,
      });
    } else if (typeof choice.value !== "number") {
      errors.add(
        ["data", "choices", index, "value"],
        "BASE_TYPE_REQUIRED",
        "This field is required",
      );
    }
  });
  errors.throwIfAny();
}
