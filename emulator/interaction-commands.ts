import { isObject, type Json } from "./validate/common.js";

/** Interaction context types (docs: interactions/receiving-and-responding#interaction-object-interaction-context-types). */
export const CONTEXT = { Guild: 0, BotDm: 1, PrivateChannel: 2 } as const;

/** A registered command an interaction invokes, and the scope it was registered in. */
export interface InvokedCommand {
  command: Json;
  guildId: string | null;
}

/**
 * Finds the command a command or autocomplete interaction names. Discord offers a guild's own
 * commands and the global ones in a guild, and only global commands in DMs
 * (docs: interactions/application-commands#registering-a-command).
 * Returns "unchecked" while the app has registered no command at all: tests that never deploy
 * may still send guild interactions, as Discord-shaped data is all the bot looks at.
 */
export function findCommand(
  commands: Map<string, Json[]>,
  guildId: string | null,
  data: Json,
): InvokedCommand | "unchecked" | null {
  const registered = [...commands.values()].some((list) => list.length > 0);
  if (!registered && guildId !== null) return "unchecked";
  const type = (data.type as number | undefined) ?? 1;
  const match = (list: Json[] | undefined) =>
    list?.find((c) => c.name === data.name && ((c.type as number | undefined) ?? 1) === type);
  const inGuild = guildId === null ? undefined : match(commands.get(guildId));
  if (inGuild) return { command: inGuild, guildId };
  const global = match(commands.get("global"));
  return global ? { command: global, guildId: null } : null;
}

/** The installation contexts of a command: `integration_types`, defaulting to guild install. */
export function integrationTypes(command: Json): number[] {
  return Array.isArray(command.integration_types) ? (command.integration_types as number[]) : [0];
}

/**
 * The interaction contexts a registered command can be used in. Guild commands exist only in
 * their guild; `contexts: null` on a global command means every context its installation
 * types reach (PRIVATE_CHANNEL only for user installs; docs: application-commands#interaction-contexts),
 * minus BOT_DM when the deprecated `dm_permission` is false.
 */
export function allowedContexts(invoked: InvokedCommand): number[] {
  if (invoked.guildId !== null) return [CONTEXT.Guild];
  const { command } = invoked;
  const userInstall = integrationTypes(command).includes(1);
  const listed = Array.isArray(command.contexts)
    ? (command.contexts as number[])
    : [
        CONTEXT.Guild,
        ...(command.dm_permission === false ? [] : [CONTEXT.BotDm]),
        CONTEXT.PrivateChannel,
      ];
  return listed.filter((context) => context !== CONTEXT.PrivateChannel || userInstall);
}

/**
 * `authorizing_integration_owners` as the docs describe it: key "0" (guild install) with the
 * guild id, or "0" in a DM with the bot; key "1" (user install) with the authorizing user's id.
 * A key appears only when the command supports that installation type and the installation
 * reaches the context (a guild install never reaches a private channel).
 */
export function integrationOwners(
  context: number,
  guildId: string | null,
  authorizingUserId: string,
  types: number[],
): Record<string, string> {
  const owners: Record<string, string> = {};
  if (types.includes(0) && context !== CONTEXT.PrivateChannel)
    owners["0"] = context === CONTEXT.Guild && guildId ? guildId : "0";
  if (types.includes(1)) owners["1"] = authorizingUserId;
  return owners;
}

/** An explicit owners object from the control API: keys "0"/"1" with string ids. */
export function checkOwners(value: unknown): Record<string, string> {
  if (!isObject(value)) throw new Error("authorizing_integration_owners must be an object");
  for (const [key, id] of Object.entries(value))
    if ((key !== "0" && key !== "1") || typeof id !== "string")
      throw new Error('authorizing_integration_owners maps "0" or "1" to an id string');
  if (Object.keys(value).length === 0)
    throw new Error("authorizing_integration_owners needs at least one installation");
  return value as Record<string, string>;
}
