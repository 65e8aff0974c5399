import type { Clock } from "./clock.js";
import type { FaultPlan } from "./faults.js";
import type { GatewayLimits } from "./gateway-limits.js";
import type { Interactions } from "./interactions.js";
import type { InvalidRequestLimit, RateLimiter } from "./ratelimit.js";
import type { World } from "./state.js";

/** Counters behind `GET /_emulator/stats`. */
export interface Stats {
  requests: number;
  rateLimited: { user: number; global: number; shared: number };
  /** The last 429s the limiter gave (at most 20), so a test that saw one can say which. */
  lastLimited: { route: string; scope: string; at: number }[];
  byStatus: Record<string, number>;
}

/** Everything a handler may touch. */
export interface EmulatorContext {
  world: World;
  clock: Clock;
  limiter: RateLimiter;
  /** The invalid-request limit (Cloudflare bans), per client IP. */
  bans: InvalidRequestLimit;
  faults: FaultPlan;
  interactions: Interactions;
  commands: Map<string, Record<string, unknown>[]>;
  stats: Stats;
  token: string;
  shardCount: number;
  /** Session starts, max_concurrency, privileged intents and the other gateway limits. */
  gatewayLimits: GatewayLimits;
  nonceWindowMs: number;
  gatewayUrl: () => string;
}
