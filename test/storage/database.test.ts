import { join } from "node:path";
import Database from "better-sqlite3";
import { describe, expect, test } from "vitest";
import { openDatabase } from "../../src/storage/database.js";
import { MIGRATIONS } from "../../src/storage/migrations.js";
import { tempDir } from "../support/paths.js";

describe("the SQLite state file", () => {
  test("is created with its folder and brought to the latest schema", () => {
    const path = join(tempDir(), "nested", "state.db");
    const db = openDatabase(path);
    expect(db.pragma("user_version", { simple: true })).toBe(MIGRATIONS.length);
    expect(db.pragma("journal_mode", { simple: true })).toBe("wal");
    db.close();
  });

  test("opening an up-to-date file again changes nothing and keeps its rows", () => {
    const path = join(tempDir(), "state.db");
    const first = openDatabase(path);
    first
      .prepare(
        "INSERT INTO digest_cache (path, content_hash, parser_version, result_json) VALUES ('a', 'h', 1, '{}')",
      )
      .run();
    first.close();
    const second = openDatabase(path);
    expect(second.prepare("SELECT count(*) AS n FROM digest_cache").get()).toEqual({ n: 1 });
    second.close();
  });

  test("refuses a file written by a newer Paperboy instead of damaging it", () => {
    const path = join(tempDir(), "future.db");
    const raw = new Database(path);
    raw.pragma(`user_version = ${MIGRATIONS.length + 5}`);
    raw.close();
    expect(() => openDatabase(path)).toThrow(/newer than this Paperboy/);
  });
});
