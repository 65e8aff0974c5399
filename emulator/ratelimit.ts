import { createHash } from "node:crypto";
import type { Clock } from "./clock.js";

export interface RateLimitSettings {
  enabled: boolean;
  globalPerSecond: number;
  channelMessagesPer5s: number;
}

/** How one route is limited: `limit` requests per `windowMs` per major parameter. */
export interface BucketSpec {
  name: string;
  limit: (settings: RateLimitSettings) => number;
  windowMs: number;
  /** Interaction callbacks and interaction webhooks are exempt from the global limit. */
  globalExempt: boolean;
}

export type RateDecision =
  | { ok: true; headers: Record<string, string> }
  | { ok: false; scope: "user" | "global"; retryAfterMs: number; headers: Record<string, string> };

interface Window {
  count: number;
  resetAt: number;
}

/** Discord-style rate limits: a global window per bot and fixed windows per route and major parameter. */
export class RateLimiter {
  private readonly buckets = new Map<string, Window>();
  private global: Window = { count: 0, resetAt: 0 };

  constructor(
    readonly settings: RateLimitSettings,
    private readonly clock: Clock,
  ) {}

  /** Counts one request; says whether it may proceed, with the headers to send either way. */
  take(spec: BucketSpec, major: string): RateDecision {
    const now = this.clock.now();
    const limit = spec.limit(this.settings);
    const key = `${spec.name}:${major}`;
    let window = this.buckets.get(key);
    if (!window || window.resetAt <= now) {
      window = { count: 0, resetAt: now + spec.windowMs };
      this.buckets.set(key, window);
    }
    const bucketHash = createHash("sha1").update(spec.name).digest("hex").slice(0, 16);
    const headers = (remaining: number): Record<string, string> => ({
      "X-RateLimit-Limit": String(limit),
      "X-RateLimit-Remaining": String(Math.max(0, remaining)),
      "X-RateLimit-Reset": ((window as Window).resetAt / 1000).toFixed(3),
      "X-RateLimit-Reset-After": (((window as Window).resetAt - now) / 1000).toFixed(3),
      "X-RateLimit-Bucket": bucketHash,
    });
    if (!this.settings.enabled) return { ok: true, headers: headers(limit - 1) };

    if (!spec.globalExempt) {
      if (this.global.resetAt <= now) this.global = { count: 0, resetAt: now + 1000 };
      if (this.global.count >= this.settings.globalPerSecond) {
        return {
          ok: false,
          scope: "global",
          retryAfterMs: this.global.resetAt - now,
          headers: { "X-RateLimit-Global": "true" },
        };
      }
    }
    if (window.count >= limit) {
      return { ok: false, scope: "user", retryAfterMs: window.resetAt - now, headers: headers(0) };
    }
    window.count++;
    if (!spec.globalExempt) this.global.count++;
    return { ok: true, headers: headers(limit - window.count) };
  }

  reset(): void {
    this.buckets.clear();
    this.global = { count: 0, resetAt: 0 };
  }
}

/**
 * The body and headers of a 429, as Discord sends them (docs: topics/rate-limits#exceeding-a-rate-limit):
 * the `Retry-After` header is whole seconds rounded up (64.57 s → 65) while the body's
 * `retry_after` keeps the fraction; a shared-resource limit says "The resource is being rate limited."
 */
export function tooManyRequests(
  scope: "user" | "global" | "shared",
  retryAfterMs: number,
  extraHeaders: Record<string, string> = {},
): { status: 429; headers: Record<string, string>; body: Record<string, unknown> } {
  const seconds = Math.max(0.001, retryAfterMs / 1000);
  const global = scope === "global";
  return {
    status: 429,
    headers: {
      ...extraHeaders,
      "Retry-After": String(Math.ceil(seconds)),
      "X-RateLimit-Scope": scope,
      ...(global ? { "X-RateLimit-Global": "true" } : {}),
    },
    body: {
      message:
        scope === "shared" ? "The resource is being rate limited." : "You are being rate limited.",
      retry_after: Number(seconds.toFixed(3)),
      global,
    },
  };
}

