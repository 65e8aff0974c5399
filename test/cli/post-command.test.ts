import { execFile } from "node:child_process";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterAll, describe, expect, test } from "vitest";
import type { DeliveryPlan } from "../../src/delivery/model.js";
import { openDatabase } from "../../src/storage/database.js";
import { SqliteStore } from "../../src/storage/sqlite-store.js";
import { type DeliveryWorld, deliveryWorld, receivedTitles } from "../support/delivery-world.js";
import { ROOT } from "../support/paths.js";

const run = promisify(execFile);
let world: DeliveryWorld;
afterAll(() => world?.emulator.close());

async function paperboy(env: Record<string, string>, ...args: string[]) {
  try {
    const { stdout, stderr } = await run(
      process.execPath,
      [join(ROOT, "bin", "paperboy.js"), ...args],
      {
        cwd: world.dir,
        env: { ...process.env, ...env, LOG_LEVEL: "warn" },
      },
    );
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code: number; stdout: string; stderr: string };
    return { code: failed.code, stdout: failed.stdout, stderr: failed.stderr };
  }
}

describe("paperboy post", () => {
  test("posts a digest to an unsubscribed channel over REST, and again on purpose, recorded in the ledger", async () => {
    world = await deliveryWorld({ emulator: { rateLimits: { enabled: false } } });
    const first = await paperboy(
      world.env,
      "post",
      "--date",
      "2024-02-20",
      "--channel",
      world.guild.text,
    );
    expect(first.code, first.stderr).toBe(0);
    expect(first.stdout).toMatch(
      new RegExp(`${world.guild.text}: done \\(\\d+ sent, 0 skipped\\)`),
    );
    const second = await paperboy(
      world.env,
      "post",
      "--date",
      "2024-02-20",
      "--channel",
      world.guild.text,
    );
    expect(second.code).toBe(0);
    expect(await receivedTitles(world.emulator, world.guild, world.guild.text)).toHaveLength(28);
    const db = openDatabase(world.config.databasePath);
    const deliveries = await new SqliteStore(db).lastDeliveries(10);
    db.close();
    expect(deliveries[0]).toMatchObject({
      kind: "manual",
      status: "done",
      guildId: world.guild.id,
    });
  });

  test("--dry-run prints the payloads and sends nothing", async () => {
    const before = world.emulator.ctx.world.messages.size;
    const result = await paperboy(
      { ...world.env, DISCORD_TOKEN: "" },
      "post",
      "--dry-run",
      "--channel",
      world.guild.news,
    );
    expect(result.code, result.stderr).toBe(0);
    const plans = JSON.parse(result.stdout) as DeliveryPlan[];
    expect(plans).toHaveLength(1);
    expect(plans[0]?.steps[0]?.role).toBe("header");
    expect(plans[0]?.steps.flatMap((s) => s.payload.embeds)).toHaveLength(14);
    expect(world.emulator.ctx.world.messages.size).toBe(before);
  });

  test("--dry-run creates no database where there is none", async () => {
    const databasePath = join(world.dir, "never-created", "state.db");
    const result = await paperboy(
      { ...world.env, DISCORD_TOKEN: "", DATABASE_URL: databasePath },
      "post",
      "--dry-run",
      "--channel",
      world.guild.news,
    );
    expect(result.code, result.stderr).toBe(0);
    expect(JSON.parse(result.stdout)).toHaveLength(1);
    expect(existsSync(join(world.dir, "never-created"))).toBe(false);
  });

  test("a bad date or a missing digest is explained, with a non-zero exit", async () => {
    expect((await paperboy(world.env, "post", "--date", "20-02-2024")).stderr).toMatch(
      /^invalid date "20-02-2024": --date must be a calendar date as YYYY-MM-DD/,
    );
    for (const date of ["2024-13-45", "2023-02-29"]) {
      const invalid = await paperboy(world.env, "post", "--date", date);
      expect(invalid.code).toBe(2);
      expect(invalid.stderr).toMatch(new RegExp(`^invalid date "${date}": `));
    }
    const missing = await paperboy(
      world.env,
      "post",
      "--date",
      "2031-01-01",
      "--channel",
      world.guild.text,
    );
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(/no digest for 2031-01-01/);
  });
});
