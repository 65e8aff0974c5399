import { MessageFlags, PermissionFlagsBits } from "discord.js";
import type { Command } from "../src/commands/command.js";
import { named, SERVER_ONLY } from "../src/commands/options.js";
import { statusText } from "../src/commands/status-text.js";

/** `/status`: archive, schedule, last deliveries, paused channels and gateway latency. */
const status: Command = {
  requiredPermission: PermissionFlagsBits.ManageGuild,
  data: {
    ...named(
      "status",
      "상태",
      "Paperboy's state in this server: archive, schedule, deliveries, problems",
      "이 서버의 Paperboy 상태: 아카이브, 일정, 전달, 문제",
    ),
    default_member_permissions: PermissionFlagsBits.ManageGuild.toString(),
    ...SERVER_ONLY,
  },

  async execute(interaction, ctx, language) {
    if (!interaction.inGuild()) return;
    await interaction.reply({
      content: await statusText(
        ctx,
        interaction.guildId,
        language,
        ctx.config.ownerIds.includes(interaction.user.id),
      ),
      flags: MessageFlags.Ephemeral,
      allowedMentions: { parse: [] },
    });
  },
};

export default status;
