import { copyFileSync, mkdirSync } from "node:fs";
import { join } from "node:path";
import { afterEach } from "vitest";
import { Archive, type ArchiveOptions } from "../../src/archive/archive.js";
import { SqliteDigestCache } from "../../src/archive/cache.js";
import { openDatabase, type SqliteDatabase } from "../../src/storage/database.js";
import { memoryLogger } from "./logger.js";
import { tempDir } from "./paths.js";

export const openedArchives: { archive: Archive; db: SqliteDatabase }[] = [];

/** An archive over `dir` with a SQLite cache, a memory logger and short quiet periods; closed after each test. */
export function setup(
  dir: string,
  dbPath = join(dir, "..", `${Math.random()}.db`),
  options: Partial<ArchiveOptions> = {},
) {
  const db = openDatabase(dbPath);
  const { logger, lines } = memoryLogger();
  const archive = new Archive({
    dir,
    cache: new SqliteDigestCache(db),
    logger,
    quietMs: 50,
    ...options,
  });
  openedArchives.push({ archive, db });
  return { archive, db, lines, dbPath };
}

/** A digests folder holding copies of `files` (name → source path). */
export function digestsDir(files: Record<string, string>): string {
  const dir = join(tempDir(), "digests");
  mkdirSync(dir, { recursive: true });
  for (const [name, source] of Object.entries(files)) copyFileSync(source, join(dir, name));
  return dir;
}

/** Polls `check` until it returns something truthy. */
export async function waitFor<T>(
  check: () => T | null | undefined | false,
  timeoutMs: number,
): Promise<T> {
  const start = Date.now();
  for (;;) {
    const value = check();
    if (value) return value;
    if (Date.now() - start > timeoutMs) throw new Error(`not within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

afterEach(() => {
  for (const { archive, db } of openedArchives.splice(0)) {
    archive.close();
    db.close();
  }
});
