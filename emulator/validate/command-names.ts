import type { FormErrorCollector } from "../errors.js";
import { checkString, isObject, type Path } from "./common.js";
import { LIMITS } from "./limits.js";

/** Locales Discord accepts as localization keys (docs: reference#locales). */
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

/** A command or option name: 1–32 characters; chat-input names lower case, no spaces. */
export function checkName(
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

/** A localization dictionary: known locales only, each value checked like the default. */
export function checkLocalizations(
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
