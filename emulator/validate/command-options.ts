import type { FormErrorCollector } from "../errors.js";
import { checkLocalizations, checkName } from "./command-names.js";
import { checkArray, checkString, isObject, type Json, type Path } from "./common.js";
import { LIMITS } from "./limits.js";

// docs: interactions/application-commands#application-command-object-application-command-option-type
const SUB_COMMAND = 1;
const SUB_COMMAND_GROUP = 2;
const STRING = 3;
const INTEGER = 4;
const CHANNEL = 7;
const NUMBER = 10;
const CHOICE_TYPES = new Set([STRING, INTEGER, NUMBER]);
const MAX_SAFE = 2 ** 53 - 1;
const isSub = (type: unknown) => type === SUB_COMMAND || type === SUB_COMMAND_GROUP;

/**
 * Validates one level of options: names unique, required before optional, and subcommands or
 * groups never mixed with plain options. `parent` is the type holding this level (0 = command).
 */
export function validateOptionLevel(
  errors: FormErrorCollector,
  path: Path,
  value: unknown,
  parent: number,
): void {
  const options = checkArray(errors, path, value, LIMITS.commandOptions).filter(isObject);
  const names = new Set<string>();
  let optionalSeen = false;
  const subs = options.filter((o) => isSub(o.type)).length;
  if (subs > 0 && subs < options.length)
    errors.add(
      path,
      "APPLICATION_COMMAND_OPTIONS_TYPE_INVALID",
      "Sub-command and sub-command group option types are mutually exclusive to all other types",
    );
  options.forEach((option, index) => {
    const at = [...path, index];
    if (typeof option.name === "string") {
      if (names.has(option.name))
        errors.add(
          [...at, "name"],
          "APPLICATION_COMMAND_OPTIONS_NAME_ALREADY_EXISTS",
          "Option names must be unique within one level",
        );
      names.add(option.name);
    }
    // A group holds only subcommands; a subcommand holds only plain options (depth as documented).
    if (parent === SUB_COMMAND_GROUP && option.type !== SUB_COMMAND)
      errors.add(
        [...at, "type"],
        "APPLICATION_COMMAND_OPTION_TYPE_INVALID",
        "A group holds subcommands only",
      );
    if (parent === SUB_COMMAND && isSub(option.type))
      errors.add(
        [...at, "type"],
        "APPLICATION_COMMAND_TOO_DEEP",
        "Subcommands cannot nest further",
      );
    if (!isSub(option.type)) {
      if (option.required === true && optionalSeen)
        errors.add(
          [...at, "required"],
          "APPLICATION_COMMAND_OPTIONS_REQUIRED_INVALID",
          "Required options must be placed before non-required options",
        );
      if (option.required !== true) optionalSeen = true;
    }
    validateOption(errors, at, option);
  });
}

function validateOption(errors: FormErrorCollector, path: Path, option: Json): void {
  const type = option.type;
  checkName(errors, [...path, "name"], option.name, true);
  checkString(errors, [...path, "description"], option.description, LIMITS.commandDescription, {
    min: 1,
    required: true,
  });
  checkLocalizations(errors, [...path, "name_localizations"], option.name_localizations, (at, t) =>
    checkName(errors, at, t, true),
  );
  checkLocalizations(
    errors,
    [...path, "description_localizations"],
    option.description_localizations,
    (at, text) =>
      checkString(errors, at, text, LIMITS.commandDescription, { min: 1, required: true }),
  );
  if (!Number.isInteger(type) || (type as number) < 1 || (type as number) > 11) {
    errors.add(
      [...path, "type"],
      "BASE_TYPE_CHOICES",
      "Value must be one of {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11}.",
    );
    return;
  }
  const only = (field: string, allowed: boolean, what: string) => {
    if (option[field] !== undefined && option[field] !== null && !allowed)
      errors.add(
        [...path, field],
        "APPLICATION_COMMAND_OPTION_FIELD_INVALID",
        `${field} is only valid on ${what}`,
      );
  };
  // Strict: docs list `required` for "all but SUB_COMMAND and SUB_COMMAND_GROUP".
  only("required", !isSub(type) || option.required === false, "non-subcommand options");
  only("options", isSub(type), "subcommands and groups");
  only("choices", CHOICE_TYPES.has(type as number), "string, integer and number options");
  only(
    "autocomplete",
    CHOICE_TYPES.has(type as number) || option.autocomplete === false,
    "string, integer and number options",
  );
  only("min_length", type === STRING, "string options");
  only("max_length", type === STRING, "string options");
  only("min_value", type === INTEGER || type === NUMBER, "integer and number options");
  only("max_value", type === INTEGER || type === NUMBER, "integer and number options");
  only("channel_types", type === CHANNEL, "channel options");
  checkLengthBounds(errors, path, option);
  checkValueBounds(errors, path, option, type === INTEGER);
  validateChoices(errors, path, option, type as number);
  if (isSub(type))
    validateOptionLevel(errors, [...path, "options"], option.options, type as number);
}

