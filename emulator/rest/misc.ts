import type { EmulatorContext } from "../context.js";
import { ApiError, unknownGuild } from "../errors.js";
import { BUCKETS, type Route } from "../router.js";
import { isThread } from "../state.js";
import { validateCommands } from "../validate/commands.js";
import type { Json } from "../validate/common.js";

/** Stores a bulk overwrite, keeping the id of a command whose name and type are unchanged. */
function overwriteCommands(
  ctx: EmulatorContext,
  scope: string,
  guildId: string | null,
  body: unknown,
): Json[] {
  const incoming = validateCommands(body);
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

/** Gateway info, the bot user, guilds and application commands. */
export function miscRoutes(ctx: EmulatorContext): Route[] {
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
    {
      method: "GET",
      template: "/gateway/bot",
      auth: true,
      bucket: BUCKETS.general("GET /gateway/bot"),
      major: () => "",
      handle: () => ({
        body: {
          url: ctx.gatewayUrl(),
          shards: ctx.shardCount,
          session_start_limit: {
            total: 1000,
            remaining: 1000,
            reset_after: 86_400_000,
            max_concurrency: ctx.maxConcurrency,
          },
        },
      }),
    },
    {
      method: "GET",
      template: "/gateway",
      auth: false,
      bucket: BUCKETS.general("GET /gateway"),
      major: () => "",
      handle: () => ({ body: { url: ctx.gatewayUrl() } }),
    },
    {
      method: "GET",
      template: "/users/@me",
      auth: true,
      bucket: BUCKETS.general("GET /users/@me"),
      major: () => "",
      handle: () => ({ body: { ...world.botUser, verified: true, mfa_enabled: false, flags: 0 } }),
    },
    {
      method: "GET",
      template: "/applications/@me",
      auth: true,
      bucket: BUCKETS.general("GET /applications/@me"),
      major: () => "",
      handle: () => ({
        body: {
          id: world.applicationId,
          name: world.botUser.username,
          icon: null,
          description: "",
          bot_public: true,
          bot_require_code_grant: false,
          flags: 0,
          bot: world.botUser,
        },
      }),
    },
    {
      method: "GET",
      template: "/guilds/:guild",
      auth: true,
      bucket: BUCKETS.general("GET /guilds/:guild"),
      major: (p) => p.guild ?? "",
      handle: (req) => {
        const {
          members: _m,
          channels: _c,
          threads: _t,
          voice_states: _v,
          presences: _p,
          ...guild
        } = world.guildPayload(guildOf(req.params.guild));
        return { body: guild };
      },
    },
    {
      method: "GET",
      template: "/guilds/:guild/channels",
      auth: true,
      bucket: BUCKETS.general("GET /guilds/:guild/channels"),
      major: (p) => p.guild ?? "",
      handle: (req) => ({ body: world.guildPayload(guildOf(req.params.guild)).channels }),
    },
    {
      method: "GET",
      template: "/guilds/:guild/threads/active",
      auth: true,
      bucket: BUCKETS.general("GET /guilds/:guild/threads/active"),
      major: (p) => p.guild ?? "",
      handle: (req) => {
        const guild = guildOf(req.params.guild);
        const threads = [...world.channels.values()].filter(
          (c) => c.guildId === guild.id && isThread(c.type),
        );
        return { body: { threads: threads.map((c) => world.channelPayload(c)), members: [] } };
      },
    },
    {
      method: "GET",
      template: "/guilds/:guild/members/:user",
      auth: true,
      bucket: BUCKETS.general("GET /guilds/:guild/members/:user"),
      major: (p) => p.guild ?? "",
      handle: (req) => {
        const guild = guildOf(req.params.guild);
        const user = req.params.user ?? "";
        const roles = user === world.botUser.id ? [guild.botRoleId] : [];
        return {
          body: {
            user: world.user(user),
            roles,
            joined_at: guild.joinedAt,
            deaf: false,
            mute: false,
            flags: 0,
            nick: null,
          },
        };
      },
    },
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
