import { parseFault } from "../faults.js";
import type { BanSettings } from "../ratelimit.js";
import type { World } from "../state.js";
import type { Json } from "../validate/common.js";
import { bad, type ControlModule, ok } from "./types.js";

/** Applies `{threshold?, window_ms?, duration_ms?, status?}`; returns what is wrong, if anything. */
function updateBans(settings: BanSettings, b: Json): string | null {
  const numbers = {
    threshold: "threshold",
    window_ms: "windowMs",
    duration_ms: "durationMs",
  } as const;
  for (const [field, key] of Object.entries(numbers)) {
    if (b[field] === undefined) continue;
    const value = Number(b[field]);
    if (!(Number.isInteger(value) && value > 0)) return `${field} must be a positive integer`;
    settings[key] = value;
  }
  if (b.status !== undefined) {
    if (b.status !== 429 && b.status !== 403) return "status must be 429 or 403";
    settings.status = b.status;
  }
  return null;
}

/** DM channels the bot opened, the messages it sent in them, and the creates answered 50007. */
function dmStats(world: World): Record<string, number> {
  const channels = world.dms.channels();
  return {
    channels: channels.length,
    messages: channels.reduce((sum, c) => sum + world.channelMessages(c.id).length, 0),
    refused: [...world.dms.refused.values()].reduce((sum, n) => sum + n, 0),
  };
}

/** Faults, rate limits, the invalid-request ban, the clock and request counters. */
export const operationsControl: ControlModule = ({ ctx, route, body: b }) => {
  switch (route) {
    case "POST faults": {
      try {
        ctx.faults.add(parseFault(b));
        return ok();
      } catch (error) {
        return bad((error as Error).message);
      }
    }
    case "GET faults":
      return ok(ctx.faults.list());
    case "DELETE faults":
      ctx.faults.clear();
      return ok();
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
    case "GET bans":
      return ok(ctx.bans.view());
    case "POST bans": {
      const error = updateBans(ctx.bans.settings, b);
      if (error) return bad(error);
      if (b.lift === true) ctx.bans.reset();
      return ok(ctx.bans.view());
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
        last_limited: ctx.stats.lastLimited,
        by_status: ctx.stats.byStatus,
        dms: dmStats(ctx.world),
      });
    default:
      return null;
  }
};
