import { isObject, type Json } from "./validate/common.js";

/** A fault rule from `POST /_emulator/faults`. */
export interface Fault {
  method: string | null;
  /** A route template (`POST /channels/:channel/messages`), or a path fragment. */
  route: string | null;
  channelId: string | null;
  /** 400 (a refused payload), 429, 500, 502, 503 or 504; absent for a reset or a slow response. */
  status: number | null;
  reset: boolean;
  delayMs: number;
  scope: "user" | "global" | "shared";
  retryAfterMs: number;
  times: number | null;
  rate: number;
  /** How many requests this rule has hit so far. */
  hits: number;
}

/** Reads a fault rule; throws a message naming the bad field. */
export function parseFault(body: unknown): Fault {
  if (!isObject(body)) throw new Error("body must be a JSON object");
  const b = body as Json;
  const status = b.status === undefined || b.status === "reset" ? null : Number(b.status);
  if (status !== null && ![400, 429, 500, 502, 503, 504].includes(status))
    throw new Error("status must be 400, 429, 500, 502, 503 or 504");
  const reset = b.reset === true || b.status === "reset";
  const delayMs = Number(b.delay_ms ?? 0);
  if (status === null && !reset && delayMs <= 0)
    throw new Error("give status, reset: true or delay_ms");
  const scope = (b.scope ?? "user") as Fault["scope"];
  if (!["user", "global", "shared"].includes(scope))
    throw new Error("scope must be user, global or shared");
  const rate = b.rate === undefined ? 1 : Number(b.rate);
  if (!(rate > 0 && rate <= 1)) throw new Error("rate must be in (0, 1]");
  const times = b.times === undefined ? null : Number(b.times);
  if (times !== null && !(Number.isInteger(times) && times > 0))
    throw new Error("times must be a positive integer");
  return {
    method: typeof b.method === "string" ? b.method.toUpperCase() : null,
    route: typeof b.route === "string" ? b.route : null,
    channelId: typeof b.channel_id === "string" ? b.channel_id : null,
    status: b.status === "reset" ? null : status,
    reset,
    delayMs,
    scope,
    retryAfterMs: Number(b.retry_after_ms ?? 1000),
    times,
    rate,
    hits: 0,
  };
}

/** The faults in force; each request takes the first rule that matches it. */
export class FaultPlan {
  private rules: Fault[] = [];
  /** Rules whose `times` ran out: kept so a test can still read how often they hit. */
  private spent: Fault[] = [];

  add(fault: Fault): void {
    this.rules.push(fault);
  }

  clear(): void {
    this.rules = [];
    this.spent = [];
  }

  /** Every rule added since the last clear, in order, with its hits and whether it is still active. */
  list(): Record<string, unknown>[] {
    const view = (rule: Fault, active: boolean) => ({
      active,
      method: rule.method,
      route: rule.route,
      channel_id: rule.channelId,
      status: rule.status,
      reset: rule.reset,
      delay_ms: rule.delayMs,
      scope: rule.scope,
      retry_after_ms: rule.retryAfterMs,
      times_left: rule.times,
      rate: rule.rate,
      hits: rule.hits,
    });
    return [...this.spent.map((r) => view(r, false)), ...this.rules.map((r) => view(r, true))];
  }

  /** The fault to apply to this request, if any (consuming one of its `times`). */
  take(request: {
    method: string;
    template: string;
    path: string;
    channelId: string | null;
  }): Fault | null {
    for (const rule of this.rules) {
      if (rule.method && rule.method !== request.method) continue;
      if (rule.route && rule.route !== request.template && !request.path.includes(rule.route))
        continue;
      if (rule.channelId && rule.channelId !== request.channelId) continue;
      if (rule.rate < 1 && Math.random() >= rule.rate) continue;
      rule.hits++;
      if (rule.times !== null) {
        rule.times--;
        if (rule.times <= 0) {
          this.rules = this.rules.filter((r) => r !== rule);
          this.spent.push(rule);
        }
      }
      return rule;
    }
    return null;
  }
}
