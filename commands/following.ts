import { MessageFlags } from "discord.js";
import { deleteConfirmView, exportMessages, followingView } from "../src/alerts/following-view.js";
import { ta } from "../src/alerts/text.js";
import type { Command } from "../src/commands/command.js";
import { ANYWHERE, named } from "../src/commands/options.js";

const EPHEMERAL = { flags: MessageFlags.Ephemeral, allowedMentions: { parse: [] } } as const;

/** `/following`: what the reader follows, with remove, export and delete buttons; only they see it. */
const following: Command = {
  data: {
    ...named(
      "following",
      "팔로우목록",
      "The authors and topics you follow (only you see them), and your data",
      "내가 팔로우하는 저자와 주제 (나만 보임), 내 데이터 관리",
    ),
    ...ANYWHERE,
  },

  async execute(interaction, ctx, language) {
    const view = await followingView(ctx.store, interaction.user.id, language);
    await interaction.reply({ ...view, flags: MessageFlags.Ephemeral });
  },

  /**
   * `following:rm:<id>:<page>`, `following:page:<n>`, `following:export`, `following:delete`,
   * `following:delete-yes`. Every action is on the clicking user's own data, whatever the id says.
   */
  async component(interaction, ctx, language) {
    const userId = interaction.user.id;
    const [, action = "", first = "", second = "0"] = interaction.customId.split(":");
    switch (action) {
      case "rm": {
        await ctx.store.removeFollow(userId, Number(first));
        await interaction.update(await followingView(ctx.store, userId, language, Number(second)));
        return;
      }
      case "page":
        await interaction.update(await followingView(ctx.store, userId, language, Number(first)));
        return;
      case "export": {
        const [head, ...rest] = exportMessages(await ctx.store.readerData(userId), language);
        await interaction.reply({ content: head ?? "", ...EPHEMERAL });
        for (const content of rest) await interaction.followUp({ content, ...EPHEMERAL });
        return;
      }
      case "delete":
        await interaction.update(deleteConfirmView(language));
        return;
      case "delete-yes": {
        const gone = await ctx.store.deleteReader(userId);
        await interaction.update({
          content: ta(language, "deleted")(gone.follows, gone.alerts),
          embeds: [],
          components: [],
          allowedMentions: { parse: [] },
        });
        return;
      }
      default:
        await interaction.update(await followingView(ctx.store, userId, language));
    }
  },
};

export default following;
