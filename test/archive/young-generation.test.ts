import { spawnSync } from "node:child_process";
import { describe, expect, test } from "vitest";
import { ROOT } from "../support/paths.js";

describe("parse workers in a bot started as npm start starts it", () => {
  test("get a young generation several times the bot's own, which stays small", () => {
    // npm start gives the bot's thread a 1 MiB semi-space to keep it small.
    const run = spawnSync(
      process.execPath,
      ["--max-semi-space-size=1", "--import", "tsx", "test/archive/young-generation-child.mts"],
      { cwd: ROOT, encoding: "utf8", timeout: 60_000 },
    );
    expect(run.stderr).toBe("");
    const sizes = JSON.parse(run.stdout) as { worker: number; own: number };
    expect(sizes.own).toBeLessThanOrEqual(4 * 2 ** 20);
    expect(sizes.worker).toBeGreaterThanOrEqual(8 * sizes.own);
  }, 90_000);
});
