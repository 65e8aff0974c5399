import { isForumType } from "./forums.js";
import { botMember } from "./roles.js";
import { type EmuChannel, type EmuGuild, isDm, isThread, type World } from "./state.js";
import type { Json } from "./validate/common.js";

/** A channel as Discord's API and gateway show it. */
export function channelPayload(world: World, channel: EmuChannel): Json {
  if (isDm(channel)) return dmPayload(world, channel);
  const base: Json = {
    id: channel.id,
    type: channel.type,
    guild_id: channel.guildId,
    name: channel.name,
    parent_id: channel.parentId,
    permission_overwrites: channel.overwrites,
    position: 0,
    flags: channel.flags ?? 0,
    nsfw: false,
    rate_limit_per_user: channel.rateLimitPerUser ?? 0,
  };
  if (channel.type === 0 || channel.type === 5) {
    Object.assign(base, {
      topic: null,
      last_message_id: world.channelMessages(channel.id).at(-1)?.data.id ?? null,
    });
  }
  if (isForumType(channel.type)) {
    Object.assign(base, {
      topic: null,
      available_tags: channel.availableTags ?? [],
      default_reaction_emoji: null,
      default_sort_order: null,
      default_forum_layout: 0,
    });
  }
  if (isThread(channel.type)) {
    Object.assign(base, {
      owner_id: channel.ownerId ?? world.botUser.id,
      message_count: world.channelMessages(channel.id).length,
      member_count: 1,
      total_message_sent: world.channelMessages(channel.id).length,
      applied_tags: channel.appliedTags ?? [],
      thread_metadata: {
        archived: false,
        auto_archive_duration: channel.autoArchiveDuration ?? 1440,
        archive_timestamp: new Date(world.clock.now()).toISOString(),
        locked: false,
        create_timestamp: new Date(world.clock.now()).toISOString(),
      },
    });
    delete base.permission_overwrites;
  }
  return base;
}

/** A DM channel as Create DM answers it (docs: resources/channel#channel-object-example-dm-channel). */
function dmPayload(world: World, channel: EmuChannel): Json {
  return {
    id: channel.id,
    type: 1,
    last_message_id: world.channelMessages(channel.id).at(-1)?.data.id ?? null,
    flags: 0,
    recipients: [world.user(channel.recipientId ?? "")],
  };
}

/** A guild as GUILD_CREATE carries it: roles, the bot's member, channels and threads. */
export function guildPayload(world: World, guild: EmuGuild): Json {
  const channels = [...world.channels.values()].filter((c) => c.guildId === guild.id);
  return {
    id: guild.id,
    name: guild.name,
    icon: null,
    splash: null,
    discovery_splash: null,
    owner_id: guild.ownerId,
    afk_channel_id: null,
    afk_timeout: 300,
    verification_level: 0,
    default_message_notifications: 1,
    explicit_content_filter: 0,
    roles: guild.roles,
    emojis: [],
    stickers: [],
    features: [],
    mfa_level: 0,
    system_channel_id: guild.systemChannelId,
    system_channel_flags: 0,
    rules_channel_id: null,
    public_updates_channel_id: null,
    vanity_url_code: null,
    description: null,
    banner: null,
    premium_tier: 0,
    premium_subscription_count: 0,
    preferred_locale: "en-US",
    nsfw_level: 0,
    premium_progress_bar_enabled: false,
    joined_at: guild.joinedAt,
    large: false,
    unavailable: false,
    member_count: 2,
    voice_states: [],
    members: [botMember(world, guild)],
    channels: channels.filter((c) => !isThread(c.type)).map((c) => world.channelPayload(c)),
    threads: channels.filter((c) => isThread(c.type)).map((c) => world.channelPayload(c)),
    presences: [],
    stage_instances: [],
    guild_scheduled_events: [],
    soundboard_sounds: [],
  };
}
