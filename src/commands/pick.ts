import type { Language } from "../i18n.js";

/** One reply in the user's language, for texts used in one place only. */
export function pick(language: Language, text: Record<Language, string>): string {
  return text[language];
}
