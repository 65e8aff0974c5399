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

/**
 * Where a reader command can be used: installed to a server or by a user for themselves
 * (`integration_types` 0 and 1), in servers, in DMs with the bot and in private channels
 * (`contexts` 0, 1 and 2), so a reader can look papers up anywhere.
 */
export const ANYWHERE = { integration_types: [0, 1], contexts: [0, 1, 2] };

/** Where an admin command can be used: only in a server that installed the app. */
export const SERVER_ONLY = { integration_types: [0], contexts: [0] };

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
