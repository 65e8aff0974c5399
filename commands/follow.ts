import { ApplicationCommandOptionType, InteractionContextType, MessageFlags } from "discord.js";
import { follow } from "../src/alerts/follow-actions.js";
import { MAX_TOPIC_LENGTH } from "../src/alerts/model.js";
import { ta } from "../src/alerts/text.js";
import type { Command } from "../src/commands/command.js";
import { ANYWHERE, named } from "../src/commands/options.js";
import { authorChoices } from "../src/views/author-choices.js";
import { paperCardView } from "../src/views/paper.js";

/** `/follow author:` or `/follow topic:`: a direct message when a new digest has a match. */
const followCommand: Command = {
  data: {
    ...named(
      "follow",
      "팔로우",
      "Get a direct message when a new digest has a paper by this author or on this topic",
      "이 저자나 주제의 논문이 새 다이제스트에 나오면 DM으로 알려 줍니다",
    ),
    ...ANYWHERE,
    options: [
      {
        type: ApplicationCommandOptionType.String,
        ...named(
          "author",
          "저자",
          "An author's name (suggestions from the archive; accents and case do not matter)",
          "저자 이름 (아카이브에서 추천; 대소문자·악센트 무시)",
        ),
        autocomplete: true,
        max_length: 100,
      },
      {
        type: ApplicationCommandOptionType.String,
        ...named(
          "topic",
          "주제",
          "Words to find in titles and summaries, Korean too (every word must appear)",
          "제목과 요약에서 찾을 낱말, 한국어도 (모든 낱말이 있어야 함)",
        ),
        max_length: MAX_TOPIC_LENGTH,
      },
    ],
  },

  async autocomplete(interaction, ctx) {
    await interaction.respond(authorChoices(ctx.index(), String(interaction.options.getFocused())));
  },

  async execute(interaction, ctx, language) {
    const content = await follow(
      { store: ctx.store, catalog: ctx.catalog() },
      {
        userId: interaction.user.id,
        author: interaction.options.getString("author"),
        topic: interaction.options.getString("topic"),
        language,
        inBotDm: interaction.context === InteractionContextType.BotDM,
      },
    );
    await interaction.reply({
      content,
      flags: MessageFlags.Ephemeral,
      allowedMentions: { parse: [] },
    });
  },

  /** `follow:card:<date>:<position>`: an alert's button, answered with the paper's full card. */
  async component(interaction, ctx, language) {
    const [, action, date = "", position = "", id] = interaction.customId.split(":");
    const catalog = ctx.catalog();
    const papers = action === "card" ? (catalog.digest(date)?.papers ?? []) : [];
    // By arXiv id first: the digest may have changed since the alert was sent.
    const byId = id ? papers.findIndex((p) => p.id === id) : -1;
    const index = byId >= 0 ? byId : Number(position) - 1;
    const paper = papers[index];
    if (!paper) {
      await interaction.reply({
        content: ta(language, "cardGone"),
        flags: MessageFlags.Ephemeral,
        allowedMentions: { parse: [] },
      });
      return;
    }
    await interaction.reply({
      ...paperCardView(catalog, { paper, date, position: index + 1 }, language),
      flags: MessageFlags.IsComponentsV2 | MessageFlags.Ephemeral,
    });
  },
};

export default followCommand;
