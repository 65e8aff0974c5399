import { isObject, type Json } from "./common.js";
import { codePoints } from "./limits.js";

/** docs: interactions/application-commands#slash-commands (the 8,000-character warning). */
export const COMMAND_CHARACTERS = 8000;

/** The longest of a field's default value and its localizations, in code points. */
function longest(value: unknown, localizations: unknown): number {
  const texts = [value, ...(isObject(localizations) ? Object.values(localizations) : [])];
  return Math.max(0, ...texts.map((t) => (typeof t === "string" ? codePoints(t) : 0)));
}

/**
 * Characters a command counts towards Discord's limit: name, description and value of the
 * command, every option (subcommands and groups included) and every choice, each field counted
 * at its longest localization. A number choice value is counted as its decimal text (the docs
 * say "value properties" without saying how numbers count: counting them is the strict reading).
 */
export function commandCharacters(node: Json): number {
  let total = longest(node.name, node.name_localizations);
  total += longest(node.description, node.description_localizations);
  if (node.value !== undefined && node.value !== null) total += codePoints(String(node.value));
  for (const child of [node.options, node.choices]) {
    if (!Array.isArray(child)) continue;
    for (const item of child) if (isObject(item)) total += commandCharacters(item);
  }
  return total;
}
