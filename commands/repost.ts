import {
  ApplicationCommandOptionType,
  ChannelType,
  MessageFlags,
  PermissionFlagsBits,
} from "discord.js";
import { type Command, UserError } from "../src/commands/command.js";
import { requireInServer, requireOwnSubscription } from "../src/commands/guild-scope.js";
import { DIGEST_DATE_OPTION, named, SERVER_ONLY } from "../src/commands/options.js";
import { pick } from "../src/commands/pick.js";
import { describeDelivery } from "../src/delivery/report.js";
import { digestForDate } from "../src/views/periods.js";

/** `/repost [date] [channel]`: posts a digest again on purpose (a new delivery), to one channel or all. */
const repost: Command = {
  requiredPermission: PermissionFlagsBits.ManageGuild,
  data: {
    ...named(
      "repost",
      "다시보내기",
      "Post a digest again, to one channel or every subscribed channel",
      "다이제스트를 한 채널 또는 모든 구독 채널에 다시 보냅니다",
    ),
    default_member_permissions: PermissionFlagsBits.ManageGuild.toString(),
    ...SERVER_ONLY,
    options: [
      DIGEST_DATE_OPTION,
      {
        type: ApplicationCommandOptionType.Channel,
        ...named(
          "channel",
          "채널",
          "Only this channel (default: every subscribed channel)",
          "이 채널에만 (기본: 모든 구독 채널)",
        ),
        channel_types: [
          ChannelType.GuildText,
          ChannelType.GuildAnnouncement,
          ChannelType.GuildForum,
        ],
      },
    ],
  },

  async execute(interaction, ctx, language) {
    if (!interaction.inGuild()) return;
    const digest = digestForDate(ctx.catalog(), interaction.options.getString("date"));
    const channel = interaction.options.getChannel("channel");
    if (channel) {
      const scope = {
        guildId: interaction.guildId,
        userId: interaction.user.id,
        command: "repost",
      };
      const inServer = interaction.guild?.channels.cache.has(channel.id) ?? false;
      requireInServer({ kind: "channel", id: channel.id, inServer }, scope, ctx.logger);
      requireOwnSubscription(await ctx.store.subscription(channel.id), scope, ctx.logger);
    }
    if (!channel && (await ctx.store.subscriptions(interaction.guildId)).length === 0) {
      throw new UserError({
        ko: "구독 중인 채널이 없습니다. 채널을 지정해 주세요.",
        en: "No channel is subscribed; name one.",
      });
    }
    // A delivery can take longer than Discord's 3 seconds: answer first, report when done.
    await interaction.deferReply({ flags: MessageFlags.Ephemeral });
    const outcomes = await ctx.service.repost(
      digest.date,
      channel?.id ?? null,
      interaction.guildId,
    );
    // Says what arrived and what did not, and why: "paused — 2 of 3 messages delivered; …".
    const lines = outcomes.map(
      (o) => `• <#${o.channelId}>: ${describeDelivery(language, o.status, o.counts, o.error)}`,
    );
    const head = pick(language, {
      ko: `📨 ${digest.date} 다이제스트를 다시 보냈습니다:`,
      en: `📨 Reposted the ${digest.date} digest:`,
    });
    await interaction.editReply({
      content: `${head}\n${lines.join("\n")}`,
      allowedMentions: { parse: [] },
    });
  },
};

export default repost;
