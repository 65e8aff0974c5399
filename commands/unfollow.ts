import { ApplicationCommandOptionType, MessageFlags } from "discord.js";
import { followChoices, unfollow } from "../src/alerts/follow-actions.js";
import type { Command } from "../src/commands/command.js";
import { ANYWHERE, named } from "../src/commands/options.js";

/** `/unfollow follow:`: stops one follow, picked from the reader's own. */
const unfollowCommand: Command = {
  data: {
    ...named(
      "unfollow",
      "언팔로우",
      "Stop following an author or a topic",
      "저자나 주제 팔로우를 그만둡니다",
    ),
    ...ANYWHERE,
    options: [
      {
        type: ApplicationCommandOptionType.String,
        ...named("follow", "팔로우", "One of the things you follow", "팔로우 중인 항목"),
        autocomplete: true,
        max_length: 100,
      },
      {
        type: ApplicationCommandOptionType.String,
        ...named("author", "저자", "An author you follow", "팔로우 중인 저자"),
        autocomplete: true,
        max_length: 100,
      },
      {
        type: ApplicationCommandOptionType.String,
        ...named("topic", "주제", "A topic you follow", "팔로우 중인 주제"),
        autocomplete: true,
        max_length: 100,
      },
    ],
  },

  async autocomplete(interaction, ctx, language) {
    const focused = interaction.options.getFocused(true);
    const kind = focused.name === "author" || focused.name === "topic" ? focused.name : null;
    await interaction.respond(
      await followChoices(ctx.store, interaction.user.id, String(focused.value), language, kind),
    );
  },

  async execute(interaction, ctx, language) {
    const content = await unfollow(ctx.store, {
      userId: interaction.user.id,
      choice:
        interaction.options.getString("follow") ??
        interaction.options.getString("author") ??
        interaction.options.getString("topic") ??
        "",
      language,
    });
    await interaction.reply({
      content,
      flags: MessageFlags.Ephemeral,
      allowedMentions: { parse: [] },
    });
  },
};

export default unfollowCommand;