function checkLengthBounds(errors: FormErrorCollector, path: Path, option: Json): void {
  const bound = (field: string, min: number) => {
    const v = option[field];
    if (v === undefined || v === null) return;
    if (!Number.isInteger(v) || (v as number) < min || (v as number) > 6000)
      errors.add(
        [...path, field],
        "NUMBER_TYPE_OUT_OF_RANGE",
        `Must be an integer from ${min} to 6000.`,
      );
  };
  bound("min_length", 0);
  bound("max_length", 1);
  // Strict (undocumented): a minimum above the maximum could never be satisfied.
  if (
    typeof option.min_length === "number" &&
    typeof option.max_length === "number" &&
    option.min_length > option.max_length
  )
    errors.add(
      [...path, "min_length"],
      "NUMBER_TYPE_OUT_OF_RANGE",
      "min_length exceeds max_length",
    );
}

function checkValueBounds(
  errors: FormErrorCollector,
  path: Path,
  option: Json,
  integer: boolean,
): void {
  for (const field of ["min_value", "max_value"]) {
    const v = option[field];
    if (v === undefined || v === null) continue;
    if (typeof v !== "number" || (integer && !Number.isInteger(v)) || Math.abs(v) > MAX_SAFE)
      errors.add(
        [...path, field],
        integer ? "NUMBER_TYPE_COERCE" : "NUMBER_TYPE_OUT_OF_RANGE",
        `Must be ${integer ? "an integer" : "a number"} between -2^53 and 2^53.`,
      );
  }
  if (
    typeof option.min_value === "number" &&
    typeof option.max_value === "number" &&
    option.min_value > option.max_value
  )
    errors.add([...path, "min_value"], "NUMBER_TYPE_OUT_OF_RANGE", "min_value exceeds max_value");
}

function validateChoices(errors: FormErrorCollector, path: Path, option: Json, type: number): void {
  const choices = checkArray(errors, [...path, "choices"], option.choices, LIMITS.commandChoices);
  if (choices.length > 0 && option.autocomplete === true) {
    errors.add(
      [...path, "autocomplete"],
      "APPLICATION_COMMAND_AUTOCOMPLETE_INCOMPATIBLE",
      "Autocomplete cannot be used with choices",
    );
  }
  if (!CHOICE_TYPES.has(type)) return;
  choices.forEach((choice, index) => {
    const at = [...path, "choices", index];
    if (!isObject(choice)) return;
    checkString(errors, [...at, "name"], choice.name, LIMITS.choiceName, {
      min: 1,
      required: true,
    });
    checkLocalizations(
      errors,
      [...at, "name_localizations"],
      choice.name_localizations,
      (where, text) =>
        checkString(errors, where, text, LIMITS.choiceName, { min: 1, required: true }),
    );
    const value = choice.value;
    if (type === STRING) {
      checkString(errors, [...at, "value"], value, LIMITS.choiceValue, { min: 1, required: true });
    } else if (
      typeof value !== "number" ||
      (type === INTEGER && !Number.isInteger(value)) ||
      Math.abs(value) > MAX_SAFE
    ) {
      errors.add(
        [...at, "value"],
        type === INTEGER ? "NUMBER_TYPE_COERCE" : "NUMBER_TYPE_COERCE",
        `Value must be ${type === INTEGER ? "an integer" : "a number"} like the option`,
      );
    }
  });
}
