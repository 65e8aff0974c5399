import { describe, expect, test } from "vitest";
import { GatewayHealth } from "../../src/ops/gateway-health.js";
import { type HealthSnapshot, healthAnswer } from "../../src/ops/health.js";

const T0 = Date.parse("2024-02-20T09:00:00.000Z");
const GRACE = 60_000;

function snapshot(change: Partial<HealthSnapshot> = {}): HealthSnapshot {
  return {
    starting: false,
    database: { state: "ok", message: null, since: new Date(T0).toISOString() },
    gateway: { connected: true, since: new Date(T0).toISOString() },
    role: "deliverer",
    ...change,
  };
}

describe("the /healthz answer", () => {
  test("is 503 with only the starting status while the bot starts", () => {
    const answer = healthAnswer(snapshot({ starting: true }), T0, GRACE);
    expect(answer).toEqual({ httpStatus: 503, body: { status: "starting" } });
  });

  test("is 200 and names every part's state when all is well", () => {
    const answer = healthAnswer(snapshot(), T0 + 1000, GRACE);
    expect(answer.httpStatus).toBe(200);
    expect(answer.body).toEqual({
      status: "ok",
      problems: [],
      role: "deliverer",
      database: { state: "ok", message: null, since: "2024-02-20T09:00:00.000Z" },
      gateway: { state: "connected", since: "2024-02-20T09:00:00.000Z" },
    });
  });

  test.each(["busy", "read-only", "full", "corrupt", "error"] as const)(
    "is 503 while the database is %s, with its message",
    (state) => {
      const database = { state, message: "SQLITE_X: why", since: new Date(T0).toISOString() };
      const answer = healthAnswer(snapshot({ database }), T0, GRACE);
      expect(answer.httpStatus).toBe(503);
      expect(answer.body).toMatchObject({
        status: "unhealthy",
        problems: [`database ${state}`],
        database,
      });
    },
  );

  test("stays 200 through a gateway reconnect shorter than the grace, then turns 503", () => {
    const gateway = { connected: false, since: new Date(T0).toISOString() };
    const within = healthAnswer(snapshot({ gateway }), T0 + GRACE, GRACE);
    expect(within.httpStatus).toBe(200);
    expect(within.body).toMatchObject({ gateway: { state: "disconnected" } });
    const after = healthAnswer(snapshot({ gateway }), T0 + GRACE + 1, GRACE);
    expect(after.httpStatus).toBe(503);
    expect(after.body).toMatchObject({ problems: ["gateway disconnected for 60 s"] });
  });

  test("is 503 for a standby, so a load balancer sends nothing to it", () => {
    const answer = healthAnswer(snapshot({ role: "standby" }), T0, GRACE);
    expect(answer.httpStatus).toBe(503);
    expect(answer.body).toMatchObject({
      role: "standby",
      problems: [expect.stringMatching(/^standby/)],
    });
  });

  test("lists every problem at once", () => {
    const answer = healthAnswer(
      snapshot({
        role: "standby",
        database: { state: "full", message: null, since: new Date(T0).toISOString() },
        gateway: { connected: false, since: new Date(T0).toISOString() },
      }),
      T0 + 2 * GRACE,
      GRACE,
    );
    expect(answer.body.problems).toHaveLength(3);
  });
});

describe("the gateway's health", () => {
  test("starts disconnected and moves its time only when the connection changes", () => {
    let now = T0;
    const gateway = new GatewayHealth(() => now);
    expect(gateway.part()).toEqual({ connected: false, since: "2024-02-20T09:00:00.000Z" });
    now += 1000;
    gateway.connected();
    now += 1000;
    gateway.connected();
    expect(gateway.part()).toEqual({ connected: true, since: "2024-02-20T09:00:01.000Z" });
    now += 1000;
    gateway.disconnected();
    now += 1000;
    gateway.disconnected();
    expect(gateway.part()).toEqual({ connected: false, since: "2024-02-20T09:00:03.000Z" });
  });
});
