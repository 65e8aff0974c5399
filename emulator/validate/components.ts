import type { FormErrorCollector } from "../errors.js";
import { checkArray, checkString, checkUrl, isObject, type Path } from "./common.js";
import { LIMITS } from "./limits.js";

const BUTTON = 2;
const SELECTS = new Set([3, 5, 6, 7, 8]);
const TEXT_INPUT = 4;

/** Validates message or modal components: rows, buttons, selects, custom ids and options. */
export function validateComponents(
  errors: FormErrorCollector,
  path: Path,
  value: unknown,
  modal = false,
): void {
  const rows = checkArray(errors, path, value, LIMITS.actionRows);
  rows.forEach((row, rowIndex) => {
    const at = [...path, rowIndex];
    if (!isObject(row) || row.type !== 1) {
      errors.add(at, "COMPONENT_LAYOUT_WIDTH_EXCEEDED", "Top-level components must be action rows");
      return;
    }
    const children = checkArray(
      errors,
      [...at, "components"],
      row.components,
      LIMITS.buttonsPerRow,
    );
    if (children.length === 0)
      errors.add([...at, "components"], "BASE_TYPE_MIN_LENGTH", "Must be 1 or more in length.");
    const hasWide = children.some(
      (child) =>
        isObject(child) && (SELECTS.has(child.type as number) || child.type === TEXT_INPUT),
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
      if (child.type === BUTTON) {
        checkString(errors, [...c, "label"], child.label, LIMITS.buttonLabel);
        if (child.style === 5) {
          checkUrl(errors, [...c, "url"], child.url, ["http", "https", "discord"]);
          if (child.url === undefined)
            errors.add([...c, "url"], "BASE_TYPE_REQUIRED", "This field is required");
        } else if (child.style !== 6) {
          checkString(errors, [...c, "custom_id"], child.custom_id, LIMITS.customId, {
            min: 1,
            required: true,
          });
        }
      } else if (SELECTS.has(child.type as number)) {
        checkString(errors, [...c, "custom_id"], child.custom_id, LIMITS.customId, {
          min: 1,
          required: true,
        });
        checkString(errors, [...c, "placeholder"], child.placeholder, LIMITS.selectPlaceholder);
        if (child.type === 3) {
          const options = checkArray(
            errors,
            [...c, "options"],
            child.options,
            LIMITS.selectOptions,
          );
          if (options.length === 0)
            errors.add([...c, "options"], "BASE_TYPE_MIN_LENGTH", "Must be 1 or more in length.");
          options.forEach((option, o) => {
            const p = [...c, "options", o];
            if (!isObject(option)) return;
            checkString(errors, [...p, "label"], option.label, LIMITS.selectOptionText, {
              min: 1,
              required: true,
            });
            checkString(errors, [...p, "value"], option.value, LIMITS.selectOptionText, {
              min: 1,
              required: true,
            });
            checkString(errors, [...p, "description"], option.description, LIMITS.selectOptionText);
          });
        }
      } else if (child.type === TEXT_INPUT && modal) {
        checkString(errors, [...c, "custom_id"], child.custom_id, LIMITS.customId, {
          min: 1,
          required: true,
        });
      } else {
        errors.add(
          [...c, "type"],
          "BASE_TYPE_CHOICES",
          `Value must be one of {2, 3, 5, 6, 7, 8${modal ? ", 4" : ""}}.`,
        );
      }
    });
  });
}
