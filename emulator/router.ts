import type { IncomingHttpHeaders } from "node:http";
import type { BucketSpec } from "./ratelimit.js";
import type { RouteSchema } from "./validate/schema.js";

/** A REST request as a route handler sees it. */
export interface RestRequest {
  method: string;
  path: string;
  template: string;
  params: Record<string, string>;
  query: URLSearchParams;
  body: unknown;
  headers: IncomingHttpHeaders;
}

/** What a handler answers; `body` undefined means 204. */
export interface RestResponse {
  status?: number;
  body?: unknown;
}

export interface Route {
  method: string;
  template: string;
  /** The request needs `Authorization: Bot <token>` (interaction routes do not). */
  auth: boolean;
  bucket: BucketSpec;
  /** The parameter Discord splits buckets by (channel, guild, webhook). */
  major: (params: Record<string, string>) => string;
  handle: (request: RestRequest) => RestResponse | Promise<RestResponse>;
  /** The official schema the JSON body must pass (strictly) before `handle` runs. */
  schema?: RouteSchema;
}

/** Finds the route for a method and path, with its parameters. */
export function matchRoute(
  routes: readonly Route[],
  method: string,
  path: string,
): { route: Route; params: Record<string, string> } | null {
  const segments = path.split("/").filter(Boolean);
  for (const route of routes) {
    if (route.method !== method) continue;
    const parts = route.template.split("/").filter(Boolean);
    if (parts.length !== segments.length) continue;
    const params: Record<string, string> = {};
    let ok = true;
    for (let i = 0; i < parts.length; i++) {
      const part = parts[i] as string;
      const segment = decodeURIComponent(segments[i] as string);
      if (part.startsWith(":")) params[part.slice(1)] = segment;
      else if (part !== segment) {
        ok = false;
        break;
      }
    }
    if (ok) return { route, params };
  }
  return null;
}

/** Route buckets as Discord shapes them. */
export const BUCKETS = {
  messageCreate: {
    name: "POST /channels/:channel/messages",
    limit: (s) => s.channelMessagesPer5s,
    windowMs: 5000,
    globalExempt: false,
  },
  general: (name: string): BucketSpec => ({
    name,
    limit: () => 50,
    windowMs: 1000,
    globalExempt: false,
  }),
  interaction: (name: string): BucketSpec => ({
    name,
    limit: () => 50,
    windowMs: 1000,
    globalExempt: true,
  }),
} satisfies Record<string, BucketSpec | ((name: string) => BucketSpec)>;
