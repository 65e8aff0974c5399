import { type ChatInputCommandInteraction, type Guild, PermissionFlagsBits } from "discord.js";
import type { Language } from "../i18n.js";
import type { DeliveryMode, PaperStyle } from "../render/digest-messages.js";
import { pagesOf } from "../views/fit-lines.js";
import { checkRoleMention, forumInfo, resolveForumTag } from "./channel-extras.js";
import { type CommandContext, UserError } from "./command.js";
import { addChannel, describeSubscription, type TagName } from "./config-actions.js";
import { requireInServer, requireOwnSubscription, roleInServer } from "./guild-scope.js";
import { pick } from "./pick.js";

type GuildInteraction = ChatInputCommandInteraction<"cached">;

/** Forum tag names from the server's cache, so people read a tag's name rather than its id. */
export function tagNames(guild: Guild): TagName {
  return (subscription) => {
    const channel = guild.channels.cache.get(subscription.channelId);
    const forum = channel ? forumInfo(channel) : null;
    return forum?.tags.find((tag) => tag.id === subscription.forumTagId)?.name ?? null;
  };
}

/** Refuses a channel option of another server, or one another server subscribed. */
async function requireOwnChannel(interaction: GuildInteraction, ctx: CommandContext, id: string) {
  const scope = { guildId: interaction.guildId, userId: interaction.user.id, command: "config" };
  requireInServer(
    { kind: "channel", id, inServer: interaction.guild.channels.cache.has(id) },
    scope,
    ctx.logger,
  );
  requireOwnSubscription(await ctx.store.subscription(id), scope, ctx.logger);
}

/** `/config channel add`: checks the channel, role and forum tag, then subscribes it. */
export async function addChannelReply(
  interaction: GuildInteraction,
  ctx: CommandContext,
  language: Language,
): Promise<string> {
  const guildId = interaction.guildId;
  const channel = interaction.options.getChannel("channel", true);
  await requireOwnChannel(interaction, ctx, channel.id);
  const role = interaction.options.getRole("role");
  if (role)
    requireInServer(
      { kind: "role", id: role.id, inServer: roleInServer(interaction.client, guildId, role.id) },
      { guildId, userId: interaction.user.id, command: "config" },
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
  const subscription = await addChannel(ctx, {
    guildId,
    channelId: channel.id,
    channelType: channel.type,
    mode: interaction.options.getString("mode") as DeliveryMode | null,
    minVotes: interaction.options.getInteger("min_votes"),
    topN: interaction.options.getInteger("top_n"),
    include: interaction.options.getString("include"),
    exclude: interaction.options.getString("exclude"),
    roleId: role?.id ?? null,
    forumTagId,
    style: interaction.options.getString("style") as PaperStyle | null,
    adminId: interaction.user.id,
    botPermissions: granted,
  });
  return `✅ ${describeSubscription(subscription, language, tagNames(interaction.guild))}`;
}

/** `/config channel remove`. */
export async function removeChannelReply(
  interaction: GuildInteraction,
  ctx: CommandContext,
  language: Language,
): Promise<string> {
  const channel = interaction.options.getChannel("channel", true);
  await requireOwnChannel(interaction, ctx, channel.id);
  return (await ctx.store.removeSubscription(channel.id))
    ? pick(language, {
        ko: `🗑️ <#${channel.id}> 채널에 더 보내지 않습니다.`,
        en: `🗑️ <#${channel.id}> no longer receives digests.`,
      })
    : pick(language, {
        ko: `<#${channel.id}> 채널은 구독 중이 아닙니다. 구독 중인 채널은 \`/config channel list\`로 볼 수 있습니다.`,
        en: `<#${channel.id}> was not subscribed. \`/config channel list\` shows the channels that are.`,
      });
}

/** One line per subscribed channel of a server. */
export async function subscriptionLines(
  ctx: CommandContext,
  guildId: string,
  language: Language,
  tagName?: TagName,
): Promise<string[]> {
  const subscriptions = await ctx.store.subscriptions(guildId);
  return subscriptions.map((s) => `• ${describeSubscription(s, language, tagName)}`);
}

/** Room for the page header and the "… and N more" footer. */
const PAGE_FRAME = 160;

/**
 * `/config channel list [page]`: the server's channels, a page at a time, each page within one
 * message; a page that is not the last says how many follow and how to see them.
 */
export async function channelListReply(
  ctx: CommandContext,
  guildId: string,
  language: Language,
  page: number | null,
  tagName?: TagName,
): Promise<string> {
  const lines = await subscriptionLines(ctx, guildId, language, tagName);
  if (lines.length === 0)
    return pick(language, {
      ko: "구독 중인 채널이 없습니다. `/config channel add`로 추가하세요.",
      en: "No channel receives digests yet. Add one with `/config channel add`.",
    });
  const pages = pagesOf(lines, PAGE_FRAME);
  const number = page ?? 1;
  const shown = pages[number - 1];
  if (!shown)
    throw new UserError({
      ko: `목록은 ${pages.length}쪽까지입니다. \`/config channel list page:${pages.length}\`처럼 그 안의 쪽을 골라 주세요.`,
      en: `The list has ${pages.length} page${pages.length === 1 ? "" : "s"}. Ask for one of them, e.g. \`/config channel list page:${pages.length}\`.`,
    });
  if (pages.length === 1) return shown.join("\n");
  const later = pages.slice(number).reduce((sum, p) => sum + p.length, 0);
  const head = pick(language, {
    ko: `📋 구독 채널 ${lines.length}개 — ${number} / ${pages.length} 쪽`,
    en: `📋 ${lines.length} subscribed channels — page ${number} of ${pages.length}`,
  });
  const foot =
    later === 0
      ? []
      : [
          pick(language, {
            ko: `… 외 ${later}개 — \`/config channel list page:${number + 1}\``,
            en: `… and ${later} more — \`/config channel list page:${number + 1}\``,
          }),
        ];
  return [head, ...shown, ...foot].join("\n");
}
