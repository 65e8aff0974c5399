import type { EmulatorContext } from "./context.js";
import { parseFault } from "./faults.js";
import type { Gateway } from "./gateway.js";
import type { CreateInteraction } from "./interactions.js";
import { PERMISSIONS, type PermissionName } from "./permissions.js";
import { isObject, type Json } from "./validate/common.js";

export type ControlResult = { status: number; body: unknown };

const CHANNEL_TYPES = new Set([0, 5, 15]);
const ok = (body: unknown = { ok: true }): ControlResult => ({ status: 200, body });
const bad = (message: string, status = 400): ControlResult => ({
  status,
  body: { error: message },
});

/** The `/_emulator/` API that tests and scripts drive the emulator with. */
export function handleControl(
  ctx: EmulatorContext,
  gateway: Gateway,
  method: string,
  path: string,
  body: unknown,
): ControlResult {
  const world = ctx.world;
  const b: Json = isObject(body) ? body : {};
  const parts = path.split("/").filter(Boolean).slice(1); // after "_emulator"
  const id = parts.find((part) => /^\d+$/.test(part));
  const route = `${method} ${parts.map((part) => (/^\d+$/.test(part) ? ":id" : part)).join("/")}`;

  switch (route) {
    case "POST guilds": {
      if (typeof b.name !== "string" || b.name.trim() === "") return bad("name is required");
      return ok({ id: world.createGuild(b.name).id });
    }
    case "POST guilds/:id/channels": {
      const guild = world.guilds.get(id ?? "");
      if (!guild) return bad("unknown guild", 404);
      const type = Number(b.type ?? 0);
      if (!CHANNEL_TYPES.has(type))
        return bad("type must be 0 (text), 5 (announcement) or 15 (forum)");
      if (typeof b.name !== "string" || b.name.trim() === "") return bad("name is required");
      return ok({ id: world.createChannel(guild, b.name, type).id });
    }
    case "POST channels/:id/access": {
      const channel = world.channels.get(id ?? "");
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
      if (!world.channels.has(id ?? "")) return bad("unknown channel", 404);
      return ok(
        world.channelMessages(id ?? "").map((m) => ({
          ...m.data,
          allowed_mentions: m.allowedMentions,
          nonce: m.nonce,
          thread_id: m.threadId,
          pinged: m.pinged,
        })),
      );
    }
    case "GET channels/:id": {
      const channel = world.channels.get(id ?? "");
      return channel ? ok(world.channelPayload(channel)) : bad("unknown channel", 404);
    }
    case "GET guilds/:id/channels": {
      const guild = world.guilds.get(id ?? "");
      if (!guild) return bad("unknown guild", 404);
      return ok(
        [...world.channels.values()]
          .filter((c) => c.guildId === guild.id)
          .map((c) => world.channelPayload(c)),
      );
    }
    case "GET commands":
      return ok(Object.fromEntries(ctx.commands));
    case "POST interactions": {
      try {
        const interaction = ctx.interactions.create(b as unknown as CreateInteraction);
        return ok({ id: interaction.id, token: interaction.token });
      } catch (error) {
        return bad((error as Error).message);
      }
    }
    case "GET interactions/:id": {
      const view = ctx.interactions.view(id ?? "");
      return view ? ok(view) : bad("unknown interaction", 404);
    }
    case "POST faults": {
      if (b.route === "gateway") {
        const code = Number(b.close_code ?? b.status ?? 4000);
        return ok({
          closed: gateway.disconnect(code, b.shard_id === undefined ? null : Number(b.shard_id)),
        });
      }
      try {
        ctx.faults.add(parseFault(b));
        return ok();
      } catch (error) {
        return bad((error as Error).message);
      }
    }
    case "DELETE faults":
      ctx.faults.clear();
      return ok();
    case "POST gateway/disconnect":
      return ok({
        closed: gateway.disconnect(
          Number(b.code ?? 4000),
          b.shard_id === undefined ? null : Number(b.shard_id),
        ),
      });
    case "POST gateway/invalidate":
      gateway.invalidate(
        b.resumable === true,
        b.shard_id === undefined ? null : Number(b.shard_id),
      );
      return ok();
    case "GET gateway":
      return ok({ ...gateway.stats, connected_shards: gateway.connectedShards() });
    case "POST rate-limits": {
      if (typeof b.enabled !== "boolean") return bad("enabled must be true or false");
      const settings = ctx.limiter.settings;
      settings.enabled = b.enabled;
      if (b.global_per_s !== undefined) settings.globalPerSecond = Number(b.global_per_s);
      if (b.channel_messages_per_5s !== undefined)
        settings.channelMessagesPer5s = Number(b.channel_messages_per_5s);
      ctx.limiter.reset();
      return ok({
        enabled: settings.enabled,
        global_per_s: settings.globalPerSecond,
        channel_messages_per_5s: settings.channelMessagesPer5s,
      });
    }
    case "POST clock": {
      const advance = Number(b.advance_ms);
      if (!Number.isFinite(advance) || advance < 0) return bad("advance_ms must be a number ≥ 0");
      ctx.clock.advance(advance);
      return ok({ now: ctx.clock.now() });
    }
    case "GET stats":
      return ok({
        requests: ctx.stats.requests,
        rate_limited: ctx.stats.rateLimited,
        by_status: ctx.stats.byStatus,
      });
    case "GET state":
      return ok({
        application_id: world.applicationId,
        bot_user: world.botUser,
        guilds: [...world.guilds.values()].map((g) => ({ id: g.id, name: g.name })),
      });
    default:
      return bad(`no control route ${method} ${path}`, 404);
  }
}
