import { Client, Events, GatewayIntentBits, PermissionFlagsBits } from "discord.js";
import type { Config } from "../config.js";
import { NEEDED_PERMISSIONS, type NeededPermission } from "../delivery/channel-health.js";
import type { GatewayHealth } from "../ops/gateway-health.js";

/**
 * The gateway client: only the Guilds intent (the bot reads no messages and needs no privileged
 * intent), no pings unless a message asks for them, and its connection state fed to `/healthz`.
 */
export function gatewayClient(config: Config, health: GatewayHealth): Client {
  const client = new Client({
    intents: [GatewayIntentBits.Guilds],
    rest: config.discordApiUrl ? { api: config.discordApiUrl } : {},
    allowedMentions: { parse: [] },
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
