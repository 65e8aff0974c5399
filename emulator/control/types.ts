import type { EmulatorContext } from "../context.js";
import type { Gateway } from "../gateway.js";
import type { Json } from "../validate/common.js";

export type ControlResult = { status: number; body: unknown };

/** A control call as a module sees it. */
export interface ControlRequest {
  ctx: EmulatorContext;
  gateway: Gateway;
  method: string;
  /** `METHOD path` with every numeric segment as `:id`, e.g. `POST guilds/:id/channels`. */
  route: string;
  /** The numeric segments of the path, in order. */
  ids: string[];
  /** The first numeric segment, or "" when there is none. */
  id: string;
  body: Json;
}

/** Answers the calls it knows; returns null for any other, so the next module may. */
export type ControlModule = (request: ControlRequest) => ControlResult | null;

export const ok = (body: unknown = { ok: true }): ControlResult => ({ status: 200, body });
export const bad = (message: string, status = 400): ControlResult => ({
  status,
  body: { error: message },
});

/** `shard_id` from a body: a number, or null for every shard. */
export const shardIdOf = (body: Json): number | null =>
  body.shard_id === undefined ? null : Number(body.shard_id);
