import { accessSync, constants, existsSync, mkdirSync, statSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { openDatabase, type SqliteDatabase } from "../storage/database.js";

/**
 * A start-up check failed: one line naming the setting, the path and what to do. Only these end
 * the process; everything that goes wrong once the bot runs is logged and survived.
 */
export class StartupError extends Error {
  constructor(
    readonly key: string,
    readonly path: string,
    problem: string,
    fix: string,
  ) {
    super(`${key}=${path}: ${problem}. ${fix}`);
    this.name = "StartupError";
  }
}

const codeOf = (error: unknown): string => String((error as { code?: unknown }).code ?? "");

/**
 * The digests folder exists, is a folder and can be read; throws `StartupError` otherwise. With
 * `fedBySync` (DIGESTS_GIT_URL set) a missing folder is created: the sync fills it.
 */
export function checkDigestsDir(dir: string, fedBySync = false): void {
  const fail = (problem: string, fix: string) => new StartupError("DIGESTS_DIR", dir, problem, fix);
  if (fedBySync && !existsSync(dir)) {
    try {
      mkdirSync(dir, { recursive: true });
    } catch (error) {
      throw fail(
        `cannot be created for the synced digests (${codeOf(error) || (error as Error).message})`,
        "Create it and give the bot's user write access to it, or set DIGESTS_DIR to a writable folder",
      );
    }
  }
  let isDirectory: boolean;
  try {
    isDirectory = statSync(dir).isDirectory();
  } catch (error) {
    if (codeOf(error) === "ENOENT")
      throw fail(
        `no such folder (looked in ${resolve(dir)})`,
        "Create it (mkdir -p) or set DIGESTS_DIR to the folder that holds your digests",
      );
    throw fail(
      `cannot be read (${codeOf(error) || (error as Error).message})`,
      "Give the bot's user access to it or set DIGESTS_DIR to another folder",
    );
  }
  if (!isDirectory)
    throw fail(
      "is a file, not a folder",
      "Set DIGESTS_DIR to the folder that holds the digest files (YYYY-MM-DD.md)",
    );
  try {
    accessSync(dir, constants.R_OK | constants.X_OK);
  } catch {
    throw fail(
      "cannot be read (permission denied)",
      "Give the bot's user read access to it (chmod u+rx) or set DIGESTS_DIR to another folder",
    );
  }
}

/**
 * Opens the SQLite file and proves it usable before anything else starts: it opens, it is a
 * database, its pages pass SQLite's quick check, its schema is brought up to date and a write
 * succeeds. Each failure is a `StartupError` naming DATABASE_URL, the path and the fix.
 */
export function openCheckedDatabase(path: string): SqliteDatabase {
  const fail = (problem: string, fix: string) =>
    new StartupError("DATABASE_URL", path, problem, fix);
  const elsewhere = "or set DATABASE_URL to a writable file";
  if (path !== ":memory:") {
    const folder = dirname(path);
    try {
      mkdirSync(folder, { recursive: true });
    } catch (error) {
      throw fail(
        `cannot create its folder ${folder} (${codeOf(error) || (error as Error).message})`,
        `Create the folder and give the bot's user write access to it, ${elsewhere}`,
      );
    }
    let isDirectory = false;
    try {
      isDirectory = statSync(path).isDirectory();
    } catch {
      // Not there yet: SQLite creates it.
    }
    if (isDirectory) throw fail("is a folder", "Point DATABASE_URL at a file inside it");
  }
  let db: SqliteDatabase | null = null;
  try {
    db = openDatabase(path);
    const check = db.pragma("quick_check", { simple: true });
    if (check !== "ok")
      throw fail(
        `the database is damaged (${String(check)})`,
        "Restore it from a backup, or move it aside to start with an empty one",
      );
    // A real write: SQLite opens a write-protected file read-only without complaint.
    const version = db.pragma("user_version", { simple: true }) as number;
    db.pragma(`user_version = ${version}`);
    return db;
  } catch (error) {
    db?.close();
    if (error instanceof StartupError) throw error;
    throw explainOpenError(error as Error, fail, elsewhere);
  }
}

function explainOpenError(
  error: Error,
  fail: (problem: string, fix: string) => StartupError,
  elsewhere: string,
): StartupError {
  const code = codeOf(error);
  if (code === "SQLITE_NOTADB" || code.startsWith("SQLITE_CORRUPT"))
    return fail(
      `not a Paperboy database, or a damaged one (${error.message})`,
      "Restore it from a backup, or move it aside to start with an empty one",
    );
  if (code.startsWith("SQLITE_READONLY") || code.startsWith("SQLITE_CANTOPEN") || code === "EACCES")
    return fail(
      `cannot be opened for writing (${error.message})`,
      `Give the bot's user write access to the file and its folder (the -wal and -shm files live there too), ${elsewhere}`,
    );
  if (code === "SQLITE_FULL")
    return fail("the disk is full", `Free some space on its disk, ${elsewhere}`);
  if (code === "SQLITE_BUSY" || code === "SQLITE_LOCKED")
    return fail(
      "is locked by another program",
      "Stop the program that holds it (another Paperboy on this file waits its turn by itself)",
    );
  return fail(error.message, `Check the file, ${elsewhere}`);
}

/** A port could not be taken: one line naming its setting (a start-up error, not a crash). */
export function listenError(key: string, host: string, port: number, error: unknown): Error {
  const code = String((error as { code?: unknown }).code ?? "");
  const where = `${host}:${port}`;
  if (code === "EADDRINUSE")
    return new StartupError(
      key,
      String(port),
      `port ${where} is already in use by another program`,
      key === "HTTP_PORT"
        ? "Stop that program or set HTTP_PORT to a free port (or leave it empty to serve no /healthz)"
        : `Stop that program or set ${key} to a free port`,
    );
  if (code === "EACCES")
    return new StartupError(
      key,
      String(port),
      `not allowed to listen on ${where}`,
      "Use a port above 1023 or run with the right to bind low ports",
    );
  if (code === "EADDRNOTAVAIL" || code === "ENOTFOUND")
    return new StartupError(
      "HTTP_HOST",
      host,
      "this machine has no such address",
      "Set HTTP_HOST to one of its addresses, such as 127.0.0.1 or 0.0.0.0",
    );
  return error as Error;
}
