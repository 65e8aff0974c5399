import type { FormErrorCollector } from "../errors.js";
import { checkArray, checkString, checkUrl, isObject, type Json, type Path } from "./common.js";
import { codePoints, LIMITS } from "./limits.js";
import { isIsoInstant } from "./timestamp.js";

/** Images and icons may also name an uploaded file (docs: resources/message#embed-object). */
const MEDIA_SCHEMES = ["http", "https", "attachment"];

/** Validates `embeds` and their combined 6,000 code point total. */
export function validateEmbeds(errors: FormErrorCollector, path: Path, value: unknown): void {
  const embeds = checkArray(errors, path, value, LIMITS.embeds);
  let total = 0;
  embeds.forEach((embed, index) => {
    const at = [...path, index];
    if (!isObject(embed)) {
      errors.add(at, "MODEL_TYPE_CONVERT", "Only dictionaries may be used in a ModelType");
      return;
    }
    total += validateEmbed(errors, at, embed);
  });
  if (total > LIMITS.embedsTotal) {
    errors.add(
      path,
      "MAX_EMBED_SIZE_EXCEEDED",
      `Embed size exceeds maximum size of ${LIMITS.embedsTotal}`,
    );
  }
}

/** Characters a text counts toward the 6,000 total: Discord trims whitespace before counting. */
function text(value: unknown): number {
  return typeof value === "string" ? codePoints(value.trim()) : 0;
}

/** Validates one embed; returns the characters it counts toward the 6,000 total. */
function validateEmbed(errors: FormErrorCollector, path: Path, embed: Json): number {
  const trim = { trim: true };
  checkString(errors, [...path, "title"], embed.title, LIMITS.embedTitle, trim);
  checkString(errors, [...path, "description"], embed.description, LIMITS.embedDescription, trim);
  checkUrl(errors, [...path, "url"], embed.url, ["http", "https"], LIMITS.embedUrl);
  if (embed.color !== undefined && embed.color !== null) {
    if (
      !Number.isInteger(embed.color) ||
      (embed.color as number) < 0 ||
      (embed.color as number) > 0xffffff
    ) {
      errors.add(
        [...path, "color"],
        "NUMBER_TYPE_MAX",
        "int value should be less than or equal to 16777215.",
      );
    }
  }
  if (embed.timestamp !== undefined && embed.timestamp !== null && !isIsoInstant(embed.timestamp)) {
    errors.add(
      [...path, "timestamp"],
      "DATE_TIME_TYPE_PARSE",
      "Could not parse timestamp. Should be ISO8601.",
    );
  }
  let total = text(embed.title) + text(embed.description);
  for (const key of ["image", "thumbnail"] as const) {
    const media = embed[key];
    if (media === undefined) continue;
    if (!isObject(media))
      errors.add(
        [...path, key],
        "MODEL_TYPE_CONVERT",
        "Only dictionaries may be used in a ModelType",
      );
    else {
      if (media.url === undefined || media.url === null)
        errors.add([...path, key, "url"], "BASE_TYPE_REQUIRED", "This field is required");
      checkUrl(errors, [...path, key, "url"], media.url, MEDIA_SCHEMES, LIMITS.embedUrl);
    }
  }
  if (isObject(embed.footer)) {
    checkString(errors, [...path, "footer", "text"], embed.footer.text, LIMITS.footerText, {
      required: true,
      trim: true,
    });
    const icon = embed.footer.icon_url;
    checkUrl(errors, [...path, "footer", "icon_url"], icon, MEDIA_SCHEMES, LIMITS.embedUrl);
    total += text(embed.footer.text);
  }
  if (isObject(embed.author)) {
    const author = embed.author;
    checkString(errors, [...path, "author", "name"], author.name, LIMITS.authorName, {
      required: true,
      trim: true,
    });
    checkUrl(errors, [...path, "author", "url"], author.url, ["http", "https"], LIMITS.embedUrl);
    const icon = author.icon_url;
    checkUrl(errors, [...path, "author", "icon_url"], icon, MEDIA_SCHEMES, LIMITS.embedUrl);
    total += text(embed.author.name);
  }
  const fields = checkArray(errors, [...path, "fields"], embed.fields, LIMITS.embedFields);
  fields.forEach((field, index) => {
    const at = [...path, "fields", index];
    if (!isObject(field)) {
      errors.add(at, "MODEL_TYPE_CONVERT", "Only dictionaries may be used in a ModelType");
      return;
    }
    const rule = { min: 1, required: true, trim: true };
    checkString(errors, [...at, "name"], field.name, LIMITS.fieldName, rule);
    checkString(errors, [...at, "value"], field.value, LIMITS.fieldValue, rule);
    total += text(field.name) + text(field.value);
  });
  return total;
}
