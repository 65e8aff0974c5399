import { ApplicationCommandOptionType, MessageFlags } from "discord.js";
import { type Command, UserError } from "../src/commands/command.js";
import { ANYWHERE, named } from "../src/commands/options.js";
import { paperReply } from "../src/commands/paper-reply.js";
import { t } from "../src/i18n.js";
import { perPaper } from "../src/search/per-paper.js";
import { paperChoice } from "../src/views/paper.js";

/** Each paper's choice, made once: cutting a long title to Discord's limit costs more than the lookup. */
const choiceOf = perPaper(paperChoice);

/** `/paper query`: one paper from the whole archive, by title (typos tolerated) or arXiv id. */
const paper: Command = {
  data: {
    ...named(
      "paper",
      "논문",
      "Show a paper from the archive, by title or arXiv id",
      "아카이브에서 논문을 제목이나 arXiv 번호로 찾아 보여 줍니다",
    ),
    ...ANYWHERE,
    options: [
      {
        type: ApplicationCommandOptionType.String,
        ...named(
          "query",
          "검색어",
          "Title words or an arXiv id (suggestions appear as you type)",
          "제목 일부 또는 arXiv 번호 (입력하면 추천이 나옵니다)",
        ),
        required: true,
        autocomplete: true,
        max_length: 200,
      },
    ],
  },

  async autocomplete(interaction, ctx) {
    const query = String(interaction.options.getFocused());
    await interaction.respond(ctx.index().suggestPapers(query, 25).map(choiceOf));
  },

  async execute(interaction, ctx, language) {
    const query = interaction.options.getString("query", true).trim();
    const catalog = ctx.catalog();
    const ref =
      catalog.paper(query) ?? catalog.paperByUrl(query) ?? ctx.index().suggestPapers(query, 1)[0];
    if (!ref)
      throw new UserError({ ko: t("ko", "noSuchPaper")(query), en: t("en", "noSuchPaper")(query) });
    // Asked in a channel that gets cards: the answer is a card too.
    await interaction.reply(
      await paperReply(
        ctx,
        { guildId: interaction.guildId, channelId: interaction.channelId },
        ref,
        language,
        MessageFlags.SuppressNotifications,
      ),
    );
  },
};

export default paper;
