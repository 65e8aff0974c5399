import { afterEach, describe, expect, test } from "vitest";
import type { Emulator, EmulatorOptions } from "../../emulator/server.js";
import { control, rest, testEmulator } from "../support/discord.js";

// docs: topics/rate-limits#invalid-request-limit-aka-cloudflare-bans — 10,000 responses of 401, 403
// or 429 (not shared-scope 429s) per IP in 10 minutes earn a temporary ban. Tests shrink the threshold.
const cleanup: (() => unknown)[] = [];
afterEach(async () => {
  for (const step of cleanup.splice(0).reverse()) await step();
});

async function emulator(options: EmulatorOptions = {}): Promise<Emulator> {
  const e = await testEmulator(options);
  cleanup.push(() => e.close());
  return e;
}

const unauthorized = (e: Emulator) => rest(e, "GET", "/users/@me", undefined, "wrong-token");
const me = (e: Emulator) =>
  fetch(`${e.apiUrl}/v10/users/@me`, {
    headers: { authorization: `Bot ${e.token}` },
  });

describe("invalid-request limit", () => {
  test("the threshold-th invalid response bans the IP: every request gets Cloudflare's 429 until the ban ends", async () => {
    const e = await emulator({ invalidRequests: { threshold: 5, durationMs: 60_000 } });
    for (let i = 0; i < 5; i++) expect((await unauthorized(e)).status).toBe(401);
    const banned = await me(e);
    expect(banned.status).toBe(429);
    expect(await banned.text()).toBe("error code: 1015");
    expect(banned.headers.get("retry-after")).toBe("60");
    expect(banned.headers.get("x-ratelimit-scope")).toBeNull();
    const view = await control<{ bans: number; clients: { banned_for_ms: number }[] }>(
      e,
      "GET",
      "bans",
    );
    expect(view.bans).toBe(1);
    expect(view.clients[0]?.banned_for_ms).toBeGreaterThan(59_000);
    await control(e, "POST", "clock", { advance_ms: 60_000 });
    expect((await me(e)).status).toBe(200);
  });

  test("shared-scope 429s do not count, user-scope 429s and 403s do", async () => {
    const e = await emulator({ invalidRequests: { threshold: 4 } });
    await control(e, "POST", "faults", {
      route: "/users/@me",
      status: 429,
      scope: "shared",
      times: 6,
    });
    for (let i = 0; i < 6; i++) expect((await me(e)).status).toBe(429);
    expect((await me(e)).status).toBe(200);
    await control(e, "POST", "faults", {
      route: "/users/@me",
      status: 429,
      scope: "user",
      times: 3,
    });
    for (let i = 0; i < 3; i++) await me(e);
    expect((await unauthorized(e)).status).toBe(401);
    expect(await (await me(e)).text()).toBe("error code: 1015");
  });

  test("invalid responses older than the window are forgotten", async () => {
    const e = await emulator({ invalidRequests: { threshold: 3, windowMs: 10_000 } });
    await unauthorized(e);
    await unauthorized(e);
    await control(e, "POST", "clock", { advance_ms: 10_000 });
    await unauthorized(e);
    await unauthorized(e);
    expect((await me(e)).status).toBe(200);
  });

  test("the control API changes the threshold, answers 403 instead when asked, and lifts bans", async () => {
    const e = await emulator();
    const view = await control(e, "POST", "bans", { threshold: 2, status: 403 });
    expect(view).toMatchObject({ threshold: 2, window_ms: 600_000, duration_ms: 3_600_000 });
    await unauthorized(e);
    await unauthorized(e);
    expect((await me(e)).status).toBe(403);
    await control(e, "POST", "bans", { lift: true });
    expect((await me(e)).status).toBe(200);
  });
});

describe("fault accounting", () => {
  test("GET /_emulator/faults lists each rule with its hits, spent ones as inactive", async () => {
    const e = await emulator();
    await control(e, "POST", "faults", { route: "/users/@me", status: 503, times: 2 });
    await control(e, "POST", "faults", { route: "GET /gateway/bot", status: 500 });
    for (let i = 0; i < 3; i++) await me(e);
    await rest(e, "GET", "/gateway/bot");
    const faults = await control<{ route: string; active: boolean; hits: number }[]>(
      e,
      "GET",
      "faults",
    );
    expect(faults.map((f) => [f.route, f.active, f.hits])).toEqual([
      ["/users/@me", false, 2],
      ["GET /gateway/bot", true, 1],
    ]);
  });
});
