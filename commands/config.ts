import {
  type APIApplicationCommandChannelOption,
  ApplicationCommandOptionType,
  ChannelType,
  MessageFlags,
  PermissionFlagsBits,
} from "discord.js";
import type { Command } from "../src/commands/command.js";
import {
  addChannel,
  describeSubscription,
  formatInZone,
  setSchedule,
} from "../src/commands/config-actions.js";
import { pick } from "../src/commands/pick.js";
import { LANGUAGES, type Language } from "../src/i18n.js";

const channelOption: APIApplicationCommandChannelOption = {
  type: ApplicationCommandOptionType.Channel,
  name: "channel",
  name_localizations: { ko: "채널" },
  description: "A text, announcement or forum channel",
  description_localizations: { ko: "텍스트·공지·포럼 채널" },
  channel_types: [ChannelType.GuildText, ChannelType.GuildAnnouncement, ChannelType.GuildForum],
  required: true,
};

/** `/config`: channels, schedule and language of this server (Manage Server only). */
const config: Command = {
  requiredPermission: PermissionFlagsBits.ManageGuild,
  data: {
    name: "config",
    name_localizations: { ko: "설정" },
    description: "Set up Paperboy for this server",
    description_localizations: { ko: "이 서버의 Paperboy 설정" },
    default_member_permissions: PermissionFlagsBits.ManageGuild.toString(),
    contexts: [0],
    options: [
      {
        type: ApplicationCommandOptionType.SubcommandGroup,
        name: "channel",
        name_localizations: { ko: "채널" },
        description: "Channels that receive digests",
        description_localizations: { ko: "다이제스트를 받는 채널" },
        options: [
          {
            type: ApplicationCommandOptionType.Subcommand,
            name: "add",
            name_localizations: { ko: "추가" },
            description: "Deliver digests to a channel (or change or resume it)",
            description_localizations: { ko: "채널에 다이제스트 보내기 (변경·재개도 여기서)" },
            options: [
              channelOption,
              {
                type: ApplicationCommandOptionType.String,
                name: "mode",
                name_localizations: { ko: "방식" },
                description: "How papers arrive (default: embeds; forum channels: forum)",
                description_localizations: { ko: "보내는 방식 (기본: embeds, 포럼 채널은 forum)" },
                choices: [
                  {
                    name: "Embeds in the channel",
                    name_localizations: { ko: "채널에 임베드" },
                    value: "embeds",
                  },
                  {
                    name: "Header, papers in a thread",
                    name_localizations: { ko: "머리글 + 스레드" },
                    value: "thread",
                  },
                  {
                    name: "One forum post per digest",
                    name_localizations: { ko: "다이제스트마다 포럼 글" },
                    value: "forum",
                  },
                ],
              },
              {
                type: ApplicationCommandOptionType.Integer,
                name: "min_votes",
                name_localizations: { ko: "최소추천" },
                description: "Only papers with at least this many votes",
                description_localizations: { ko: "추천 수가 이 이상인 논문만" },
                min_value: 0,
                max_value: 10000,
              },
              {
                type: ApplicationCommandOptionType.Integer,
                name: "top_n",
                name_localizations: { ko: "상위" },
                description: "Only the N best-voted papers",
                description_localizations: { ko: "추천 상위 N편만" },
                min_value: 1,
                max_value: 100,
              },
              {
                type: ApplicationCommandOptionType.String,
                name: "include",
                name_localizations: { ko: "포함" },
                description: "Keywords, comma-separated: a paper must mention one",
                description_localizations: { ko: "쉼표로 나눈 키워드 중 하나가 들어간 논문만" },
                max_length: 200,
              },
              {
                type: ApplicationCommandOptionType.String,
                name: "exclude",
                name_localizations: { ko: "제외" },
                description: "Keywords, comma-separated: papers mentioning one are left out",
                description_localizations: { ko: "쉼표로 나눈 키워드가 들어간 논문은 빼기" },
                max_length: 200,
              },
              {
                type: ApplicationCommandOptionType.Role,
                name: "role",
                name_localizations: { ko: "역할" },
                description: "A role to mention with each digest (only this role is pinged)",
                description_localizations: { ko: "다이제스트마다 부를 역할 (이 역할만 알림)" },
              },
            ],
          },
          {
            type: ApplicationCommandOptionType.Subcommand,
            name: "remove",
            name_localizations: { ko: "삭제" },
            description: "Stop delivering to a channel",
            description_localizations: { ko: "채널에 보내기 중단" },
            options: [channelOption],
          },
          {
            type: ApplicationCommandOptionType.Subcommand,
            name: "list",
            name_localizations: { ko: "목록" },
            description: "Channels that receive digests",
            description_localizations: { ko: "다이제스트를 받는 채널 목록" },
          },
        ],
      },
      {
        type: ApplicationCommandOptionType.Subcommand,
        name: "schedule",
        name_localizations: { ko: "일정" },
        description: "When digests go out, in this server's time zone",
        description_localizations: { ko: "다이제스트를 보낼 시각 (서버 시간대 기준)" },
        options: [
          {
            type: ApplicationCommandOptionType.String,
            name: "cron",
            name_localizations: { ko: "크론" },
            description: 'A cron expression, e.g. "0 9 * * *" for 09:00 daily',
            description_localizations: { ko: '크론 식 (예: "0 9 * * *" = 매일 09:00)' },
            required: true,
            max_length: 100,
          },
          {
            type: ApplicationCommandOptionType.String,
            name: "timezone",
            name_localizations: { ko: "시간대" },
            description: "An IANA time zone, e.g. Asia/Seoul",
            description_localizations: { ko: "IANA 시간대 (예: Asia/Seoul)" },
            required: true,
            max_length: 64,
          },
        ],
      },
      {
        type: ApplicationCommandOptionType.Subcommand,
        name: "language",
        name_localizations: { ko: "언어" },
        description: "The language of digests and replies in this server",
        description_localizations: { ko: "이 서버의 다이제스트·응답 언어" },
        options: [
          {
            type: ApplicationCommandOptionType.String,
            name: "value",
            name_localizations: { ko: "값" },
            description: "Korean or English",
            description_localizations: { ko: "한국어 또는 영어" },
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
        name: "show",
        name_localizations: { ko: "보기" },
        description: "This server's settings",
        description_localizations: { ko: "이 서버의 설정 보기" },
      },
    ],
  },

  async execute(interaction, ctx, language) {
    if (!interaction.inCachedGuild()) return;
    const guildId = interaction.guildId;
    const group = interaction.options.getSubcommandGroup(false);
    const sub = interaction.options.getSubcommand();
    const reply = (content: string) =>
      interaction.reply({ content, flags: MessageFlags.Ephemeral, allowedMentions: { parse: [] } });

    if (group === "channel" && sub === "add") {
      const channel = interaction.options.getChannel("channel", true);
      const me = interaction.guild.members.me;
      const granted =
        me && "permissionsFor" in channel ? (channel.permissionsFor(me)?.bitfield ?? 0n) : 0n;
      const subscription = addChannel(ctx, {
        guildId,
        channelId: channel.id,
        channelType: channel.type,
        mode: interaction.options.getString("mode") as "embeds" | "thread" | "forum" | null,
        minVotes: interaction.options.getInteger("min_votes"),
        topN: interaction.options.getInteger("top_n"),
        include: interaction.options.getString("include"),
        exclude: interaction.options.getString("exclude"),
        roleId: interaction.options.getRole("role")?.id ?? null,
        adminId: interaction.user.id,
        botPermissions: granted,
      });
      return void (await reply(`✅ ${describeSubscription(subscription, language)}`));
    }
    if (group === "channel" && sub === "remove") {
      const channel = interaction.options.getChannel("channel", true);
      const removed = ctx.store.removeSubscription(channel.id);
      return void (await reply(
        removed
          ? pick(language, {
              ko: `🗑️ <#${channel.id}> 채널에 더 보내지 않습니다.`,
              en: `🗑️ <#${channel.id}> no longer receives digests.`,
            })
          : pick(language, {
              ko: `<#${channel.id}> 채널은 구독 중이 아닙니다.`,
              en: `<#${channel.id}> was not subscribed.`,
            }),
      ));
    }
    if (group === "channel" && sub === "list") {
      const lines = ctx.store
        .subscriptions(guildId)
        .map((s) => `• ${describeSubscription(s, language)}`);
      const none = pick(language, {
        ko: "구독 중인 채널이 없습니다. `/config channel add`로 추가하세요.",
        en: "No channel receives digests yet. Add one with `/config channel add`.",
      });
      return void (await reply(lines.length > 0 ? lines.join("\n") : none));
    }
    if (sub === "schedule") {
      const timezone = interaction.options.getString("timezone", true).trim();
      const runs = setSchedule(
        ctx,
        guildId,
        interaction.options.getString("cron", true).trim(),
        timezone,
      );
      const head = pick(language, {
        ko: `⏰ 일정을 바꿨습니다 (${timezone}). 다음 세 번:`,
        en: `⏰ Schedule set (${timezone}). The next three runs:`,
      });
      return void (await reply(
        `${head}\n${runs.map((r) => `• ${formatInZone(r, timezone, language)}`).join("\n")}`,
      ));
    }
    if (sub === "language") {
      const value = interaction.options.getString("value", true) as Language;
      if (!LANGUAGES.includes(value)) return;
      ctx.store.saveGuildSettings(guildId, { language: value });
      return void (await reply(
        value === "ko"
          ? "🌐 이제 한국어로 보냅니다."
          : "🌐 Digests and replies are now in English.",
      ));
    }
    const settings = ctx.service.settings(guildId);
    const channels = ctx.store
      .subscriptions(guildId)
      .map((s) => `• ${describeSubscription(s, language)}`);
    await reply(
      [
        pick(language, {
          ko: `🌐 언어: ${settings.language}`,
          en: `🌐 Language: ${settings.language}`,
        }),
        pick(language, {
          ko: `⏰ 일정: \`${settings.schedule}\` (${settings.timezone})`,
          en: `⏰ Schedule: \`${settings.schedule}\` (${settings.timezone})`,
        }),
        ...channels,
      ].join("\n"),
    );
  },
};

export default config;
