import type { EmulatorContext } from "../context.js";
import { ApiError, unknownGuild } from "../errors.js";
import { BUCKETS, type Route } from "../router.js";
import { validateCommands } from "../validate/commands.js";
import type { Json } from "../validate/common.js";

/** Stores a bulk overwrite, keeping the id of a command whose name and type are unchanged. */
function overwriteCommands(
  ctx: EmulatorContext,
  scope: string,
  guildId: string | null,
  body: unknown,
): Json[] {
  const incoming = validateCommands(body, guildId ? "guild" : "global");
  const previous = ctx.commands.get(scope) ?? [];
  const stored = incoming.map((command) => {
    const type = (command.type as number | undefined) ?? 1;
    const kept = previous.find((p) => p.name === command.name && p.type === type);
    return {
      default_member_permissions: null,
      contexts: null,
      integration_types: [0],
      nsfw: false,
      description_localizations: null,
      name_localizations: null,
      options: [],
      ...command,
      ...permissionsAsString(command.default_member_permissions),
      id: (kept?.id as string | undefined) ?? ctx.world.ids.next(),
      application_id: ctx.world.applicationId,
      type,
      version: ctx.world.ids.next(),
      ...(guildId ? { guild_id: guildId } : {}),
    };
  });
  ctx.commands.set(scope, stored);
  return stored;
}

/** Discord answers with the string bitfield even when it was given the spec's integer form. */
function permissionsAsString(perms: unknown): Json {
  return typeof perms === "number" ? { default_member_permissions: String(perms) } : {};
}

/** Application command routes: bulk overwrite and list, global and per guild. */
export function commandRoutes(ctx: EmulatorContext): Route[] {
  const world = ctx.world;
  const app = (params: Record<string, string>) => {
    if (params.app !== world.applicationId) throw new ApiError(403, 50001, "Missing Access");
    return params.app;
  };
  const guildOf = (id: string | undefined) => {
    const guild = id ? world.guilds.get(id) : undefined;
    if (!guild) throw unknownGuild();
    return guild;
  };
  return [
    ...(["global", "guild"] as const).flatMap((scope): Route[] => {
      const template =
        scope === "global"
          ? "/applications/:app/commands"
          : "/applications/:app/guilds/:guild/commands";
      const key = (params: Record<string, string>) => {
        app(params);
        return scope === "global" ? "global" : guildOf(params.guild).id;
      };
      return [
        {
          method: "PUT",
          template,
          auth: true,
          schema: "ApplicationCommandUpdateRequestList",
          bucket: BUCKETS.general(`PUT ${template}`),
          major: (p) => p.app ?? "",
          handle: (req) => ({
            body: overwriteCommands(
              ctx,
              key(req.params),
              scope === "guild" ? (req.params.guild ?? null) : null,
              req.body,
            ),
          }),
        },
        {
          method: "GET",
          template,
          auth: true,
          bucket: BUCKETS.general(`GET ${template}`),
          major: (p) => p.app ?? "",
          handle: (req) => ({ body: ctx.commands.get(key(req.params)) ?? [] }),
        },
      ];
    }),
  ];
}
