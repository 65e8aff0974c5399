import {
  Client,
  Events,
  GatewayIntentBits,
  Options,
  PermissionFlagsBits,
  type RESTOptions,
} from "discord.js";
import type { Config } from "../config.js";
import { NEEDED_PERMISSIONS, type NeededPermission } from "../delivery/channel-health.js";
import type { GatewayHealth } from "../ops/gateway-health.js";
import { StartupError } from "./preflight.js";

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
export function gatewayClient(
  config: Config,
  health: GatewayHealth,
  makeRequest?: RESTOptions["makeRequest"],
): Client {
  const plan = config.shards;
  const client = new Client({
    intents: [GatewayIntentBits.Guilds],
    rest: {
      ...(config.restApiUrl ? { api: config.restApiUrl } : {}),
      ...(makeRequest ? { makeRequest } : {}),
    },
    allowedMentions: { parse: [] },
    makeCache: GATEWAY_CACHE,
    // `auto`: as many shards as GET /gateway/bot recommends, all here; identifies wait for
    // the `max_concurrency` it gives (@discordjs/ws's throttler).
    ...(plan.count === "auto" || plan.count === "none"
      ? { shards: "auto" as const }
      : {
          shards: plan.ids ?? Array.from({ length: plan.count }, (_, id) => id),
          shardCount: plan.count,
        }),
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

/**
 * What a gateway close code the client will not recover from means for the admin, as a start-up
 * error naming the setting to change; null for any other code (the client reconnects by itself).
 */
export function gatewayRefusal(config: Config, code: number, shardId: number): StartupError | null {
  const count = String(config.shards.count);
  if (code === 4011)
    return new StartupError(
      "SHARD_COUNT",
      count,
      `Discord refused a shard${shardId > 0 ? ` (${shardId})` : ""}: it would hold more than 2,500 servers (close 4011, sharding required)`,
      "Set SHARD_COUNT=auto (Discord's recommendation) or a larger number of shards",
    );
  if (code === 4010)
    return new StartupError(
      "SHARDS",
      "ids" in config.shards && config.shards.ids ? config.shards.ids.join(",") : "all",
      `Discord refused a shard id of ${count} shards (close 4010, invalid shard)`,
      "Give every process the same SHARD_COUNT and shard ids below it",
    );
  if (code === 4013 || code === 4014)
    return new StartupError(
      "DISCORD_TOKEN",
      "***",
      `Discord refused the gateway intents (close ${code})`,
      "Paperboy needs only the Guilds intent: check that this token belongs to a bot application",
    );
  return null;
}

/** The errors @discordjs/ws rejects a login with for those close codes. */
const REFUSAL_MESSAGES: Record<string, number> = {
  "Sharding is required": 4011,
  "Invalid shard": 4010,
  "Used invalid intents": 4013,
  "Used disallowed intents": 4014,
};

/** A failed login as the start-up error for its close code, or the error itself. */
export function loginFailure(config: Config, error: unknown): unknown {
  const code = REFUSAL_MESSAGES[(error as Error | undefined)?.message ?? ""];
  return (code && gatewayRefusal(config, code, 0)) || error;
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
