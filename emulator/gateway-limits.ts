import type { Clock } from "./clock.js";

/** Every intent bit Discord defines (docs: events/gateway#list-of-intents); any other bit is 4013. */
export const DEFINED_INTENTS = [
  0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 20, 21, 24, 25,
]
  .map((bit) => 2 ** bit)
  .reduce((all, bit) => all + bit, 0);

/** Privileged intents (docs: events/gateway#privileged-intents); unless enabled for the app, 4014. */
export const PRIVILEGED_INTENTS = {
  GuildMembers: 1 << 1,
  GuildPresences: 1 << 8,
  MessageContent: 1 << 15,
} as const;
export type PrivilegedIntent = keyof typeof PRIVILEGED_INTENTS;

/** How identifies per 5 s are bucketed (docs: events/gateway#sharding-max-concurrency). */
export const IDENTIFY_WINDOW_MS = 5000;

export interface GatewayLimitSettings {
  /** The privileged intents switched on for the application in the Developer Portal. */
  privilegedIntents: PrivilegedIntent[];
  /** Identifies allowed per 5 s per bucket (`shard_id % max_concurrency`); 1 for most bots. */
  maxConcurrency: number;
  /** Session starts per `sessionStartResetMs` (Discord: 1,000 a day). */
  sessionStartTotal: number;
  sessionStartResetMs: number;
  /** Guilds one shard may hold before Discord closes with 4011 (Discord: 2,500). */
  maxGuildsPerShard: number;
  /** Events a client may send on one connection per `eventWindowMs` before 4008 (Discord: 120 per 60 s). */
  eventsPerWindow: number;
  eventWindowMs: number;
}

export const DEFAULT_GATEWAY_LIMITS: GatewayLimitSettings = {
  privilegedIntents: [],
  maxConcurrency: 1,
  sessionStartTotal: 1000,
  sessionStartResetMs: 24 * 60 * 60 * 1000,
  maxGuildsPerShard: 2500,
  eventsPerWindow: 120,
  eventWindowMs: 60_000,
};

/** Intent bits that `intents` asks for but the application may not have. */
export function disallowedIntents(intents: number, enabled: readonly PrivilegedIntent[]): number {
  let allowed = 0;
  for (const name of enabled) allowed |= PRIVILEGED_INTENTS[name];
  const privileged = Object.values(PRIVILEGED_INTENTS).reduce((all, bit) => all | bit, 0);
  return intents & privileged & ~allowed;
}

/** Whether `intents` is a bitfield made only of bits Discord defines. */
export function validIntents(intents: unknown): intents is number {
  return (
    typeof intents === "number" &&
    Number.isSafeInteger(intents) &&
    intents >= 0 &&
    // Bitwise operators cut to 32 bits, so compare by arithmetic: every set bit must be a defined one.
    intents - (intents & DEFINED_INTENTS) === 0
  );
}

/** The session start limit `GET /gateway/bot` reports and IDENTIFY spends. */
export class GatewayLimits {
  private used = 0;
  private resetAt: number | null = null;
  /** When each concurrency bucket last let an identify through. */
  private readonly lastIdentify = new Map<number, number>();

  constructor(
    readonly settings: GatewayLimitSettings,
    private readonly clock: Clock,
  ) {}

  /** `session_start_limit` as Discord sends it; the window starts with the first identify. */
  sessionStartLimit(): {
    total: number;
    remaining: number;
    reset_after: number;
    max_concurrency: number;
  } {
    this.refresh();
    const now = this.clock.now();
    return {
      total: this.settings.sessionStartTotal,
      remaining: Math.max(0, this.settings.sessionStartTotal - this.used),
      reset_after:
        this.resetAt === null ? this.settings.sessionStartResetMs : Math.max(0, this.resetAt - now),
      max_concurrency: this.settings.maxConcurrency,
    };
  }

  /** Spends one session start; false when none is left. */
  takeSessionStart(): boolean {
    this.refresh();
    if (this.used >= this.settings.sessionStartTotal) return false;
    this.used++;
    this.resetAt ??= this.clock.now() + this.settings.sessionStartResetMs;
    return true;
  }

  /** Whether this shard's bucket may identify now (more than `max_concurrency` per 5 s is op 9). */
  takeIdentifySlot(shardId: number): boolean {
    const bucket = shardId % this.settings.maxConcurrency;
    const now = this.clock.now();
    const last = this.lastIdentify.get(bucket);
    if (last !== undefined && now - last < IDENTIFY_WINDOW_MS) return false;
    this.lastIdentify.set(bucket, now);
    return true;
  }

  /** Sets how many session starts are left (for a test of an exhausted limit). */
  setRemaining(remaining: number): void {
    this.refresh();
    this.used = Math.max(0, this.settings.sessionStartTotal - remaining);
    this.resetAt ??= this.clock.now() + this.settings.sessionStartResetMs;
  }

  private refresh(): void {
    if (this.resetAt !== null && this.clock.now() >= this.resetAt) {
      this.used = 0;
      this.resetAt = null;
    }
  }
}
