import { isForumType, parseFlags, parseTags } from "../forums.js";
import { PERMISSIONS, type PermissionName } from "../permissions.js";
import { moderationControl } from "./moderation.js";
import { rolesControl } from "./roles.js";
import { bad, type ControlModule, ok } from "./types.js";
import { storedMessageView } from "./views.js";

const CHANNEL_TYPES = new Set([0, 5, 15, 16]);

/** Guilds, channels, roles, moderation and what the bot posted. */
export const worldControl: ControlModule = (request) =>
  guildsControl(request) ?? rolesControl(request) ?? moderationControl(request);

/** Guilds, channels, the bot's access and what the bot posted. */
const guildsControl: ControlModule = ({ ctx, route, id, body: b }) => {
  const world = ctx.world;
  switch (route) {
    case "POST guilds": {
      if (typeof b.name !== "string" || b.name.trim() === "") return bad("name is required");
      const guild = world.createGuild(b.name);
      return ok({ id: guild.id, bot_role_id: guild.botRoleId });
    }
    case "GET guilds/:id": {
      const guild = world.guilds.get(id);
      if (!guild) return bad("unknown guild", 404);
      const { channels: _c, threads: _t, ...payload } = world.guildPayload(guild);
      return ok({ ...payload, bot_role_id: guild.botRoleId });
    }
    case "POST guilds/:id/channels": {
      const guild = world.guilds.get(id);
      if (!guild) return bad("unknown guild", 404);
      const type = Number(b.type ?? 0);
      if (!CHANNEL_TYPES.has(type))
        return bad("type must be 0 (text), 5 (announcement), 15 (forum) or 16 (media)");
      if (typeof b.name !== "string" || b.name.trim() === "") return bad("name is required");
      if (b.available_tags !== undefined && !isForumType(type))
        return bad("available_tags is for forum (15) and media (16) channels");
      try {
        const extra = isForumType(type)
          ? { availableTags: parseTags(b.available_tags, world.ids), flags: parseFlags(b.flags) }
          : { flags: parseFlags(b.flags) };
        const channel = world.createChannel(guild, b.name, type, null, extra);
        return ok({ id: channel.id, available_tags: channel.availableTags ?? [] });
      } catch (error) {
        return bad((error as Error).message);
      }
    }
    case "POST channels/:id/access": {
      const channel = world.channels.get(id);
      if (!channel) return bad("unknown channel", 404);
      if (typeof b.allow !== "boolean") return bad("allow must be true or false");
      const names = (Array.isArray(b.deny) ? b.deny : ["ViewChannel"]) as string[];
      let deny = 0n;
      for (const name of names) {
        const bit = PERMISSIONS[name as PermissionName];
        if (bit === undefined)
          return bad(`unknown permission ${name}; one of ${Object.keys(PERMISSIONS).join(", ")}`);
        deny |= bit;
      }
      world.setBotOverwrite(channel, b.allow ? 0n : deny);
      return ok();
    }
    case "GET channels/:id/messages": {
      if (!world.channels.has(id)) return bad("unknown channel", 404);
      return ok(world.channelMessages(id).map(storedMessageView));
    }
    case "GET channels/:id": {
      const channel = world.channels.get(id);
      return channel ? ok(world.channelPayload(channel)) : bad("unknown channel", 404);
    }
    case "GET guilds/:id/channels": {
      const guild = world.guilds.get(id);
      if (!guild) return bad("unknown guild", 404);
      return ok(
        [...world.channels.values()]
          .filter((c) => c.guildId === guild.id)
          .map((c) => world.channelPayload(c)),
      );
    }
    case "GET state":
      return ok({
        application_id: world.applicationId,
        bot_user: world.botUser,
        guilds: [...world.guilds.values()].map((g) => ({ id: g.id, name: g.name })),
      });
    default:
      return null;
  }
};
