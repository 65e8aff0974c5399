import { ApplicationCommandOptionType, MessageFlags, PermissionFlagsBits } from "discord.js";
import type { Command } from "../src/commands/command.js";
import { requireInServer, requireOwnSubscription } from "../src/commands/guild-scope.js";
import { DIGEST_DATE_OPTION, named, SERVER_ONLY } from "../src/commands/options.js";
import { statusText } from "../src/commands/status-text.js";
import { whyText } from "../src/commands/why-text.js";

/**
 * `/status`: archive, schedule, last deliveries, paused channels and gateway latency; with
 * `digest` (or `channel` or `paper`), why that digest or paper did or did not reach each channel.
 */
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
    options: [
      {
        ...DIGEST_DATE_OPTION,
        ...named(
          "digest",
          "다이제스트",
          "Why a digest did or did not arrive: YYYY-MM-DD",
          "다이제스트가 왜 왔는지 또는 오지 않았는지: YYYY-MM-DD",
        ),
      },
      {
        type: ApplicationCommandOptionType.Channel,
        ...named(
          "channel",
          "채널",
          "With digest: only this channel (default: every subscribed channel)",
          "digest와 함께: 이 채널만 (기본: 모든 구독 채널)",
        ),
      },
      {
        type: ApplicationCommandOptionType.String,
        ...named(
          "paper",
          "논문",
          "With digest: one paper, by title or arXiv id",
          "digest와 함께: 제목이나 arXiv 번호로 논문 하나",
        ),
        max_length: 200,
      },
    ],
  },

  async execute(interaction, ctx, language) {
    if (!interaction.inGuild()) return;
    const date = interaction.options.getString("digest");
    const channel = interaction.options.getChannel("channel");
    // A command acts only on its own server: another server's channel (as the bot knows it, or
    // as the ledger does) is refused, and logged.
    if (channel) {
      const scope = {
        guildId: interaction.guildId,
        userId: interaction.user.id,
        command: "status",
      };
      const known = (channel as { guildId?: string | null }).guildId;
      requireInServer(
        { kind: "channel", id: channel.id, inServer: !known || known === interaction.guildId },
        scope,
        ctx.logger,
      );
      requireOwnSubscription(await ctx.store.subscription(channel.id), scope, ctx.logger);
    }
    const paper = interaction.options.getString("paper");
    const asked = date ?? (channel || paper ? ctx.catalog().newest()?.date : null);
    await interaction.reply({
      content: asked
        ? await whyText(
            ctx,
            interaction.guildId,
            { date: asked, channelId: channel?.id ?? null, paper },
            language,
          )
        : await statusText(
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
