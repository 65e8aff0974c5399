import type { EmulatorContext } from "../context.js";
import { unknownGuild } from "../errors.js";
import { botRoleIds } from "../roles.js";
import { BUCKETS, type Route } from "../router.js";
import { isThread } from "../state.js";

/** Gateway info, the bot user, the application and guilds. */
export function miscRoutes(ctx: EmulatorContext): Route[] {
  const world = ctx.world;
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
          // docs: events/gateway#session-start-limit-object — counts down per identify.
          session_start_limit: ctx.gatewayLimits.sessionStartLimit(),
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
        const roles = user === world.botUser.id ? botRoleIds(guild) : [];
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
  ];
}
