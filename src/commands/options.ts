import { type APIApplicationCommandStringOption, ApplicationCommandOptionType } from "discord.js";

/** The optional `date` option of commands that default to the latest digest. */
export const DIGEST_DATE_OPTION: APIApplicationCommandStringOption = {
  type: ApplicationCommandOptionType.String,
  name: "date",
  name_localizations: { ko: "날짜" },
  description: "YYYY-MM-DD (default: the latest digest)",
  description_localizations: { ko: "YYYY-MM-DD (기본: 최신 다이제스트)" },
  min_length: 10,
  max_length: 10,
};