/** The invalid-request limit's knobs; tests shrink them to reach a ban in a few requests. */
export interface BanSettings {
  /** Invalid responses (401, 403, non-shared 429) from one IP within `windowMs` that earn a ban. */
  threshold: number;
  windowMs: number;
  durationMs: number;
  /** What a banned client gets for every REST request: Cloudflare's 429 (error 1015) or a 403. */
  status: 429 | 403;
}

export const DEFAULT_BANS: BanSettings = {
  threshold: 10_000,
  windowMs: 10 * 60 * 1000,
  durationMs: 60 * 60 * 1000,
  status: 429,
};

/**
 * Discord's invalid-request limit (docs: topics/rate-limits#invalid-request-limit-aka-cloudflare-bans):
 * too many 401/403/429 responses to one IP in the window and Cloudflare shuts that IP out for a while.
 */
export class InvalidRequestLimit {
  private readonly invalid = new Map<string, number[]>();
  private readonly bannedUntil = new Map<string, number>();
  readonly stats = { bans: 0 };

  constructor(
    readonly settings: BanSettings,
    private readonly clock: Clock,
  ) {}

  /** Counts one response; a 429 of the shared scope is not held against the client, as on Discord. */
  record(ip: string, status: number, scope: string | undefined): void {
    if (!(status === 401 || status === 403 || status === 429) || scope === "shared") return;
    const now = this.clock.now();
    const times = this.recent(ip, now);
    times.push(now);
    this.invalid.set(ip, times);
    if (times.length >= this.settings.threshold) {
      this.bannedUntil.set(ip, now + this.settings.durationMs);
      this.invalid.delete(ip);
      this.stats.bans++;
    }
  }

  /** How long this IP stays banned, in ms (0 when it is not). */
  banLeftMs(ip: string): number {
    const until = this.bannedUntil.get(ip) ?? 0;
    return Math.max(0, until - this.clock.now());
  }

  /** What the control API shows: the settings, live counts and bans per IP. */
  view(): Record<string, unknown> {
    const now = this.clock.now();
    return {
      threshold: this.settings.threshold,
      window_ms: this.settings.windowMs,
      duration_ms: this.settings.durationMs,
      status: this.settings.status,
      bans: this.stats.bans,
      clients: [...new Set([...this.invalid.keys(), ...this.bannedUntil.keys()])].map((ip) => ({
        ip,
        invalid: this.recent(ip, now).length,
        banned_for_ms: this.banLeftMs(ip),
      })),
    };
  }

  /** Forgets every count and lifts every ban. */
  reset(): void {
    this.invalid.clear();
    this.bannedUntil.clear();
  }

  private recent(ip: string, now: number): number[] {
    // Times are in order, so dropping the expired ones from the front keeps a record cheap.
    const times = this.invalid.get(ip) ?? [];
    let expired = 0;
    while (expired < times.length && (times[expired] ?? 0) <= now - this.settings.windowMs)
      expired++;
    times.splice(0, expired);
    return times;
  }
}

/**
 * The answer to a banned client: Cloudflare's plain-text "error code: 1015" page (not Discord's JSON,
 * and without rate-limit headers) with `Retry-After` in whole seconds; null when the IP is not banned.
 */
export function banned(
  bans: InvalidRequestLimit,
  ip: string,
): { status: number; headers: Record<string, string>; text: string } | null {
  const leftMs = bans.banLeftMs(ip);
  if (leftMs <= 0) return null;
  const text = "error code: 1015";
  return {
    status: bans.settings.status,
    text,
    headers: {
      "Content-Type": "text/plain; charset=UTF-8",
      "Content-Length": String(Buffer.byteLength(text)),
      "Retry-After": String(Math.ceil(leftMs / 1000)),
    },
  };
}
