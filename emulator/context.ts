import type { Clock } from "./clock.js";
import type { FaultPlan } from "./faults.js";
import type { Interactions } from "./interactions.js";
import type { RateLimiter } from "./ratelimit.js";
import type { World } from "./state.js";

/** Counters behind `GET /_emulator/stats`. */
export interface Stats {
  requests: number;
  rateLimited: { user: number; global: number; shared: number };
  byStatus: Record<string, number>;
}

/** Everything a handler may touch. */
export interface EmulatorContext {
  world: World;
  clock: Clock;
  limiter: RateLimiter;
  faults: FaultPlan;
  interactions: Interactions;
  commands: Map<string, Record<string, unknown>[]>;
  stats: Stats;
  token: string;
  shardCount: number;
  /** Reported in `session_start_limit`; discord.js waits 5 s between identifies in one bucket. */
  maxConcurrency: number;
  nonceWindowMs: number;
  gatewayUrl: () => string;
}
