import type { FormErrorCollector } from "../errors.js";
import { checkArray, checkString, checkUrl, isObject, type Json, type Path } from "./common.js";
import { codePoints, LIMITS } from "./limits.js";

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

function text(value: unknown): number {
  return typeof value === "string" ? codePoints(value) : 0;
}

/** Validates one embed; returns the characters it counts toward the 6,000 total. */
function validateEmbed(errors: FormErrorCollector, path: Path, embed: Json): number {
  checkString(errors, [...path, "title"], embed.title, LIMITS.embedTitle);
  checkString(errors, [...path, "description"], embed.description, LIMITS.embedDescription);
  checkUrl(errors, [...path, "url"], embed.url);
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
  if (embed.timestamp !== undefined && Number.isNaN(Date.parse(String(embed.timestamp)))) {
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
    else checkUrl(errors, [...path, key, "url"], media.url, ["http", "https", "attachment"]);
  }
  if (isObject(embed.footer)) {
    checkString(errors, [...path, "footer", "text"], embed.footer.text, LIMITS.footerText, {
      required: true,
    });
    checkUrl(errors, [...path, "footer", "icon_url"], embed.footer.icon_url, [
      "http",
      "https",
      "attachment",
    ]);
    total += text(embed.footer.text);
  }
  if (isObject(embed.author)) {
    checkString(errors, [...path, "author", "name"], embed.author.name, LIMITS.authorName, {
      required: true,
    });
    checkUrl(errors, [...path, "author", "url"], embed.author.url);
    total += text(embed.author.name);
  }
  const fields = checkArray(errors, [...path, "fields"], embed.fields, LIMITS.embedFields);
  fields.forEach((field, index) => {
    const at = [...path, "fields", index];
    if (!isObject(field)) {
      errors.add(at, "MODEL_TYPE_CONVERT", "Only dictionaries may be used in a ModelType");
      return;
    }
    checkString(errors, [...at, "name"], field.name, LIMITS.fieldName, { min: 1, required: true });
    checkString(errors, [...at, "value"], field.value, LIMITS.fieldValue, {
      min: 1,
      required: true,
    });
    total += text(field.name) + text(field.value);
  });
  return total;
}
