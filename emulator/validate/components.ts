import type { FormErrorCollector } from "../errors.js";
import { checkArray, isObject, type Json, type Path } from "./common.js";
import {
  ComponentTally,
  checkCustomId,
  countComponent,
  validateButton,
  validateSelect,
} from "./interactive.js";
import { LIMITS } from "./limits.js";

const ACTION_ROW = 1;
const BUTTON = 2;
const SELECTS = new Set([3, 5, 6, 7, 8]);
const TEXT_INPUT = 4;

/**
 * Validates legacy (V1) message or modal components: up to 5 action rows at the top level
 * (docs: components/reference#legacy-message-component-behavior), with `custom_id`s unique
 * across all rows.
 */
export function validateComponents(
  errors: FormErrorCollector,
  path: Path,
  value: unknown,
  modal = false,
): void {
  const tally = new ComponentTally();
  const rows = checkArray(errors, path, value, LIMITS.actionRows);
  rows.forEach((row, rowIndex) => {
    const at = [...path, rowIndex];
    if (!isObject(row) || row.type !== ACTION_ROW) {
      // Discord's answer for a V2 type in a message without the IS_COMPONENTS_V2 flag.
      errors.add(at, "UNION_TYPE_CHOICES", 'Value of field "type" must be one of (1,).');
      return;
    }
    validateActionRow(errors, tally, at, row, modal);
  });
}

/** One action row (docs: components/reference#action-row): 1–5 buttons, or one select menu. */
export function validateActionRow(
  errors: FormErrorCollector,
  tally: ComponentTally,
  at: Path,
  row: Json,
  modal = false,
): void {
  countComponent(errors, tally, at, row);
  const children = checkArray(errors, [...at, "components"], row.components, LIMITS.buttonsPerRow);
  if (children.length === 0)
    errors.add([...at, "components"], "BASE_TYPE_MIN_LENGTH", "Must be 1 or more in length.");
  const hasWide = children.some(
    (child) => isObject(child) && (SELECTS.has(child.type as number) || child.type === TEXT_INPUT),
  );
  if (hasWide && children.length > 1) {
    errors.add(
      [...at, "components"],
      "COMPONENT_LAYOUT_WIDTH_EXCEEDED",
      "The specified component exceeds the maximum width",
    );
  }
  children.forEach((child, index) => {
    const c = [...at, "components", index];
    if (!isObject(child)) {
      errors.add(c, "MODEL_TYPE_CONVERT", "Only dictionaries may be used in a ModelType");
      return;
    }
    countComponent(errors, tally, c, child);
    if (child.type === BUTTON && !modal) validateButton(errors, tally, c, child);
    else if (SELECTS.has(child.type as number)) validateSelect(errors, tally, c, child);
    else if (child.type === TEXT_INPUT && modal)
      checkCustomId(errors, tally, [...c, "custom_id"], child.custom_id);
    else {
      errors.add(
        [...c, "type"],
        "BASE_TYPE_CHOICES",
        `Value must be one of {${modal ? "3, 4, 5, 6, 7, 8" : "2, 3, 5, 6, 7, 8"}}.`,
      );
    }
  });
}
