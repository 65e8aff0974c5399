import { execFileSync } from "node:child_process";
import { closeSync, mkdirSync, openSync, rmSync, unlinkSync, writeSync } from "node:fs";
import { join } from "node:path";
import { afterEach, describe, expect, test } from "vitest";
import { openDatabase, type SqliteDatabase } from "../../src/storage/database.js";
import { DatabaseHealth } from "../../src/storage/db-health.js";
import { memoryLogger } from "../support/logger.js";
import { tempDir } from "../support/paths.js";

// Real full disks and read-only file systems need `mount` (root here). Where it is not permitted
// these are skipped, and db-health.test.ts covers the same states with SQLite's own limits
// (`max_page_count`, a read-only open).
const mounted: string[] = [];
const opened: SqliteDatabase[] = [];
afterEach(() => {
  for (const db of opened.splice(0)) if (db.open) db.close();
  for (const dir of mounted.splice(0).reverse()) execFileSync("umount", [dir]);
});

function mount(args: string[], dir: string): boolean {
  try {
    execFileSync("mount", [...args, dir], { stdio: "ignore" });
    if (!args.some((arg) => arg.startsWith("remount"))) mounted.push(dir);
    return true;
  } catch {
    return false;
  }
}

/** A small tmpfs of `size` (e.g. "1m"), or null where mounting is not permitted. */
function smallDisk(size: string): string | null {
  const dir = tempDir();
  return mount(["-t", "tmpfs", "-o", `size=${size}`, "tmpfs"], dir) ? dir : null;
}

/** Writes zeros into a new file until the disk refuses; returns the file. */
function fillDisk(dir: string): string {
  const path = join(dir, "filler");
  const fd = openSync(path, "w");
  const chunk = Buffer.alloc(16 * 1024);
  try {
    for (;;) writeSync(fd, chunk);
  } catch (error) {
    expect((error as { code?: string }).code).toBe("ENOSPC");
  } finally {
    closeSync(fd);
  }
  return path;
}

function health(db: SqliteDatabase) {
  const log = memoryLogger();
  const probe = new DatabaseHealth(db, log.logger, { probeIntervalMs: 0 });
  const changes = () =>
    log.lines().filter((line) => String(line.msg).startsWith("the database can"));
  return { probe, changes };
}

describe("a database on a full disk", () => {
  test("is full by the work's writes (SQLITE_FULL) and by the probe, and ok once space is freed", ({
    skip,
  }) => {
    const dir = smallDisk("1m");
    if (!dir) return skip();
    const db = openDatabase(join(dir, "paperboy.sqlite"));
    opened.push(db);
    const { probe, changes } = health(db);
    expect(probe.check().state).toBe("ok");
    const filler = fillDisk(dir);
    let thrown: unknown;
    try {
      const insert = db.prepare(
        "INSERT INTO health_probe (id, checked_at, filler) VALUES (?, 0, zeroblob(16384))",
      );
      for (let id = 10; id < 1000; id++) insert.run(id);
    } catch (error) {
      thrown = error;
    }
    expect((thrown as { code?: string }).code).toBe("SQLITE_FULL");
    expect(probe.report(thrown)).toBe("full");
    expect(probe.check().state).toBe("full");
    unlinkSync(filler);
    expect(probe.check()).toMatchObject({ state: "ok", message: null });
    expect(changes().map((line) => [line.level, line.state ?? "ok"])).toEqual([
      [50, "full"],
      [30, "ok"],
    ]);
  });

  test("is full by the probe even while small writes still fit in space SQLite already has", ({
    skip,
  }) => {
    const dir = smallDisk("2m");
    if (!dir) return skip();
    const db = openDatabase(join(dir, "paperboy.sqlite"));
    opened.push(db);
    const { probe } = health(db);
    // Grow the WAL, then let it be reused from its start: later small commits need no new space.
    const insert = db.prepare(
      "INSERT INTO health_probe (id, checked_at, filler) VALUES (?, 0, zeroblob(4096))",
    );
    for (let id = 10; id < 60; id++) insert.run(id);
    db.pragma("wal_checkpoint(TRUNCATE)");
    fillDisk(dir);
    expect(probe.check().state).toBe("full");
  });
});

describe("a database on a read-only file system", () => {
  test("is read-only although BEGIN IMMEDIATE; ROLLBACK still passes there", ({ skip }) => {
    // The same file seen through a read-only bind mount: permissions root cannot write through.
    const writable = tempDir();
    const readOnly = tempDir();
    const path = join(writable, "paperboy.sqlite");
    const owner = openDatabase(path);
    opened.push(owner);
    if (!mount(["--bind", writable], readOnly)) return skip();
    if (!mount(["-o", "remount,bind,ro"], readOnly)) return skip();
    const db = openDatabase(join(readOnly, "paperboy.sqlite"));
    opened.push(db);
    expect(() => db.exec("BEGIN IMMEDIATE; ROLLBACK")).not.toThrow();
    const { probe, changes } = health(db);
    const part = probe.check();
    expect(part.state).toBe("read-only");
    expect(probe.check().state).toBe("read-only");
    expect(changes()).toHaveLength(1);
    expect(changes()[0]?.msg).toMatch(/make the database file and its folder writable/);
  });
});

describe("the space probe", () => {
  test("that cannot create its file (not for space, not for a read-only file system) leaves the decision to SQLite's write", () => {
    const dir = tempDir();
    const path = join(dir, "db", "paperboy.sqlite");
    mkdirSync(join(dir, "db"));
    const db = openDatabase(path);
    opened.push(db);
    // A directory standing where the probe's file would go: its open fails with EISDIR.
    mkdirSync(`${path}-health-probe`);
    const { probe } = health(db);
    expect(probe.check().state).toBe("ok");
    rmSync(`${path}-health-probe`, { recursive: true });
  });
});
