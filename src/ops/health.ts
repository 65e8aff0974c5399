import type { SyncState } from "../archive/digest-sync.js";
/** What a database write would do now: succeed, or fail in one of these ways. */
export type DatabaseState = "ok" | "busy" | "read-only" | "full" | "corrupt" | "error";

/** The database's part of the health answer. */
export interface DatabasePart {
  state: DatabaseState;
  /** What the last failed write or probe said; null while writes succeed. */
  message: string | null;
  /** ISO time of the last state change. */
  since: string;
}

/** The gateway connection's part of the health answer. */
export interface GatewayPart {
  connected: boolean;
  /** ISO time of the last connect or disconnect. */
  since: string;
}

/** Everything `/healthz` needs to decide, read at the moment it is asked. */
export interface HealthSnapshot {
  starting: boolean;
  database: DatabasePart;
  /** Absent in a process without a gateway session (a worker, a scheduler). */
  gateway?: GatewayPart;
  /**
   * `deliverer`/`standby`: the `all` role, holding the deliverer lease or waiting for it;
   * `scheduler`/`scheduler-standby` likewise for the scheduler lease; `gateway` and `worker` need
   * no lease.
   */
  role: "deliverer" | "standby" | "gateway" | "worker" | "scheduler" | "scheduler-standby";
  /** Digest sync from a git repository, when DIGESTS_GIT_URL is set (detail only: never a 503). */
  digestSync?: SyncState;
}

/** The answer to `/healthz`: a status code and a JSON body. */
export interface HealthAnswer {
  httpStatus: 200 | 503;
  body: Record<string, unknown>;
}

/**
 * The /healthz answer: 503 {"status":"starting"} while starting; 503 when the database cannot be
 * written, when the gateway has been disconnected longer than graceMs, or when this process is a
 * standby; else 200. The body names each part's state.
 */
export function healthAnswer(
  snapshot: HealthSnapshot,
  now: number,
  gatewayGraceMs: number,
): HealthAnswer {
  if (snapshot.starting) return { httpStatus: 503, body: { status: "starting" } };
  const { database, gateway, role } = snapshot;
  const problems: string[] = [];
  if (database.state !== "ok") problems.push(`database ${database.state}`);
  const downMs = !gateway || gateway.connected ? 0 : Math.max(0, now - Date.parse(gateway.since));
  // A short reconnect is routine (Discord asks for them); only a long one is an outage.
  if (downMs > gatewayGraceMs)
    problems.push(`gateway disconnected for ${Math.round(downMs / 1000)} s`);
  if (role === "standby") problems.push("standby: another process delivers from this database");
  if (role === "scheduler-standby")
    problems.push("standby: another process schedules deliveries from this database");
  return {
    httpStatus: problems.length === 0 ? 200 : 503,
    body: {
      status: problems.length === 0 ? "ok" : "unhealthy",
      problems,
      role,
      database: { state: database.state, message: database.message, since: database.since },
      ...(gateway
        ? {
            gateway: {
              state: gateway.connected ? "connected" : "disconnected",
              since: gateway.since,
            },
          }
        : {}),
      ...(snapshot.digestSync ? { digestSync: snapshot.digestSync } : {}),
    },
  };
}
