import {
  type GatewayLimitSettings,
  PRIVILEGED_INTENTS,
  type PrivilegedIntent,
} from "../gateway-limits.js";
import type { Json } from "../validate/common.js";
import { bad, type ControlModule, ok, shardIdOf } from "./types.js";

const NUMBERS = {
  max_concurrency: "maxConcurrency",
  session_start_total: "sessionStartTotal",
  session_start_reset_ms: "sessionStartResetMs",
  max_guilds_per_shard: "maxGuildsPerShard",
  events_per_window: "eventsPerWindow",
  event_window_ms: "eventWindowMs",
} as const;

function limitsView(settings: GatewayLimitSettings): Record<string, unknown> {
  const view: Record<string, unknown> = { privileged_intents: settings.privilegedIntents };
  for (const [field, key] of Object.entries(NUMBERS)) view[field] = settings[key];
  return view;
}

/** Applies the snake_case fields of `POST gateway/limits`; returns what is wrong, if anything. */
function updateLimits(settings: GatewayLimitSettings, b: Json): string | null {
  for (const [field, key] of Object.entries(NUMBERS)) {
    if (b[field] === undefined) continue;
    const value = Number(b[field]);
    if (!(Number.isInteger(value) && value > 0)) return `${field} must be a positive integer`;
    settings[key] = value;
  }
  if (b.privileged_intents !== undefined) {
    const names = b.privileged_intents;
    const known = Object.keys(PRIVILEGED_INTENTS);
    if (!Array.isArray(names) || names.some((n) => !known.includes(String(n))))
      return `privileged_intents must be a list of ${known.join(", ")}`;
    settings.privilegedIntents = names as PrivilegedIntent[];
  }
  return null;
}

/** Gateway connections: drops, invalid sessions and what each shard did. */
export const gatewayControl: ControlModule = ({ ctx, gateway, route, body: b }) => {
  switch (route) {
    case "POST gateway/disconnect":
      return ok({ closed: gateway.disconnect(Number(b.code ?? 4000), shardIdOf(b)) });
    case "POST gateway/invalidate":
      gateway.invalidate(b.resumable === true, shardIdOf(b));
      return ok();
    case "GET gateway":
      return ok({
        ...gateway.stats,
        connected_shards: gateway.connectedShards(),
        shards: gateway.shardRecords(),
        session_start_limit: ctx.gatewayLimits.sessionStartLimit(),
        limits: limitsView(ctx.gatewayLimits.settings),
      });
    case "POST gateway/limits": {
      const error = updateLimits(ctx.gatewayLimits.settings, b);
      if (error) return bad(error);
      if (b.session_start_remaining !== undefined) {
        const remaining = Number(b.session_start_remaining);
        if (!(Number.isInteger(remaining) && remaining >= 0))
          return bad("session_start_remaining must be an integer ≥ 0");
        ctx.gatewayLimits.setRemaining(remaining);
      }
      return ok({
        limits: limitsView(ctx.gatewayLimits.settings),
        session_start_limit: ctx.gatewayLimits.sessionStartLimit(),
      });
    }
    default:
      return route === "POST faults" && b.route === "gateway"
        ? ok({ closed: gateway.disconnect(Number(b.close_code ?? b.status ?? 4000), shardIdOf(b)) })
        : null;
  }
};
