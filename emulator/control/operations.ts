import { parseFault } from "../faults.js";
import { bad, type ControlModule, ok } from "./types.js";

/** Faults, rate limits, the clock and request counters. */
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
    default:
      return null;
  }
};
