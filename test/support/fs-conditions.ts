import { execFileSync } from "node:child_process";
import { chmodSync, mkdirSync } from "node:fs";
import { join } from "node:path";
import { tempDir } from "./paths.js";

/** A folder on a filesystem of its own (a small tmpfs) when this user may mount; else null. */
function mounted(
  sizeKb: number,
): { dir: string; remount(options: string): void; close(): void } | null {
  const dir = join(tempDir(), "mnt");
  mkdirSync(dir);
  try {
    execFileSync("mount", ["-t", "tmpfs", "-o", `size=${sizeKb}k`, "tmpfs", dir], {
      stdio: "ignore",
    });
  } catch {
    return null;
  }
  return {
    dir,
    remount: (options) =>
      execFileSync("mount", ["-o", `remount,${options}`, dir], { stdio: "ignore" }),
    close: () => {
      try {
        execFileSync("umount", ["-l", dir], { stdio: "ignore" });
      } catch {
        // already gone
      }
    },
  };
}

/**
 * A folder whose files cannot be written once `protect()` is called: a tmpfs remounted read-only
 * where this user may mount (root ignores file modes), else the files and folder made read-only.
 */
export function readOnlyFolder(): { dir: string; protect(): void; close(): void } {
  const mount = mounted(4096);
  if (mount) return { dir: mount.dir, protect: () => mount.remount("ro"), close: mount.close };
  const dir = join(tempDir(), "read-only");
  mkdirSync(dir);
  return {
    dir,
    protect: () => {
      for (const name of ["state.db", "state.db-wal", "state.db-shm"]) {
        try {
          chmodSync(join(dir, name), 0o444);
        } catch {
          // not there
        }
      }
      chmodSync(dir, 0o555);
    },
    close: () => chmodSync(dir, 0o755),
  };
}

/** A small filesystem that fills up for real (SQLITE_FULL), or null where this user may not mount. */
export function smallDisk(sizeKb: number): { dir: string; close(): void } | null {
  const mount = mounted(sizeKb);
  return mount && { dir: mount.dir, close: mount.close };
}
