import { writeFileSync } from "node:fs";
import { createServer, type Server } from "node:net";
import { join } from "node:path";
import Database from "better-sqlite3";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { runMain } from "../support/bot-process.js";
import { type DeliveryWorld, deliveryWorld } from "../support/delivery-world.js";
import { readOnlyFolder } from "../support/fs-conditions.js";
import { tempDir } from "../support/paths.js";

let world: DeliveryWorld;
beforeAll(async () => {
  world = await deliveryWorld({ emulator: { rateLimits: { enabled: false } } });
});
afterAll(() => world.emulator.close());

async function logins(): Promise<number> {
  const response = await fetch(`${world.emulator.url}/_emulator/requests?route=gateway/bot`);
  const body = (await response.json()) as { requests: unknown[] };
  return body.requests.length;
}

/** Starts `npm start` with `env` over the world's, expecting a start-up error before logging in. */
async function refusedStart(env: Record<string, string>): Promise<string> {
  const before = await logins();
  const result = await runMain({ ...world.env, LOG_LEVEL: "info", ...env }).exited;
  expect(result.code).toBe(1);
  expect(await logins()).toBe(before);
  const lines = result.err.trim().split("\n");
  expect(lines).toHaveLength(1);
  return lines[0] as string;
}

describe("start-up checks run before logging in and name the setting, the path and the fix", () => {
  test("a missing digests folder", async () => {
    const dir = join(tempDir(), "no-such-folder");
    const line = await refusedStart({ DIGESTS_DIR: dir });
    expect(line).toContain(`DIGESTS_DIR=${dir}: no such folder`);
    expect(line).toMatch(/Create it .* or set DIGESTS_DIR/);
  });

  test("a digests folder that is a file", async () => {
    const file = join(tempDir(), "digests.md");
    writeFileSync(file, "## Daily Papers (2024-02-20)\n");
    const line = await refusedStart({ DIGESTS_DIR: file });
    expect(line).toContain(`DIGESTS_DIR=${file}: is a file, not a folder`);
  });

  test("a database file that is not a database", async () => {
    const file = join(tempDir(), "state.db");
    writeFileSync(file, "these are not the pages of a SQLite database\n".repeat(200));
    const line = await refusedStart({ DATABASE_URL: file });
    expect(line).toContain(`DATABASE_URL=${file}: not a Paperboy database, or a damaged one`);
    expect(line).toMatch(/Restore it from a backup/);
  });

  test("a database whose folder cannot be created", async () => {
    const blocker = join(tempDir(), "a-file");
    writeFileSync(blocker, "");
    const path = join(blocker, "state.db");
    const line = await refusedStart({ DATABASE_URL: path });
    expect(line).toContain(`DATABASE_URL=${path}: cannot create its folder ${blocker}`);
    expect(line).toMatch(/write access/);
  });

  test("a database that can only be read", async () => {
    const folder = readOnlyFolder();
    try {
      const path = join(folder.dir, "state.db");
      const db = new Database(path);
      db.exec("CREATE TABLE kept (x)");
      db.close();
      folder.protect();
      const line = await refusedStart({ DATABASE_URL: path });
      expect(line).toContain(`DATABASE_URL=${path}: cannot be opened for writing`);
      expect(line).toMatch(/Give the bot's user write access/);
    } finally {
      folder.close();
    }
  });

  test("a taken ops port", async () => {
    const taken: Server = createServer();
    await new Promise<void>((resolve) => taken.listen(0, "127.0.0.1", resolve));
    const port = (taken.address() as { port: number }).port;
    try {
      const line = await refusedStart({ HTTP_PORT: String(port), HTTP_HOST: "127.0.0.1" });
      expect(line).toContain(`HTTP_PORT=${port}: port 127.0.0.1:${port} is already in use`);
      expect(line).toMatch(/set HTTP_PORT to a free port/);
    } finally {
      taken.close();
    }
  });
});

test("the database folder is created when it does not exist yet", async () => {
  const path = join(tempDir(), "new", "deeper", "state.db");
  const run = runMain({ ...world.env, LOG_LEVEL: "info", DATABASE_URL: path }, (out) =>
    out.includes("connected to Discord"),
  );
  await Promise.race([run.ready, new Promise((resolve) => setTimeout(resolve, 20_000))]);
  run.child.kill("SIGTERM");
  const result = await run.exited;
  expect(result.out).toContain("connected to Discord");
  expect(result.code).toBe(0);
});
