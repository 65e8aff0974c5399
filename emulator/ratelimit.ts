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

/** The body and headers of a 429, as Discord sends them. */
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
      "Retry-After": seconds.toFixed(3),
      "X-RateLimit-Scope": scope,
      ...(global ? { "X-RateLimit-Global": "true" } : {}),
    },
    body: {
      message: "You are being rate limited.",
      retry_after: Number(seconds.toFixed(3)),
      global,
      ...(scope === "shared" ? { code: 0 } : {}),
    },
  };
}
