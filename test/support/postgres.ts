import { execFileSync, spawnSync } from "node:child_process";
import { chownSync, existsSync, mkdtempSync, readdirSync, rmSync } from "node:fs";
import { userInfo } from "node:os";
import { join } from "node:path";
import { freePort } from "./ports.js";

/** Set in CI: missing PostgreSQL binaries then fail the PostgreSQL tests instead of skipping them. */
export const REQUIRE_POSTGRES = process.env.PAPERBOY_REQUIRE_POSTGRES === "1";

/** The newest `/usr/lib/postgresql/<version>/bin` holding `initdb` and `pg_ctl`, if any. */
export function postgresBinDir(root = "/usr/lib/postgresql"): string | null {
  if (!existsSync(root)) return null;
  const versions = readdirSync(root)
    .filter((name) => /^\d+$/.test(name))
    .sort((a, b) => Number(b) - Number(a));
  for (const version of versions) {
    const bin = join(root, version, "bin");
    if (existsSync(join(bin, "initdb")) && existsSync(join(bin, "pg_ctl"))) return bin;
  }
  return null;
}

/** The line printed when the PostgreSQL tests are skipped. */
export const POSTGRES_SKIP_LINE =
  "PostgreSQL tests skipped: no initdb/pg_ctl under /usr/lib/postgresql/*/bin " +
  "(install Debian's postgresql package: apt-get install postgresql)";

/** A PostgreSQL server of its own in a temporary folder, on a free port. */
export interface ThrowawayCluster {
  /** `postgres://paperboy@127.0.0.1:<port>/postgres` (trust authentication, local only). */
  url: string;
  port: number;
  dir: string;
  /** A URL for another database of this server, created first when missing. */
  database(name: string): string;
  /** Stops the server (fast shutdown) and removes its folder. */
  stop(): void;
}

/**
 * `initdb` and `pg_ctl` refuse to run as root: as root, they run as the `postgres` user (which
 * Debian's package creates) and the folder is handed to it.
 */
function asClusterOwner(command: string, args: string[]): [string, string[]] {
  if (userInfo().uid !== 0) return [command, args];
  return ["runuser", ["-u", "postgres", "--", command, ...args]];
}

function run(bin: string, tool: string, args: string[]): string {
  const [command, full] = asClusterOwner(join(bin, tool), args);
  const result = spawnSync(command, full, { encoding: "utf8", timeout: 60_000 });
  if (result.status !== 0) {
    throw new Error(`${tool} failed (${result.status}): ${result.stderr || result.stdout}`);
  }
  return result.stdout;
}

/** Starts a throwaway cluster; the caller stops it. Throws when the binaries are missing. */
export async function startThrowawayCluster(): Promise<ThrowawayCluster> {
  const bin = postgresBinDir();
  if (bin === null) throw new Error(POSTGRES_SKIP_LINE);
  const dir = mkdtempSync("/tmp/paperboy-pg-");
  if (userInfo().uid === 0) {
    const uid = Number(execFileSync("id", ["-u", "postgres"], { encoding: "utf8" }).trim());
    const gid = Number(execFileSync("id", ["-g", "postgres"], { encoding: "utf8" }).trim());
    chownSync(dir, uid, gid);
  }
  const data = join(dir, "data");
  const port = await freePort();
  try {
    run(bin, "initdb", ["-D", data, "-U", "paperboy", "--auth=trust", "-E", "UTF8", "--no-sync"]);
    const options = `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off`;
    run(bin, "pg_ctl", ["-D", data, "-o", options, "-l", join(dir, "log"), "-w", "start"]);
  } catch (error) {
    rmSync(dir, { recursive: true, force: true });
    throw error;
  }
  const url = `postgres://paperboy@127.0.0.1:${port}/postgres`;
  const created = new Set<string>(["postgres"]);
  return {
    url,
    port,
    dir,
    database(name: string): string {
      if (!/^[a-z_][a-z0-9_]*$/.test(name)) throw new Error(`not a plain database name: ${name}`);
      if (!created.has(name)) {
        run(bin, "psql", [
          "-h",
          "127.0.0.1",
          "-p",
          String(port),
          "-U",
          "paperboy",
          "-d",
          "postgres",
          "-qc",
          `CREATE DATABASE ${name}`,
        ]);
        created.add(name);
      }
      return `postgres://paperboy@127.0.0.1:${port}/${name}`;
    },
    stop(): void {
      try {
        run(bin, "pg_ctl", ["-D", data, "-m", "fast", "-w", "stop"]);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    },
  };
}
