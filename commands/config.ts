import {
  type APIApplicationCommandChannelOption,
  ApplicationCommandOptionType,
  ChannelType,
  MessageFlags,
  PermissionFlagsBits,
} from "discord.js";
import {
  checkRoleMention,
  forumInfo,
  resolveForumTag,
  tagChoices,
} from "../src/commands/channel-extras.js";
import type { Command } from "../src/commands/command.js";
import {
  addChannel,
  describeSubscription,
  formatInZone,
  setSchedule,
} from "../src/commands/config-actions.js";
import {
  requireInServer,
  requireOwnSubscription,
  roleInServer,
} from "../src/commands/guild-scope.js";
import { named } from "../src/commands/options.js";
import { pick } from "../src/commands/pick.js";
import { LANGUAGES, type Language } from "../src/i18n.js";

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
    contexts: [0],
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
            options: [
              channelOption,
              {
                type: ApplicationCommandOptionType.String,
                ...named(
                  "mode",
                  "방식",
                  "How papers arrive (default: embeds; forum channels: forum)",
                  "보내는 방식 (기본: embeds, 포럼 채널은 forum)",
                ),
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
                ...named(
                  "min_votes",
                  "최소추천",
                  "Only papers with at least this many votes",
                  "추천 수가 이 이상인 논문만",
                ),
                min_value: 0,
                max_value: 10000,
              },
              {
                type: ApplicationCommandOptionType.Integer,
                ...named("top_n", "상위", "Only the N best-voted papers", "추천 상위 N편만"),
                min_value: 1,
                max_value: 100,
              },
              {
                type: ApplicationCommandOptionType.String,
                ...named(
                  "include",
                  "포함",
                  "Keywords, comma-separated: a paper must mention one",
                  "쉼표로 나눈 키워드 중 하나가 들어간 논문만",
                ),
                max_length: 200,
              },
              {
                type: ApplicationCommandOptionType.String,
                ...named(
                  "exclude",
                  "제외",
                  "Keywords, comma-separated: papers mentioning one are left out",
                  "쉼표로 나눈 키워드가 들어간 논문은 빼기",
                ),
                max_length: 200,
              },
              {
                type: ApplicationCommandOptionType.Role,
                ...named(
                  "role",
                  "역할",
                  "A role to mention with each digest (only this role is pinged)",
                  "다이제스트마다 부를 역할 (이 역할만 알림)",
                ),
              },
              {
                type: ApplicationCommandOptionType.String,
                ...named(
                  "tag",
                  "태그",
                  "Forum channels: the tag each post carries",
                  "포럼 채널: 글마다 붙일 태그",
                ),
                autocomplete: true,
                max_length: 100,
              },
            ],
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
    const reply = (content: string) =>
      interaction.reply({ content, flags: MessageFlags.Ephemeral, allowedMentions: { parse: [] } });

    const scope = { guildId, userId: interaction.user.id, command: "config" };
    // Discord offers only this server's channels and roles; a forged option must not reach another.
    const ownChannel = (id: string) => {
      requireInServer(
        { kind: "channel", id, inServer: interaction.guild.channels.cache.has(id) },
        scope,
        ctx.logger,
      );
      requireOwnSubscription(ctx.store.subscription(id), scope, ctx.logger);
    };

    if (group === "channel" && sub === "add") {
      const channel = interaction.options.getChannel("channel", true);
      ownChannel(channel.id);
      const role = interaction.options.getRole("role");
      if (role)
        requireInServer(
          {
            kind: "role",
            id: role.id,
            inServer: roleInServer(interaction.client, guildId, role.id),
          },
          scope,
          ctx.logger,
        );
      const me = interaction.guild.members.me;
      const granted =
        me && "permissionsFor" in channel ? (channel.permissionsFor(me)?.bitfield ?? 0n) : 0n;
      checkRoleMention(role, (granted & PermissionFlagsBits.MentionEveryone) !== 0n);
      const cached = interaction.guild.channels.cache.get(channel.id);
      const forumTagId = resolveForumTag(
        cached ? forumInfo(cached) : null,
        interaction.options.getString("tag"),
      );
      const subscription = addChannel(ctx, {
        guildId,
        channelId: channel.id,
        channelType: channel.type,
        mode: interaction.options.getString("mode") as "embeds" | "thread" | "forum" | null,
        minVotes: interaction.options.getInteger("min_votes"),
        topN: interaction.options.getInteger("top_n"),
        include: interaction.options.getString("include"),
        exclude: interaction.options.getString("exclude"),
        roleId: role?.id ?? null,
        forumTagId,
        adminId: interaction.user.id,
        botPermissions: granted,
      });
      return void (await reply(`✅ ${describeSubscription(subscription, language)}`));
    }
    if (group === "channel" && sub === "remove") {
      const channel = interaction.options.getChannel("channel", true);
      ownChannel(channel.id);
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
