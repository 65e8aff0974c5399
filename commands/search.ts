import { ApplicationCommandOptionType } from "discord.js";
import { type Command, type CommandContext, UserError } from "../src/commands/command.js";
import { ANYWHERE, named } from "../src/commands/options.js";
import { both, tc } from "../src/commands/text.js";
import { truncate } from "../src/discord/limits.js";
import type { Language } from "../src/i18n.js";
import { listPage } from "../src/views/list.js";

const pageId = (text: string) => (page: number) =>
  truncate(`search:${page}:${text}`, 100).replace(/…$/, "");

function render(ctx: CommandContext, text: string, page: number, language: Language) {
  const refs = ctx.index().search(text);
  if (refs.length === 0) throw new UserError(both("noResults", text));
  return listPage(
    tc(language, "searchTitle")(text, refs.length),
    refs,
    page,
    language,
    pageId(text),
  );
}

/** `/search text`: full-text search over titles and the Korean summaries, ranked and paged. */
const search: Command = {
  data: {
    ...named(
      "search",
      "검색",
      "Search titles and summaries (Korean words match inside longer words)",
      "제목과 요약에서 검색합니다 (붙여 쓴 한국어도 찾습니다)",
    ),
    ...ANYWHERE,
    options: [
      {
        type: ApplicationCommandOptionType.String,
        ...named(
          "text",
          "검색어",
          "Words to find; every word must appear",
          "찾을 단어 (모든 단어가 들어간 논문)",
        ),
        required: true,
        min_length: 1,
        max_length: 80,
      },
    ],
  },

  async execute(interaction, ctx, language) {
    await interaction.reply(
      render(ctx, interaction.options.getString("text", true).trim(), 0, language),
    );
  },

  async component(interaction, ctx, language) {
    const [, page = "0", ...rest] = interaction.customId.split(":");
    await interaction.update(render(ctx, rest.join(":"), Number(page), language));
  },
};

export default search;
