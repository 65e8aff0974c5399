import { spawn } from "node:child_process";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { type DeliveryWorld, deliveryWorld } from "../support/delivery-world.js";
import { ROOT } from "../support/paths.js";

let world: DeliveryWorld;
beforeAll(async () => {
  world = await deliveryWorld({ emulator: { rateLimits: { enabled: false } } });
});
afterAll(() => world.emulator.close());

/** Runs `npm start`'s entry point with an environment; resolves with its exit and output. */
function start(env: Record<string, string>, whenReady?: (output: string) => boolean) {
  const child = spawn(process.execPath, ["--import", "tsx", "src/main.ts"], {
    cwd: ROOT,
    env: { PATH: process.env.PATH ?? "", ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let out = "";
  let err = "";
  child.stdout.on("data", (c) => {
    out += String(c);
  });
  child.stderr.on("data", (c) => {
    err += String(c);
  });
  const exited = new Promise<{ code: number | null; out: string; err: string; at: number }>(
    (resolve) => child.on("exit", (code) => resolve({ code, out, err, at: Date.now() })),
  );
  const ready = new Promise<void>((resolve) => {
    const check = setInterval(() => {
      if (whenReady?.(out)) {
        clearInterval(check);
        resolve();
      }
    }, 20);
    void exited.then(() => clearInterval(check));
  });
  return { child, exited, ready };
}

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

  test("prints the invite link on first start and exits 0 within 10 s of SIGTERM", async () => {
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
  }, 30_000);
});
