import { ApplicationIntegrationType, MessageFlags, PermissionFlagsBits } from "discord.js";
import type { Command } from "../src/commands/command.js";
import { helpText } from "../src/commands/help-text.js";
import { ANYWHERE, named } from "../src/commands/options.js";

/** `/help`: what the caller can do here; for a server's admin, the setup and the next step. */
const help: Command = {
  data: {
    ...named(
      "help",
      "도움말",
      "What Paperboy can do here, and for admins this server's setup",
      "여기서 Paperboy로 할 수 있는 일과, 관리자에게는 이 서버의 설정",
    ),
    ...ANYWHERE,
  },

  async execute(interaction, ctx, language) {
    const guildId = interaction.guildId;
    const owners = interaction.authorizingIntegrationOwners ?? {};
    const serverInstalled =
      guildId !== null && owners[ApplicationIntegrationType.GuildInstall] === guildId;
    await interaction.reply({
      content: await helpText(
        ctx,
        {
          context: interaction.context ?? (guildId ? 0 : 1),
          guildId,
          serverInstalled,
          admin: interaction.memberPermissions?.has(PermissionFlagsBits.ManageGuild) ?? false,
        },
        language,
      ),
      flags: MessageFlags.Ephemeral,
      allowedMentions: { parse: [] },
    });
  },
};

export default help;
