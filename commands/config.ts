import {
  type APIApplicationCommandChannelOption,
  ApplicationCommandOptionType,
  ChannelType,
  MessageFlags,
  PermissionFlagsBits,
} from "discord.js";
import { forumInfo, tagChoices } from "../src/commands/channel-extras.js";
import type { Command } from "../src/commands/command.js";
import {
  addChannelReply,
  channelListReply,
  removeChannelReply,
  tagNames,
} from "../src/commands/config-channels.js";
import { CHANNEL_ADD_OPTIONS } from "../src/commands/config-options.js";
import { languageReply, scheduleReply, showReply } from "../src/commands/config-settings.js";
import { named, SERVER_ONLY } from "../src/commands/options.js";

const channelOption: APIApplicationCommandChannelOption = {
  type: ApplicationCommandOptionType.Channel,
  ...named("channel", "채널", "A text, announcement or forum channel", "텍스트·공지·포럼 채널"),
  channel_types: [ChannelType.GuildText, ChannelType.GuildAnnouncement, ChannelType.GuildForum],
  required: true,
};

/** `/config`: channels, schedule and language of this server (Manage Server only). */
const config: Command = {
  requiredPermission: PermissionFlagsBits.ManageGuild,
  data: {
    ...named("config", "설정", "Set up Paperboy for this server", "이 서버의 Paperboy 설정"),
    default_member_permissions: PermissionFlagsBits.ManageGuild.toString(),
    ...SERVER_ONLY,
    options: [
      {
        type: ApplicationCommandOptionType.SubcommandGroup,
        ...named("channel", "채널", "Channels that receive digests", "다이제스트를 받는 채널"),
        options: [
          {
            type: ApplicationCommandOptionType.Subcommand,
            ...named(
              "add",
              "추가",
              "Deliver digests to a channel (or change or resume it)",
              "채널에 다이제스트 보내기 (변경·재개도 여기서)",
            ),
            options: [channelOption, ...CHANNEL_ADD_OPTIONS],
          },
          {
            type: ApplicationCommandOptionType.Subcommand,
            ...named("remove", "삭제", "Stop delivering to a channel", "채널에 보내기 중단"),
            options: [channelOption],
          },
          {
            type: ApplicationCommandOptionType.Subcommand,
            ...named(
              "list",
              "목록",
              "Channels that receive digests",
              "다이제스트를 받는 채널 목록",
            ),
            options: [
              {
                type: ApplicationCommandOptionType.Integer,
                ...named(
                  "page",
                  "쪽",
                  "Which page of a long list (default 1)",
                  "긴 목록의 몇째 쪽 (기본 1)",
                ),
                min_value: 1,
                max_value: 1000,
              },
            ],
          },
        ],
      },
      {
        type: ApplicationCommandOptionType.Subcommand,
        ...named(
          "schedule",
          "일정",
          "When digests go out, in this server's time zone",
          "다이제스트를 보낼 시각 (서버 시간대 기준)",
        ),
        options: [
          {
            type: ApplicationCommandOptionType.String,
            ...named(
              "cron",
              "크론",
              'A cron expression, e.g. "0 9 * * *" for 09:00 daily',
              '크론 식 (예: "0 9 * * *" = 매일 09:00)',
            ),
            required: true,
            max_length: 100,
          },
          {
            type: ApplicationCommandOptionType.String,
            ...named(
              "timezone",
              "시간대",
              "An IANA time zone, e.g. Asia/Seoul",
              "IANA 시간대 (예: Asia/Seoul)",
            ),
            required: true,
            max_length: 64,
          },
        ],
      },
      {
        type: ApplicationCommandOptionType.Subcommand,
        ...named(
          "language",
          "언어",
          "The language of digests and replies in this server",
          "이 서버의 다이제스트·응답 언어",
        ),
        options: [
          {
            type: ApplicationCommandOptionType.String,
            ...named("value", "값", "Korean or English", "한국어 또는 영어"),
            required: true,
            choices: [
              { name: "한국어", value: "ko" },
              { name: "English", value: "en" },
            ],
          },
        ],
      },
      {
        type: ApplicationCommandOptionType.Subcommand,
        ...named("show", "보기", "This server's settings", "이 서버의 설정 보기"),
      },
    ],
  },

  async autocomplete(interaction) {
    if (!interaction.inCachedGuild()) return void (await interaction.respond([]));
    const channelId = interaction.options.get("channel")?.value;
    const channel =
      typeof channelId === "string" ? interaction.guild.channels.cache.get(channelId) : undefined;
    await interaction.respond(
      tagChoices(channel ? forumInfo(channel) : null, interaction.options.getFocused()),
    );
  },

  async execute(interaction, ctx, language) {
    if (!interaction.inCachedGuild()) return;
    const guildId = interaction.guildId;
    const group = interaction.options.getSubcommandGroup(false);
    const sub = interaction.options.getSubcommand();
    const text = await (async () => {
      if (group === "channel" && sub === "add") return addChannelReply(interaction, ctx, language);
      if (group === "channel" && sub === "remove")
        return removeChannelReply(interaction, ctx, language);
      if (group === "channel")
        return channelListReply(
          ctx,
          guildId,
          language,
          interaction.options.getInteger("page"),
          tagNames(interaction.guild),
        );
      if (sub === "schedule")
        return scheduleReply(
          ctx,
          guildId,
          interaction.options.getString("cron", true).trim(),
          interaction.options.getString("timezone", true).trim(),
          language,
        );
      if (sub === "language")
        return languageReply(ctx, guildId, interaction.options.getString("value", true));
      return showReply(ctx, guildId, language, tagNames(interaction.guild));
    })();
    await interaction.reply({
      content: text,
      flags: MessageFlags.Ephemeral,
      allowedMentions: { parse: [] },
    });
  },
};

export default config;
