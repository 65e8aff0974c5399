import type { FormErrorCollector } from "../errors.js";
import { checkArray, checkString, checkUrl, isObject, type Json, type Path } from "./common.js";
import { validateActionRow } from "./components.js";
import { ComponentTally, countComponent, validateButton } from "./interactive.js";
import { codePoints, LIMITS } from "./limits.js";

// Component types (docs: components/reference#component-object-component-types).
const ROW = 1;
const BUTTON = 2;
const SECTION = 9;
const TEXT = 10;
const THUMBNAIL = 11;
const GALLERY = 12;
const FILE = 13;
const SEPARATOR = 14;
const CONTAINER = 17;

const TOP_LEVEL = [ROW, SECTION, TEXT, GALLERY, FILE, SEPARATOR, CONTAINER];
const IN_CONTAINER = [ROW, SECTION, TEXT, GALLERY, FILE, SEPARATOR];
const MEDIA_SCHEMES = ["http", "https", "attachment"];

/**
 * Validates the components of a message with IS_COMPONENTS_V2 (docs: components/reference):
 * the layout rules of each type, at most 40 components with nested ones counted, and at most
 * 4,000 characters of Text Display content in the whole message.
 */
export function validateComponentsV2(errors: FormErrorCollector, path: Path, value: unknown): void {
  const tally = new ComponentTally();
  const top = checkArray(errors, path, value, Number.POSITIVE_INFINITY);
  top.forEach((child, i) => {
    validateChild(errors, tally, [...path, i], child, TOP_LEVEL);
  });
  if (tally.count > LIMITS.componentsV2Total) {
    errors.add(
      path,
      "MAX_COMPONENTS_EXCEEDED",
      `A message can have at most ${LIMITS.componentsV2Total} components, nested ones included`,
    );
  }
  if (tally.text > LIMITS.textDisplayTotal) {
    errors.add(
      path,
      "MAX_TEXT_DISPLAY_LENGTH_EXCEEDED",
      `Text Display content may total at most ${LIMITS.textDisplayTotal} characters per message`,
    );
  }
}

function validateChild(
  errors: FormErrorCollector,
  tally: ComponentTally,
  at: Path,
  child: unknown,
  allowed: number[],
): void {
  if (!isObject(child) || !allowed.includes(child.type as number)) {
    errors.add(
      at,
      "UNION_TYPE_CHOICES",
      `Value of field "type" must be one of (${allowed.join(", ")}).`,
    );
    return;
  }
  if (child.type === ROW) {
    validateActionRow(errors, tally, at, child);
    return;
  }
  countComponent(errors, tally, at, child);
  const check = CHECKS[child.type as number];
  check?.(errors, tally, at, child);
}

type Check = (errors: FormErrorCollector, tally: ComponentTally, at: Path, child: Json) => void;

/** The rules of each component type but action rows, which V1 and V2 share. */
const CHECKS: Record<number, Check> = {
  [BUTTON]: validateButton,
  [TEXT]: (errors, tally, at, child) => {
    checkString(errors, [...at, "content"], child.content, LIMITS.textDisplayTotal, {
      min: 1,
      required: true,
    });
    tally.text += typeof child.content === "string" ? codePoints(child.content) : 0;
  },
  [THUMBNAIL]: (errors, _tally, at, child) => {
    checkMedia(errors, [...at, "media"], child.media, MEDIA_SCHEMES);
    checkString(errors, [...at, "description"], child.description, LIMITS.mediaDescription);
  },
  [GALLERY]: (errors, _tally, at, child) => validateGallery(errors, at, child),
  // A File shows an uploaded file only (docs: components/reference#file).
  [FILE]: (errors, _tally, at, child) =>
    checkMedia(errors, [...at, "file"], child.file, ["attachment"]),
  [SEPARATOR]: (errors, _tally, at, child) => {
    if (child.spacing !== undefined && child.spacing !== 1 && child.spacing !== 2)
      errors.add([...at, "spacing"], "BASE_TYPE_CHOICES", "Value must be one of {1, 2}.");
  },
  [SECTION]: (errors, tally, at, child) => validateSection(errors, tally, at, child),
  [CONTAINER]: (errors, tally, at, child) => validateContainer(errors, tally, at, child),
};

/** An unfurled media item: only `url` is settable (docs: components/reference#unfurled-media-item). */
function checkMedia(errors: FormErrorCollector, at: Path, media: unknown, schemes: string[]): void {
  if (!isObject(media)) {
    errors.add(at, "BASE_TYPE_REQUIRED", "This field is required");
    return;
  }
  if (typeof media.url !== "string")
    errors.add([...at, "url"], "BASE_TYPE_REQUIRED", "This field is required");
  else checkUrl(errors, [...at, "url"], media.url, schemes, LIMITS.embedUrl);
}

/** A Media Gallery holds 1–10 items (docs: components/reference#media-gallery). */
function validateGallery(errors: FormErrorCollector, at: Path, gallery: Json): void {
  const items = checkArray(errors, [...at, "items"], gallery.items, LIMITS.galleryItems);
  if (items.length === 0)
    errors.add([...at, "items"], "BASE_TYPE_MIN_LENGTH", "Must be 1 or more in length.");
  items.forEach((item, i) => {
    const p = [...at, "items", i];
    if (!isObject(item)) {
      errors.add(p, "MODEL_TYPE_CONVERT", "Only dictionaries may be used in a ModelType");
      return;
    }
    checkMedia(errors, [...p, "media"], item.media, MEDIA_SCHEMES);
    checkString(errors, [...p, "description"], item.description, LIMITS.mediaDescription);
  });
}

/** A Section: 1–3 Text Displays and one Thumbnail or Button accessory (docs: components/reference#section). */
function validateSection(
  errors: FormErrorCollector,
  tally: ComponentTally,
  at: Path,
  section: Json,
): void {
  const texts = checkArray(errors, [...at, "components"], section.components, LIMITS.sectionTexts);
  if (texts.length === 0)
    errors.add([...at, "components"], "BASE_TYPE_MIN_LENGTH", "Must be 1 or more in length.");
  texts.forEach((text, i) => {
    validateChild(errors, tally, [...at, "components", i], text, [TEXT]);
  });
  if (section.accessory === undefined || section.accessory === null)
    errors.add([...at, "accessory"], "BASE_TYPE_REQUIRED", "This field is required");
  else validateChild(errors, tally, [...at, "accessory"], section.accessory, [BUTTON, THUMBNAIL]);
}

/**
 * A Container (docs: components/reference#container). Deliberately strict: an empty container
 * is refused, as the docs give no example of one and it would render as an empty box.
 */
function validateContainer(
  errors: FormErrorCollector,
  tally: ComponentTally,
  at: Path,
  container: Json,
): void {
  const children = checkArray(
    errors,
    [...at, "components"],
    container.components,
    Number.POSITIVE_INFINITY,
  );
  if (children.length === 0)
    errors.add([...at, "components"], "BASE_TYPE_MIN_LENGTH", "Must be 1 or more in length.");
  children.forEach((child, i) => {
    validateChild(errors, tally, [...at, "components", i], child, IN_CONTAINER);
  });
  const color = container.accent_color;
  if (color !== undefined && color !== null) {
    if (!Number.isInteger(color) || (color as number) < 0 || (color as number) > 0xffffff) {
      errors.add(
        [...at, "accent_color"],
        "NUMBER_TYPE_MAX",
        "int value should be less than or equal to 16777215.",
      );
    }
  }
}
