import { isDm } from "./model.js";
import {
  applyOverwrites,
  DM_CHANNEL_PERMISSIONS,
  PERMISSIONS,
  type PermissionName,
} from "./permissions.js";
import type { EmuChannel, EmuGuild, EmuRole, World } from "./state.js";
import type { Json } from "./validate/common.js";

/** Gateway intents these events need (docs: events/gateway#list-of-intents). */
const GUILDS = 1 << 0;
const GUILD_MEMBERS = 1 << 1;

/** Every permission bit Discord defines today (up to 1 << 50); what Administrator grants. */
const ALL_PERMISSIONS = (1n << 51n) - 1n;

export function newRole(id: string, name: string, permissions: bigint, position: number): EmuRole {
  return {
    id,
    name,
    permissions: permissions.toString(),
    position,
    color: 0,
    hoist: false,
    managed: false,
    mentionable: false,
    flags: 0,
  };
}

/** The roles the bot's member holds: its managed role and any the control API gave it. */
export function botRoleIds(guild: EmuGuild): string[] {
  return [guild.botRoleId, ...guild.extraBotRoleIds];
}

/**
 * The bot's permissions in a channel, as docs: topics/permissions#permission-overwrites computes
 * them: @everyone and the bot's roles, then @everyone, role and member overwrites (threads use
 * their parent's). Administrator grants everything and skips overwrites. A DM has no guild: the
 * bot's DM permissions.
 */
export function botPermissionsIn(world: World, channel: EmuChannel): bigint {
  if (isDm(channel)) return DM_CHANNEL_PERMISSIONS;
  const guild = world.guilds.get(channel.guildId);
  if (!guild) return 0n;
  const source =
    channel.parentId && isThreadType(channel.type)
      ? (world.channels.get(channel.parentId) ?? channel)
      : channel;
  const held = new Set([guild.id, ...botRoleIds(guild)]);
  const base = guild.roles
    .filter((r) => held.has(r.id))
    .reduce((acc, r) => acc | BigInt(r.permissions), 0n);
  if ((base & PERMISSIONS.Administrator) !== 0n) return ALL_PERMISSIONS;
  return applyOverwrites(base, source.overwrites, guild.id, botRoleIds(guild), world.botUser.id);
}

function isThreadType(type: number): boolean {
  return type === 10 || type === 11 || type === 12;
}

/** Reads permissions given as names (`["SendMessages"]`) or a decimal bitfield string. */
export function parsePermissions(value: unknown): bigint {
  if (typeof value === "string" && /^\d+$/.test(value)) return BigInt(value);
  if (!Array.isArray(value))
    throw new Error("permissions must be a list of permission names or a decimal string");
  let bits = 0n;
  for (const name of value) {
    const bit = PERMISSIONS[name as PermissionName];
    if (bit === undefined)
      throw new Error(`unknown permission ${name}; one of ${Object.keys(PERMISSIONS).join(", ")}`);
    bits |= bit;
  }
  return bits;
}

/** Creates a role from a control body and dispatches GUILD_ROLE_CREATE. */
export function createRole(world: World, guild: EmuGuild, body: Json): EmuRole {
  if (typeof body.name !== "string" || body.name.trim() === "") throw new Error("name is required");
  const role = newRole(world.ids.next(), body.name, 0n, guild.roles.length);
  applyRoleChanges(role, body);
  guild.roles.push(role);
  world.dispatch(guild.id, "GUILD_ROLE_CREATE", { guild_id: guild.id, role }, GUILDS);
  return role;
}

/** Deletes a role (GUILD_ROLE_DELETE); the bot loses it, with GUILD_MEMBER_UPDATE if it held it. */
export function deleteRole(world: World, guild: EmuGuild, role: EmuRole): void {
  if (role.managed || role.id === guild.id) throw new Error("@everyone and managed roles stay");
  if (guild.extraBotRoleIds.includes(role.id)) setBotRole(world, guild, role.id, false);
  guild.roles = guild.roles.filter((r) => r.id !== role.id);
  world.dispatch(guild.id, "GUILD_ROLE_DELETE", { guild_id: guild.id, role_id: role.id }, GUILDS);
}

/** Changes a role (name, permissions, mentionable) and dispatches GUILD_ROLE_UPDATE. */
export function updateRole(world: World, guild: EmuGuild, role: EmuRole, body: Json): EmuRole {
  applyRoleChanges(role, body);
  world.dispatch(guild.id, "GUILD_ROLE_UPDATE", { guild_id: guild.id, role }, GUILDS);
  return role;
}

function applyRoleChanges(role: EmuRole, body: Json): void {
  if (typeof body.name === "string" && body.name.trim() !== "") role.name = body.name;
  if (body.permissions !== undefined)
    role.permissions = parsePermissions(body.permissions).toString();
  if (body.remove_permissions !== undefined)
    role.permissions = (
      BigInt(role.permissions) & ~parsePermissions(body.remove_permissions)
    ).toString();
  if (body.add_permissions !== undefined)
    role.permissions = (
      BigInt(role.permissions) | parsePermissions(body.add_permissions)
    ).toString();
  if (body.mentionable !== undefined) {
    if (typeof body.mentionable !== "boolean") throw new Error("mentionable must be true or false");
    role.mentionable = body.mentionable;
  }
  if (typeof body.color === "number") role.color = body.color;
}

/**
 * Gives the bot a role or takes it away, dispatching GUILD_MEMBER_UPDATE. The docs put that event
 * under the privileged GUILD_MEMBERS intent, so a client without it does not see the change.
 */
export function setBotRole(world: World, guild: EmuGuild, roleId: string, has: boolean): void {
  const role = guild.roles.find((r) => r.id === roleId);
  if (!role || role.id === guild.id) throw new Error("unknown role (or @everyone)");
  if (role.managed) throw new Error("the bot's managed role cannot be given or taken away");
  guild.extraBotRoleIds = guild.extraBotRoleIds.filter((id) => id !== roleId);
  if (has) guild.extraBotRoleIds.push(roleId);
  world.dispatch(
    guild.id,
    "GUILD_MEMBER_UPDATE",
    { guild_id: guild.id, ...botMember(world, guild), avatar: null, banner: null, pending: false },
    GUILD_MEMBERS,
  );
}

/** The bot's guild member object, as GUILD_CREATE and the member routes show it. */
export function botMember(world: World, guild: EmuGuild): Json {
  return {
    user: world.botUser,
    roles: botRoleIds(guild),
    joined_at: guild.joinedAt,
    deaf: false,
    mute: false,
    flags: 0,
    nick: null,
  };
}
