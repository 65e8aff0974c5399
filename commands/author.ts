import { ApplicationCommandOptionType } from "discord.js";
import { foldName } from "../src/archive/search-key.js";
import { type Command, type CommandContext, UserError } from "../src/commands/command.js";
import { ANYWHERE, named } from "../src/commands/options.js";
import { both, tc } from "../src/commands/text.js";
import { truncate } from "../src/discord/limits.js";
import type { Language } from "../src/i18n.js";
import { authorChoices } from "../src/views/author-choices.js";
import { listPage } from "../src/views/list.js";

/** Custom id of a page: `author:<page>:<name>` (names are cut to fit the 100-character id). */
const pageId = (name: string) => (page: number) =>
  truncate(`author:${page}:${name}`, 100).replace(/…$/, "");

function render(ctx: CommandContext, name: string, page: number, language: Language) {
  const refs = ctx.catalog().byAuthor(name);
  if (refs.length === 0) throw new UserError(both("noAuthor", name));
  const key = foldName(name);
  const shown =
    refs[0]?.paper.authors.find((a) => foldName(a) === key || foldName(a).endsWith(` ${key}`)) ??
    name;
  return listPage(
    tc(language, "authorTitle")(shown, refs.length),
    refs,
    page,
    language,
    pageId(name),
  );
}

/** `/author name`: an author's papers, newest first, paged, with a count. */
const author: Command = {
  data: {
    ...named(
      "author",
      "저자",
      "Papers by an author, newest first",
      "저자의 논문을 최신순으로 보여 줍니다",
    ),
    ...ANYWHERE,
    options: [
      {
        type: ApplicationCommandOptionType.String,
        ...named(
          "name",
          "이름",
          "Full name or surname (accents and case do not matter)",
          "이름 또는 성 (대소문자·악센트 무시)",
        ),
        required: true,
        autocomplete: true,
        max_length: 80,
      },
    ],
  },

  async autocomplete(interaction, ctx) {
    await interaction.respond(authorChoices(ctx.index(), String(interaction.options.getFocused())));
  },

  async execute(interaction, ctx, language) {
    await interaction.reply(
      render(ctx, interaction.options.getString("name", true).trim(), 0, language),
    );
  },

  async component(interaction, ctx, language) {
    const [, page = "0", ...rest] = interaction.customId.split(":");
    await interaction.update(render(ctx, rest.join(":"), Number(page), language));
  },
};

export default author;
