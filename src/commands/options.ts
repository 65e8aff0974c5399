import { type APIApplicationCommandStringOption, ApplicationCommandOptionType } from "discord.js";

/** A command's or option's English name and description with their Korean localizations. */
export function named(name: string, nameKo: string, description: string, descriptionKo: string) {
  return {
    name,
    name_localizations: { ko: nameKo },
    description,
    description_localizations: { ko: descriptionKo },
  };
}

/** The optional `date` option of commands that default to the latest digest. */
export const DIGEST_DATE_OPTION: APIApplicationCommandStringOption = {
  type: ApplicationCommandOptionType.String,
  ...named(
    "date",
    "날짜",
    "YYYY-MM-DD (default: the latest digest)",
    "YYYY-MM-DD (기본: 최신 다이제스트)",
  ),
  min_length: 10,
  max_length: 10,
};
