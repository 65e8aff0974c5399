import { Client, Events, GatewayIntentBits, Options, PermissionFlagsBits } from "discord.js";
import type { Config } from "../config.js";
import { NEEDED_PERMISSIONS, type NeededPermission } from "../delivery/channel-health.js";
import type { GatewayHealth } from "../ops/gateway-health.js";

/**
 * What the gateway keeps per server. Permission checks need the server's channels (with threads
 * and forum tags), its roles and the bot's own member; nothing else is read from the cache, and
 * with a thousand servers the rest (emojis, stickers, members, messages...) is most of it.
 */
export const GATEWAY_CACHE = Options.cacheWithLimits({
  ApplicationCommandManager: 0,
  ApplicationEmojiManager: 0,
  AutoModerationRuleManager: 0,
  BaseGuildEmojiManager: 0,
  DMMessageManager: 0,
  EntitlementManager: 0,
  GuildBanManager: 0,
  GuildEmojiManager: 0,
  GuildInviteManager: 0,
  GuildMessageManager: 0,
  GuildScheduledEventManager: 0,
  GuildStickerManager: 0,
  MessageManager: 0,
  PresenceManager: 0,
  ReactionManager: 0,
  ReactionUserManager: 0,
  StageInstanceManager: 0,
  ThreadMemberManager: 0,
  UserManager: 0,
  VoiceStateManager: 0,
  GuildMemberManager: {
    maxSize: 0,
    keepOverLimit: (member) => member.id === member.client.user.id,
  },
});

/**
 * The gateway client: only the Guilds intent (the bot reads no messages and needs no privileged
 * intent), a cache trimmed to what permission checks read, no pings unless a message asks for
 * them, and its connection state fed to `/healthz`.
 */
export function gatewayClient(config: Config, health: GatewayHealth): Client {
  const client = new Client({
    intents: [GatewayIntentBits.Guilds],
    rest: config.restApiUrl ? { api: config.restApiUrl } : {},
    allowedMentions: { parse: [] },
    makeCache: GATEWAY_CACHE,
  });
  client.on(Events.ClientReady, () => health.connected());
  client.on(Events.ShardReady, () => health.connected());
  client.on(Events.ShardResume, () => health.connected());
  client.on(Events.ShardDisconnect, () => health.disconnected());
  client.on(Events.ShardReconnecting, () => health.disconnected());
  // Without a listener an 'error' event would throw; the client reconnects by itself.
  client.on(Events.Error, () => health.disconnected());
  return client;
}

/** The bot's permissions in a channel from the gateway's cache; null when it is not cached. */
export function cachedPermissions(
  client: Client,
  channelId: string,
): ReadonlySet<NeededPermission> | null {
  const channel = client.channels.cache.get(channelId);
  const me = client.user;
  if (!channel || !me || !("permissionsFor" in channel)) return null;
  const permissions = channel.permissionsFor(me);
  if (!permissions) return null;
  return new Set(NEEDED_PERMISSIONS.filter((name) => permissions.has(PermissionFlagsBits[name])));
}
