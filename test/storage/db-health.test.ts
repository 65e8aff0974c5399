import { chmodSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import Database from "better-sqlite3";
import { afterEach, describe, expect, test } from "vitest";
import { openDatabase, type SqliteDatabase } from "../../src/storage/database.js";
import { DatabaseHealth, databaseState } from "../../src/storage/db-health.js";
import { memoryLogger } from "../support/logger.js";
import { tempDir } from "../support/paths.js";

const opened: SqliteDatabase[] = [];
afterEach(() => {
  for (const db of opened.splice(0)) if (db.open) db.close();
});

function keep(db: SqliteDatabase): SqliteDatabase {
  opened.push(db);
  return db;
}

/** A migrated database file in a fresh folder, with a health that probes on every check. */
function world() {
  const path = join(tempDir(), "paperboy.sqlite");
  const db = keep(openDatabase(path));
  const log = memoryLogger();
  let now = Date.parse("2024-02-20T09:00:00.000Z");
  const health = new DatabaseHealth(db, log.logger, { probeIntervalMs: 0, now: () => now });
  const tick = (ms: number) => {
    now += ms;
  };
  return { path, db, log, health, tick };
}

const changes = (lines: Record<string, unknown>[]) =>
  lines.filter((line) => String(line.msg).startsWith("the database can"));

describe("database health", () => {
  test("a writable database is ok and its probe leaves no file behind", () => {
    const w = world();
    expect(w.health.check()).toEqual({
      state: "ok",
      message: null,
      since: "2024-02-20T09:00:00.000Z",
    });
    expect(w.db.prepare("SELECT count(*) AS n FROM health_probe").get()).toEqual({ n: 1 });
    expect(() => writeFileSync(`${w.path}-health-probe`, "", { flag: "wx" })).not.toThrow();
  });

  test("a second connection holding the write lock makes it busy, and its release ok again", () => {
    const w = world();
    const other = keep(new Database(w.path));
    other.exec("BEGIN EXCLUSIVE");
    other.prepare("INSERT INTO health_probe (id, checked_at) VALUES (9, 0)").run();
    w.tick(1000);
    expect(w.health.check()).toMatchObject({ state: "busy", since: "2024-02-20T09:00:01.000Z" });
    // What the store's own writes see, with the configured wait, is the same state.
    let thrown: unknown;
    w.db.pragma("busy_timeout = 10");
    try {
      w.db.prepare("INSERT INTO health_probe (id, checked_at) VALUES (3, 0)").run();
    } catch (error) {
      thrown = error;
    }
    expect(w.health.report(thrown)).toBe("busy");
    other.exec("ROLLBACK");
    w.tick(1000);
    expect(w.health.check()).toMatchObject({ state: "ok", since: "2024-02-20T09:00:02.000Z" });
    expect(changes(w.log.lines()).map((l) => [l.level, l.state ?? "ok"])).toEqual([
      [40, "busy"],
      [30, "ok"],
    ]);
  });

  test("the probe waits only briefly for the lock and restores the store's own wait", () => {
    const w = world();
    const other = keep(new Database(w.path));
    other.exec("BEGIN EXCLUSIVE");
    const started = Date.now();
    w.health.check();
    expect(Date.now() - started).toBeLessThan(2000);
    expect(w.db.pragma("busy_timeout", { simple: true })).toBe(5000);
    other.exec("ROLLBACK");
  });

  test("a database file that is at its page limit is full (SQLITE_FULL), and ok once it may grow", () => {
    const w = world();
    const pages = w.db.pragma("page_count", { simple: true }) as number;
    w.db.pragma(`max_page_count = ${pages}`);
    const insert = w.db.prepare(
      "INSERT INTO health_probe (id, checked_at, filler) VALUES (?, 0, zeroblob(8192))",
    );
    let thrown: unknown;
    try {
      for (let id = 10; id < 1000; id++) insert.run(id);
    } catch (error) {
      thrown = error;
    }
    expect((thrown as { code?: string }).code).toBe("SQLITE_FULL");
    expect(w.health.report(thrown)).toBe("full");
    expect(w.health.check()).toMatchObject({
      state: "full",
      message: "SQLITE_FULL: database or disk is full",
    });
    w.db.pragma(`max_page_count = ${pages + 1000}`);
    expect(w.health.check().state).toBe("ok");
  });

  test("a probe keeps finding a full file, even when its own row fits in a page it has", () => {
    const w = world();
    w.health.check();
    const pages = w.db.pragma("page_count", { simple: true }) as number;
    w.db.pragma(`max_page_count = ${pages}`);
    for (let i = 0; i < 3; i++) expect(w.health.check().state).toBe("full");
  });

  test("logs each change of state once, however often it is checked or reported", () => {
    const w = world();
    const full = Object.assign(new Error("database or disk is full"), { code: "SQLITE_FULL" });
    for (let i = 0; i < 5; i++) w.health.report(full);
    for (let i = 0; i < 5; i++) w.health.ok();
    const logged = changes(w.log.lines());
    expect(logged.map((l) => l.level)).toEqual([50, 30]);
    expect(logged[0]?.msg).toMatch(/cannot be written \(full\): free disk space/);
  });

  test("probes at most once per interval and answers from memory in between", () => {
    const path = join(tempDir(), "paperboy.sqlite");
    const db = keep(openDatabase(path));
    let now = 0;
    const health = new DatabaseHealth(db, memoryLogger().logger, { now: () => now });
    const probes = () =>
      (db.prepare("SELECT checked_at FROM health_probe").get() as { checked_at: number })
        .checked_at;
    health.check();
    now = 4999;
    health.check();
    expect(probes()).toBe(0);
    now = 5000;
    health.check();
    expect(probes()).toBe(5000);
  });
});

describe("a read-only database", () => {
  test("opened read-only (as a file without write permission is) is read-only", () => {
    const w = world();
    w.db.close();
    const readOnly = keep(new Database(w.path, { readonly: true }));
    const health = new DatabaseHealth(readOnly, memoryLogger().logger, { probeIntervalMs: 0 });
    expect(health.check()).toMatchObject({ state: "read-only" });
    expect(health.check().message).toMatch(/^SQLITE_READONLY/);
  });

  test("a file chmod 0444 before opening is read-only when permissions apply to this user", ({
    skip,
  }) => {
    // Root writes through any mode bits, so there the read-only open above is the real condition.
    if (process.getuid?.() === 0) skip();
    const w = world();
    w.db.close();
    chmodSync(w.path, 0o444);
    const db = keep(new Database(w.path));
    const health = new DatabaseHealth(db, memoryLogger().logger, { probeIntervalMs: 0 });
    expect(health.check().state).toBe("read-only");
  });
});

describe("classifying database errors", () => {
  test.each([
    ["SQLITE_BUSY", "busy"],
    ["SQLITE_BUSY_SNAPSHOT", "busy"],
    ["SQLITE_LOCKED", "busy"],
    ["SQLITE_READONLY", "read-only"],
    ["SQLITE_READONLY_DBMOVED", "read-only"],
    ["SQLITE_FULL", "full"],
    ["ENOSPC", "full"],
    ["SQLITE_CORRUPT", "corrupt"],
    ["SQLITE_NOTADB", "corrupt"],
    ["SQLITE_IOERR_WRITE", "error"],
    ["SQLITE_CANTOPEN", "error"],
    ["SQLITE_ERROR", "error"],
  ])("%s is %s", (code, state) => {
    expect(databaseState(Object.assign(new Error("x"), { code }))).toBe(state);
  });

  test("anything without a code is an error", () => {
    expect(databaseState("boom")).toBe("error");
    expect(databaseState(null)).toBe("error");
  });
});
