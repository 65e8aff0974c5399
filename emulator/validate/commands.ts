import { FormErrorCollector } from "../errors.js";
import { checkArray, checkString, isObject, type Json, type Path } from "./common.js";
import { LIMITS } from "./limits.js";

export const LOCALES = new Set([
  "id",
  "da",
  "de",
  "en-GB",
  "en-US",
  "es-ES",
  "es-419",
  "fr",
  "hr",
  "it",
  "lt",
  "hu",
  "nl",
  "no",
  "pl",
  "pt-BR",
  "ro",
  "fi",
  "sv-SE",
  "vi",
  "tr",
  "cs",
  "el",
  "bg",
  "ru",
  "uk",
  "hi",
  "th",
  "zh-CN",
  "ja",
  "zh-TW",
  "ko",
]);
const NAME = /^[-_'\p{L}\p{N}\p{sc=Deva}\p{sc=Thai}]{1,32}$/u;

function checkName(
  errors: FormErrorCollector,
  path: Path,
  value: unknown,
  chatInput: boolean,
): void {
  checkString(errors, path, value, LIMITS.commandName, { min: 1, required: true });
  if (typeof value !== "string") return;
  if (chatInput && (!NAME.test(value) || value !== value.toLowerCase())) {
    errors.add(path, "APPLICATION_COMMAND_INVALID_NAME", `Command name is invalid`);
  }
}

function checkLocalizations(
  errors: FormErrorCollector,
  path: Path,
  value: unknown,
  check: (at: Path, text: unknown) => void,
): void {
  if (value === undefined || value === null) return;
  if (!isObject(value)) {
    errors.add(path, "MODEL_TYPE_CONVERT", "Only dictionaries may be used in a DictType");
    return;
  }
  for (const [locale, text] of Object.entries(value)) {
    if (!LOCALES.has(locale))
      errors.add([...path, locale], "LOCALE_INVALID", `Invalid locale "${locale}"`);
    else check([...path, locale], text);
  }
}

function validateOption(errors: FormErrorCollector, path: Path, option: Json, depth: number): void {
  checkName(errors, [...path, "name"], option.name, true);
  checkString(errors, [...path, "description"], option.description, LIMITS.commandDescription, {
    min: 1,
    required: true,
  });
  checkLocalizations(
    errors,
    [...path, "name_localizations"],
    option.name_localizations,
    (at, text) => checkName(errors, at, text, true),
  );
  checkLocalizations(
    errors,
    [...path, "description_localizations"],
    option.description_localizations,
    (at, text) =>
      checkString(errors, at, text, LIMITS.commandDescription, { min: 1, required: true }),
  );
  if (
    !Number.isInteger(option.type) ||
    (option.type as number) < 1 ||
    (option.type as number) > 11
  ) {
    errors.add(
      [...path, "type"],
      "BASE_TYPE_CHOICES",
      "Value must be one of {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11}.",
    );
  }
  const choices = checkArray(errors, [...path, "choices"], option.choices, LIMITS.commandChoices);
  if (choices.length > 0 && option.autocomplete === true) {
    errors.add(
      [...path, "autocomplete"],
      "APPLICATION_COMMAND_AUTOCOMPLETE_INCOMPATIBLE",
      "Autocomplete cannot be used with choices",
    );
  }
  choices.forEach((choice, index) => {
    if (!isObject(choice)) return;
    checkString(errors, [...path, "choices", index, "name"], choice.name, LIMITS.choiceName, {
      min: 1,
      required: true,
    });
    if (typeof choice.value === "string") {
      checkString(errors, [...path, "choices", index, "value"], choice.value, LIMITS.choiceValue, {
        min: 1,
      });
    }
  });
  const options = checkArray(errors, [...path, "options"], option.options, LIMITS.commandOptions);
  if (options.length > 0 && depth >= 2) {
    errors.add(
      [...path, "options"],
      "APPLICATION_COMMAND_TOO_DEEP",
      "Subcommands can nest at most two levels",
    );
  }
  options.forEach((child, index) => {
    if (isObject(child)) validateOption(errors, [...path, "options", index], child, depth + 1);
  });
}

/** Validates a bulk-overwrite body; throws 400/50035 naming each bad field. */
export function validateCommands(body: unknown): Json[] {
  const errors = new FormErrorCollector();
  if (!Array.isArray(body)) {
    errors.add([], "BASE_TYPE_ARRAY", "Must be an array.");
    errors.throwIfAny();
    return [];
  }
  if (body.length > LIMITS.commandsPerScope)
    errors.add(
      [],
      "BASE_TYPE_MAX_LENGTH",
      `Must be ${LIMITS.commandsPerScope} or fewer in length.`,
    );
  const seen = new Set<string>();
  body.forEach((command, index) => {
    if (!isObject(command)) {
      errors.add([index], "MODEL_TYPE_CONVERT", "Only dictionaries may be used in a ModelType");
      return;
    }
    const type = (command.type as number | undefined) ?? 1;
    const chatInput = type === 1;
    checkName(errors, [index, "name"], command.name, chatInput);
    const key = `${type}:${String(command.name)}`;
    if (seen.has(key))
      errors.add(
        [index, "name"],
        "APPLICATION_COMMANDS_DUPLICATE_NAME",
        "Application command names must be unique",
      );
    seen.add(key);
    if (chatInput) {
      checkString(errors, [index, "description"], command.description, LIMITS.commandDescription, {
        min: 1,
        required: true,
      });
    }
    checkLocalizations(
      errors,
      [index, "name_localizations"],
      command.name_localizations,
      (at, text) => checkName(errors, at, text, chatInput),
    );
    checkLocalizations(
      errors,
      [index, "description_localizations"],
      command.description_localizations,
      (at, text) =>
        checkString(errors, at, text, LIMITS.commandDescription, { min: 1, required: true }),
    );
    const perms = command.default_member_permissions;
    if (
      perms !== undefined &&
      perms !== null &&
      (typeof perms !== "string" || !/^\d+$/.test(perms))
    ) {
      errors.add(
        [index, "default_member_permissions"],
        "BASE_TYPE_STRING",
        "Must be a string of digits (a permission bitfield).",
      );
    }
    const options = checkArray(errors, [index, "options"], command.options, LIMITS.commandOptions);
    options.forEach((option, o) => {
      if (isObject(option)) validateOption(errors, [index, "options", o], option, 0);
    });
  });
  errors.throwIfAny();
  return body as Json[];
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
