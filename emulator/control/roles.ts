import { createRole, deleteRole, parsePermissions, setBotRole, updateRole } from "../roles.js";
import { bad, type ControlModule, ok } from "./types.js";

/** Roles, the bot's roles and channel permission overwrites. */
export const rolesControl: ControlModule = ({ ctx, route, ids, body: b }) => {
  const world = ctx.world;
  const guild = () => world.guilds.get(ids[0] ?? "");
  try {
    switch (route) {
      case "POST guilds/:id/roles": {
        const g = guild();
        return g ? ok(createRole(world, g, b)) : bad("unknown guild", 404);
      }
      case "PATCH guilds/:id/roles/:id": {
        const g = guild();
        const role = g?.roles.find((r) => r.id === ids[1]);
        return g && role ? ok(updateRole(world, g, role, b)) : bad("unknown guild or role", 404);
      }
      case "DELETE guilds/:id/roles/:id": {
        const g = guild();
        const role = g?.roles.find((r) => r.id === ids[1]);
        if (!g || !role) return bad("unknown guild or role", 404);
        deleteRole(world, g, role);
        return ok();
      }
      case "PUT guilds/:id/members/@me/roles/:id":
      case "DELETE guilds/:id/members/@me/roles/:id": {
        const g = guild();
        if (!g) return bad("unknown guild", 404);
        setBotRole(world, g, ids[1] ?? "", route.startsWith("PUT"));
        return ok({ roles: [g.botRoleId, ...g.extraBotRoleIds] });
      }
      case "PUT channels/:id/permissions/:id": {
        // As Discord's Edit Channel Permissions: type 0 role, 1 member; allow/deny as names.
        const channel = world.channels.get(ids[0] ?? "");
        if (!channel) return bad("unknown channel", 404);
        if (b.type !== 0 && b.type !== 1) return bad("type must be 0 (role) or 1 (member)");
        world.setOverwrite(channel, {
          id: ids[1] ?? "",
          type: b.type,
          allow: parsePermissions(b.allow ?? []).toString(),
          deny: parsePermissions(b.deny ?? []).toString(),
        });
        return ok(world.channelPayload(channel));
      }
      default:
        return null;
    }
  } catch (error) {
    return bad((error as Error).message);
  }
};
