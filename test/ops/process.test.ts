import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { runMain as start } from "../support/bot-process.js";
import { type DeliveryWorld, deliveryWorld } from "../support/delivery-world.js";

let world: DeliveryWorld;
beforeAll(async () => {
  world = await deliveryWorld({ emulator: { rateLimits: { enabled: false } } });
});
afterAll(() => world.emulator.close());

describe("npm start", () => {
  test("without a token it says in one line what is missing and where to get it", async () => {
    const { exited } = start({ ...world.env, DISCORD_TOKEN: "", LOG_LEVEL: "info" });
    const result = await exited;
    expect(result.code).toBe(1);
    expect(result.err.trim().split("\n")).toHaveLength(1);
    expect(result.err).toMatch(
      /DISCORD_TOKEN is missing: .*discord\.com\/developers\/applications/,
    );
  });

  test("with a token Discord refuses it says so in one line", async () => {
    const result = await start({ ...world.env, DISCORD_TOKEN: "not-the-token" }).exited;
    expect(result.code).toBe(1);
    expect(result.err.trim().split("\n")).toHaveLength(1);
    expect(result.err).toMatch(/DISCORD_TOKEN was refused by Discord/);
  });

  test("prints both links on first start (to a server, and for oneself) and exits 0 within 10 s of SIGTERM", async () => {
    const run = start(
      {
        ...world.env,
        LOG_LEVEL: "info",
        DISCORD_APPLICATION_ID: world.emulator.ctx.world.applicationId,
      },
      (out) => out.includes("oauth2/authorize"),
    );
    await run.ready;
    const sentAt = Date.now();
    run.child.kill("SIGTERM");
    const result = await run.exited;
    expect(result.code).toBe(0);
    expect(result.at - sentAt).toBeLessThan(10_000);
    expect(result.out).toContain(`client_id=${world.emulator.ctx.world.applicationId}`);
    expect(result.out).toContain("scope=bot+applications.commands");
    expect(result.out).toContain("integration_type=0");
    // The user install: reader commands anywhere, no bot and no permission asked.
    expect(result.out).toMatch(
      /"forYourself":"https:\/\/discord\.com\/oauth2\/authorize\?client_id=\d+&scope=applications\.commands&integration_type=1"/,
    );
  }, 30_000);
});
