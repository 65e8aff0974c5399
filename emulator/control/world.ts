import { PERMISSIONS, type PermissionName } from "../permissions.js";
import { bad, type ControlModule, ok } from "./types.js";

const CHANNEL_TYPES = new Set([0, 5, 15]);

/** Guilds, channels, permissions and what the bot posted. */
export const worldControl: ControlModule = ({ ctx, route, id, body: b }) => {
  const world = ctx.world;
  switch (route) {
    case "POST guilds": {
      if (typeof b.name !== "string" || b.name.trim() === "") return bad("name is required");
      return ok({ id: world.createGuild(b.name).id });
    }
    case "POST guilds/:id/channels": {
      const guild = world.guilds.get(id);
      if (!guild) return bad("unknown guild", 404);
      const type = Number(b.type ?? 0);
      if (!CHANNEL_TYPES.has(type))
        return bad("type must be 0 (text), 5 (announcement) or 15 (forum)");
      if (typeof b.name !== "string" || b.name.trim() === "") return bad("name is required");
      return ok({ id: world.createChannel(guild, b.name, type).id });
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
      return ok(
        world.channelMessages(id).map((m) => ({
          ...m.data,
          allowed_mentions: m.allowedMentions,
          nonce: m.nonce,
          thread_id: m.threadId,
          pinged: m.pinged,
        })),
      );
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
