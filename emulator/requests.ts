import type { EmulatorContext } from "./context.js";
import { ApiError, type FormErrors } from "./errors.js";
import type { Route } from "./router.js";
import { checkSchema, resolveSchema, type SchemaVerdict } from "./validate/schema.js";

/** One REST request as the emulator saw it. */
export interface RequestRecord {
  id: number;
  method: string;
  /** `METHOD /template` once a route matched, else null. */
  route: string | null;
  path: string;
  /** 0 for a connection reset; null while in flight. */
  status: number | null;
  user_agent: string;
  /** Wall-clock ms (not the emulator's movable clock), so a test can order it with its own events. */
  started_at: number;
  ended_at: number | null;
  in_flight: boolean;
  schema: { name: string; ok: boolean; fields: string[] } | null;
}

/** A body that failed its route's official schema. */
export interface ContractViolation {
  id: number;
  request_id: number;
  route: string;
  path: string;
  user_agent: string;
  schema: string;
  fields: string[];
  errors: FormErrors;
  at: number;
}

const MAX_REQUESTS = 5_000;
// Violations are kept apart from the request log so a busy test cannot evict them before
// the contract check runs; bounded all the same.
const MAX_VIOLATIONS = 1_000;

/** The last requests and schema violations of one emulator, in bounded memory. */
export class RequestLog {
  private readonly requests: RequestRecord[] = [];
  private readonly violationList: ContractViolation[] = [];
  private nextId = 1;
  private nextViolationId = 1;

  start(method: string, path: string, userAgent: string | undefined): RequestRecord {
    const record: RequestRecord = {
      id: this.nextId++,
      method,
      route: null,
      path,
      status: null,
      user_agent: userAgent ?? "",
      started_at: Date.now(),
      ended_at: null,
      in_flight: true,
      schema: null,
    };
    this.requests.push(record);
    if (this.requests.length > MAX_REQUESTS) this.requests.shift();
    return record;
  }

  finish(record: RequestRecord, status: number): void {
    if (!record.in_flight) return;
    record.status = status;
    record.ended_at = Date.now();
    record.in_flight = false;
  }

  judge(record: RequestRecord, verdict: SchemaVerdict): void {
    record.schema = { name: verdict.schema, ok: verdict.ok, fields: verdict.fields };
    if (verdict.ok) return;
    this.violationList.push({
      id: this.nextViolationId++,
      request_id: record.id,
      route: record.route ?? record.path,
      path: record.path,
      user_agent: record.user_agent,
      schema: verdict.schema,
      fields: verdict.fields,
      errors: verdict.errors ?? {},
      at: Date.now(),
    });
    if (this.violationList.length > MAX_VIOLATIONS) this.violationList.shift();
  }

  /** Requests oldest first; `route` matches a template (`POST /channels/:channel/messages`) or a path fragment. */
  list(filter: { route?: string; inFlight?: boolean } = {}): RequestRecord[] {
    return this.requests.filter(
      (r) =>
        (filter.route === undefined ||
          r.route === filter.route ||
          r.path.includes(filter.route) ||
          (r.route ?? "").includes(filter.route)) &&
        (filter.inFlight === undefined || r.in_flight === filter.inFlight),
    );
  }

  /** Schema violations with an id above `afterId`, oldest first. */
  violations(afterId = 0): ContractViolation[] {
    return this.violationList.filter((v) => v.id > afterId);
  }
}

// Kept beside the context rather than in it, so the request log needs no change to context.ts.
const logs = new WeakMap<EmulatorContext, RequestLog>();
// Every log of this process, so a test harness can check all emulators, however started.
const everyLog = new Set<RequestLog>();

/** The request log of an emulator. */
export function requestLog(ctx: EmulatorContext): RequestLog {
  let log = logs.get(ctx);
  if (!log) {
    log = new RequestLog();
    logs.set(ctx, log);
    everyLog.add(log);
  }
  return log;
}

/** The request logs of every emulator this process has started (for the contract check). */
export function everyRequestLog(): RequestLog[] {
  return [...everyLog];
}

/**
 * The schema gate: checks a parsed body against its route's official schema, records the
 * verdict, and returns the 400/50035 to answer when it fails (null when it passes or the
 * route has no schema).
 */
export function gateBody(
  ctx: EmulatorContext,
  record: RequestRecord,
  route: Route,
  params: Record<string, string>,
  body: unknown,
): ApiError | null {
  if (!route.schema) return null;
  const name = resolveSchema(
    route.schema,
    () => ctx.world.channels.get(params.channel ?? "")?.type,
  );
  if (!name) return null;
  const verdict = checkSchema(name, body);
  requestLog(ctx).judge(record, verdict);
  return verdict.ok ? null : new ApiError(400, 50035, "Invalid Form Body", verdict.errors);
}
