import type { Client } from "discord.js";
import type { Logger } from "../logger.js";
import { UserError } from "./command.js";

/** Where a command came from: its server, its user and its name. */
export interface CommandScope {
  guildId: string;
  userId: string;
  command: string;
}

/**
 * Refuses a channel or role option that is not part of the interaction's server: an admin acts on
 * their own server only, whatever Discord sends. The refusal is logged, as it means a forged or
 * confused request.
 */
export function requireInServer(
  target: { kind: "channel" | "role"; id: string; inServer: boolean },
  scope: CommandScope,
  logger: Logger,
): void {
  if (target.inServer) return;
  logger.warn(
    { ...scope, [`${target.kind}Id`]: target.id },
    `refused a ${target.kind} of another server`,
  );
  throw new UserError(
    target.kind === "channel"
      ? {
          ko: `<#${target.id}> 채널은 이 서버의 채널이 아닙니다. 이 서버의 채널만 설정할 수 있습니다.`,
          en: `<#${target.id}> is not a channel of this server. Commands here act on this server's channels only.`,
        }
      : {
          ko: "그 역할은 이 서버의 역할이 아닙니다. 이 서버의 역할을 골라 주세요.",
          en: "That role is not a role of this server. Pick one of this server's roles.",
        },
  );
}

/** Refuses to touch a subscription that belongs to another server. */
export function requireOwnSubscription(
  subscription: { channelId: string; guildId: string | null } | null,
  scope: CommandScope,
  logger: Logger,
): void {
  if (subscription === null || subscription.guildId === scope.guildId) return;
  requireInServer({ kind: "channel", id: subscription.channelId, inServer: false }, scope, logger);
}

/**
 * Whether a role option belongs to the interaction's server. discord.js adds an option's role to
 * the interaction's guild cache, so that cache cannot tell; a role is foreign when it is another
 * server's @everyone or in another server's roles, and unknown when no server has it.
 */
export function roleInServer(client: Client, guildId: string, roleId: string): boolean {
  for (const guild of client.guilds.cache.values()) {
    if (guild.id === guildId) continue;
    if (guild.id === roleId || guild.roles.cache.has(roleId)) return false;
  }
  return client.guilds.cache.get(guildId)?.roles.cache.has(roleId) ?? false;
}
