import type { EmuRole, World } from "./state.js";
import { isObject, type Json } from "./validate/common.js";

// docs: interactions/application-commands#application-command-object-application-command-option-type
const USER = 6;
const CHANNEL = 7;
const ROLE = 8;
const MENTIONABLE = 9;

/** Fields of a partial channel in resolved data (docs: receiving-and-responding#interaction-object-resolved-data-structure). */
const PARTIAL_CHANNEL = [
  "id",
  "name",
  "type",
  "last_message_id",
  "last_pin_timestamp",
  "nsfw",
  "parent_id",
  "guild_id",
  "flags",
  "rate_limit_per_user",
  "topic",
  "position",
  "thread_metadata",
];

export interface ResolveScope {
  world: World;
  /** The interaction's guild; null in a DM or private channel. */
  guildId: string | null;
  /** The invoking member's permissions, shown as each resolved channel's `permissions`. */
  permissions: string;
  /** Accept channels and roles of another guild (Discord never sends them; for testing defences). */
  allowForeign: boolean;
}

/**
 * Completes `data.resolved` for user, channel, role and mentionable options (and the target of a
 * user or message command) given only by id, as Discord always sends it; entries a test wrote
 * itself are kept. Throws when an option names a channel or role that does not exist, or one of
 * another guild without `allowForeign`: Discord would not send such an interaction.
 */
export function completeResolved(scope: ResolveScope, data: Json): void {
  const given = isObject(data.resolved) ? data.resolved : {};
  const resolved: Record<string, Json> = {};
  for (const key of ["users", "members", "roles", "channels", "messages", "attachments"])
    if (isObject(given[key])) resolved[key] = { ...given[key] };
  const put = (key: string, id: string, value: () => Json) => {
    const map = resolved[key] ?? {};
    resolved[key] = map;
    if (map[id] === undefined) map[id] = value();
  };
  const addUser = (id: string) => {
    put("users", id, () => scope.world.user(id) as unknown as Json);
    if (scope.guildId !== null) put("members", id, () => partialMember(scope));
  };
  for (const option of leafOptions(data.options)) {
    const id = String(option.value ?? "");
    if (option.type === USER) addUser(id);
    else if (option.type === CHANNEL) put("channels", id, () => channelFor(scope, id));
    else if (option.type === ROLE) put("roles", id, () => roleFor(scope, id));
    else if (option.type === MENTIONABLE) {
      if (findRole(scope.world, id)) put("roles", id, () => roleFor(scope, id));
      else addUser(id);
    }
  }
  if (typeof data.target_id === "string") {
    const target = data.target_id;
    if (data.type === 2) addUser(target);
    if (data.type === 3)
      put("messages", target, () => {
        const message = scope.world.messages.get(target);
        if (!message) throw new Error(`target_id ${target} is not a message the emulator holds`);
        return message.data;
      });
  }
  for (const id of Object.keys(resolved.channels ?? {})) channelFor(scope, id);
  for (const id of Object.keys(resolved.roles ?? {})) roleFor(scope, id);
  if (Object.keys(resolved).length > 0) data.resolved = resolved;
}

/** Options that carry values, inside subcommands and groups too. */
function leafOptions(options: unknown): Json[] {
  if (!Array.isArray(options)) return [];
  return options
    .filter(isObject)
    .flatMap((o) => (o.type === 1 || o.type === 2 ? leafOptions(o.options) : [o]));
}

function channelFor(scope: ResolveScope, id: string): Json {
  const channel = scope.world.channels.get(id);
  if (!channel) throw new Error(`channel option ${id} names no channel the emulator holds`);
  if (channel.guildId !== scope.guildId && !scope.allowForeign)
    throw new Error(
      `channel option ${id} belongs to another guild; Discord would never send it (pass allow_foreign_resolved: true to test the bot's defence)`,
    );
  const full = scope.world.channelPayload(channel);
  const partial: Json = { permissions: scope.permissions };
  for (const field of PARTIAL_CHANNEL) if (full[field] !== undefined) partial[field] = full[field];
  return partial;
}

function findRole(world: World, id: string): { role: EmuRole; guildId: string } | null {
  for (const guild of world.guilds.values()) {
    const role = guild.roles.find((r) => r.id === id);
    if (role) return { role, guildId: guild.id };
  }
  return null;
}

function roleFor(scope: ResolveScope, id: string): Json {
  const found = findRole(scope.world, id);
  if (!found) throw new Error(`role option ${id} names no role the emulator holds`);
  if (found.guildId !== scope.guildId && !scope.allowForeign)
    throw new Error(
      `role option ${id} belongs to another guild; Discord would never send it (pass allow_foreign_resolved: true to test the bot's defence)`,
    );
  return { ...found.role } as unknown as Json;
}

/** A partial member: no `user`, `deaf` or `mute` (docs: resolved data structure). */
function partialMember(scope: ResolveScope): Json {
  return {
    roles: [],
    joined_at: new Date(scope.world.clock.now()).toISOString(),
    nick: null,
    avatar: null,
    premium_since: null,
    pending: false,
    flags: 0,
    permissions: scope.permissions,
    communication_disabled_until: null,
  };
}
