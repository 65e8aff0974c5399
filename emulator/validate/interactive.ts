import type { FormErrorCollector } from "../errors.js";
import {
  checkArray,
  checkSnowflake,
  checkString,
  checkUrl,
  type Json,
  type Path,
} from "./common.js";
import { LIMITS } from "./limits.js";

/**
 * What the components of one message (or modal) share: `custom_id`s and `id`s must be unique
 * across all of them, and Components V2 limits count every component and all their text.
 */
export class ComponentTally {
  readonly customIds = new Set<string>();
  readonly ids = new Set<number>();
  count = 0;
  text = 0;
}

const INT32_MAX = 2 ** 31 - 1;

/** Counts a component and checks its optional `id` (docs: components/reference#anatomy-of-a-component). */
export function countComponent(
  errors: FormErrorCollector,
  tally: ComponentTally,
  path: Path,
  component: Json,
): void {
  tally.count++;
  const id = component.id;
  if (id === undefined || id === null) return;
  if (!Number.isInteger(id) || (id as number) < 0 || (id as number) > INT32_MAX) {
    errors.add([...path, "id"], "NUMBER_TYPE_COERCE", "Value is not a valid 32-bit integer.");
  } else if (id !== 0 && tally.ids.has(id as number)) {
    // 0 means "not set" and is replaced by Discord, so it may repeat.
    errors.add([...path, "id"], "COMPONENT_ID_DUPLICATED", "Component id was already specified");
  } else tally.ids.add(id as number);
}

/** `custom_id`: 1–100 characters, unique within the message (docs: components/reference#anatomy-of-a-component). */
export function checkCustomId(
  errors: FormErrorCollector,
  tally: ComponentTally,
  path: Path,
  value: unknown,
): void {
  const before = errors.count;
  checkString(errors, path, value, LIMITS.customId, { min: 1, required: true });
  if (errors.count !== before) return;
  if (tally.customIds.has(value as string)) {
    errors.add(path, "COMPONENT_CUSTOM_ID_DUPLICATED", "Component custom id cannot be duplicated");
  }
  tally.customIds.add(value as string);
}

const present = (value: unknown) => value !== undefined && value !== null;

/** Reports a field that this button style may not carry. */
function forbid(errors: FormErrorCollector, path: Path, button: Json, field: string, why: string) {
  if (present(button[field]))
    errors.add([...path, field], `BUTTON_COMPONENT_${field.toUpperCase()}_NOT_ALLOWED`, why);
}

/** A button (docs: components/reference#button): what each style needs and may not have. */
export function validateButton(
  errors: FormErrorCollector,
  tally: ComponentTally,
  path: Path,
  button: Json,
): void {
  const style = button.style;
  if (!Number.isInteger(style) || (style as number) < 1 || (style as number) > 6) {
    errors.add([...path, "style"], "BASE_TYPE_CHOICES", "Value must be one of {1, 2, 3, 4, 5, 6}.");
    return;
  }
  checkString(errors, [...path, "label"], button.label, LIMITS.buttonLabel);
  if (style === 5) {
    if (!present(button.url))
      errors.add([...path, "url"], "BUTTON_COMPONENT_URL_REQUIRED", "A url is required");
    checkUrl(
      errors,
      [...path, "url"],
      button.url,
      ["http", "https", "discord"],
      LIMITS.linkButtonUrl,
    );
    forbid(errors, path, button, "custom_id", "Link buttons cannot have a custom id");
    forbid(errors, path, button, "sku_id", "Link buttons cannot have a sku id");
  } else if (style === 6) {
    if (!present(button.sku_id))
      errors.add([...path, "sku_id"], "BUTTON_COMPONENT_SKU_ID_REQUIRED", "A sku id is required");
    else checkSnowflake(errors, [...path, "sku_id"], button.sku_id);
    for (const field of ["custom_id", "label", "url", "emoji"])
      forbid(errors, path, button, field, `Premium buttons cannot have a ${field}`);
  } else {
    if (!present(button.custom_id)) {
      errors.add(
        [...path, "custom_id"],
        "BUTTON_COMPONENT_CUSTOM_ID_REQUIRED",
        "A custom id is required",
      );
    } else checkCustomId(errors, tally, [...path, "custom_id"], button.custom_id);
    forbid(errors, path, button, "url", "Only link buttons can have a url");
    forbid(errors, path, button, "sku_id", "Only premium buttons can have a sku id");
  }
}

/** `min_values` 0–25 and `max_values` 1–25, defaulting to 1 (docs: components/reference#string-select). */
function checkValueCount(
  errors: FormErrorCollector,
  path: Path,
  value: unknown,
  min: number,
): number {
  if (value === undefined || value === null) return 1;
  if (!Number.isInteger(value)) {
    errors.add(path, "NUMBER_TYPE_COERCE", "Value is not a valid integer.");
    return 1;
  }
  const n = value as number;
  if (n < min)
    errors.add(path, "NUMBER_TYPE_MIN", `int value should be greater than or equal to ${min}.`);
  if (n > LIMITS.selectValues)
    errors.add(
      path,
      "NUMBER_TYPE_MAX",
      `int value should be less than or equal to ${LIMITS.selectValues}.`,
    );
  return n;
}

/** A select menu of any kind (types 3, 5–8): custom id, placeholder, value counts, options. */
export function validateSelect(
  errors: FormErrorCollector,
  tally: ComponentTally,
  path: Path,
  select: Json,
): void {
  checkCustomId(errors, tally, [...path, "custom_id"], select.custom_id);
  checkString(errors, [...path, "placeholder"], select.placeholder, LIMITS.selectPlaceholder);
  const min = checkValueCount(errors, [...path, "min_values"], select.min_values, 0);
  const max = checkValueCount(errors, [...path, "max_values"], select.max_values, 1);
  if (min > max) {
    errors.add(
      [...path, "min_values"],
      "SELECT_COMPONENT_MIN_VALUES_GREATER_THAN_MAX",
      "min_values must be less than or equal to max_values",
    );
  }
  if (select.type !== 3) return;
  const options = checkArray(errors, [...path, "options"], select.options, LIMITS.selectOptions);
  if (options.length === 0)
    errors.add([...path, "options"], "BASE_TYPE_MIN_LENGTH", "Must be 1 or more in length.");
  else if (max > options.length) {
    errors.add(
      [...path, "max_values"],
      "SELECT_COMPONENT_TOO_FEW_OPTIONS",
      "max_values must be less than or equal to the number of options",
    );
  }
  options.forEach((option, o) => {
    const p = [...path, "options", o];
    if (typeof option !== "object" || option === null) return;
    const { label, value, description } = option as Json;
    const rule = { min: 1, required: true };
    checkString(errors, [...p, "label"], label, LIMITS.selectOptionText, rule);
    checkString(errors, [...p, "value"], value, LIMITS.selectOptionText, rule);
    checkString(errors, [...p, "description"], description, LIMITS.selectOptionText);
  });
}
