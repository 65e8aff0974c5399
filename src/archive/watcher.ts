import { existsSync, type FSWatcher, statSync, watch } from "node:fs";
import { join } from "node:path";
import type { Logger } from "../logger.js";
import { type DigestFile, type FolderProblem, isDigestFileName, listDigestFiles } from "./files.js";

export interface FolderWatcherOptions {
  dir: string;
  /** A file is read only once it has not changed for this long. */
  quietMs: number;
  /** How often the whole folder is compared with what was last read, whatever events said. */
  rescanMs: number;
  logger: Logger;
  /** A file appeared, changed or disappeared (path relative to the folder, `/` separators). */
  onChange: (path: string) => void;
}

interface Seen {
  mtimeMs: number;
  size: number;
}

/**
 * Follows the digests folder. File events are only hints: a periodic scan compares every file's
 * size and time with what was last read, so nothing is missed when events are lost — files that
 * arrive during start-up, a folder removed and recreated, editors that save by rename, and
 * symlinked files, whose changes raise no event in the folder at all.
 */
export class FolderWatcher {
  private readonly known = new Map<string, Seen>();
  private readonly timers = new Map<string, NodeJS.Timeout>();
  private readonly reported = new Set<string>();
  private watcher: FSWatcher | null = null;
  private watchedIno: number | null = null;
  private scanTimer: NodeJS.Timeout | null = null;
  private folderMissing = false;

  constructor(private readonly options: FolderWatcherOptions) {}

  /** Starts from what was read (`files`) and catches up at once with anything since. */
  start(files: readonly DigestFile[]): void {
    for (const file of files) this.known.set(file.path, { mtimeMs: file.mtimeMs, size: file.size });
    this.scanTimer = setInterval(() => this.scan(), this.options.rescanMs);
    this.scanTimer.unref();
    this.scan();
  }

  /** Compares the folder with what was last read and settles every difference. */
  scan(): void {
    const { dir, logger } = this.options;
    if (!existsSync(dir)) {
      if (!this.folderMissing)
        logger.warn({ dir }, "the digests folder is gone; waiting for it to return");
      this.folderMissing = true;
      this.closeWatch();
      for (const path of this.known.keys()) this.settle(path);
      return;
    }
    if (this.folderMissing) logger.info({ dir }, "the digests folder is back");
    this.folderMissing = false;
    this.ensureWatch();
    const problems: FolderProblem[] = [];
    const present = new Set<string>();
    for (const file of listDigestFiles(dir, problems)) {
      present.add(file.path);
      const seen = this.known.get(file.path);
      if (!seen || seen.mtimeMs !== file.mtimeMs || seen.size !== file.size) this.settle(file.path);
    }
    for (const path of this.known.keys()) if (!present.has(path)) this.settle(path);
    for (const problem of problems) {
      const key = `${problem.path}: ${problem.message}`;
      if (this.reported.has(key)) continue;
      this.reported.add(key);
      logger.warn({ dir, path: problem.path }, problem.message);
    }
  }

  private ensureWatch(): void {
    const ino = statSync(this.options.dir).ino;
    if (this.watcher && this.watchedIno === ino) return;
    this.closeWatch();
    try {
      this.watcher = watch(this.options.dir, { recursive: true }, (_event, name) => {
        if (name === null || !isDigestFileName(name)) this.scan();
        else this.settle(name.split(/[\\/]/).join("/"));
      });
      this.watchedIno = ino;
      this.watcher.on("error", (error) => {
        this.options.logger.warn({ err: error }, "digest folder events stopped; scanning instead");
        this.closeWatch();
      });
    } catch (error) {
      this.options.logger.warn({ err: error }, "cannot watch the digests folder; scanning instead");
    }
  }

  private closeWatch(): void {
    this.watcher?.close();
    this.watcher = null;
    this.watchedIno = null;
  }

  /** The file's size and time now, or null when it is gone (or not a file). */
  private look(path: string): Seen | null {
    try {
      const stat = statSync(join(this.options.dir, path));
      return stat.isFile() ? { mtimeMs: stat.mtimeMs, size: stat.size } : null;
    } catch {
      return null;
    }
  }

  /** Reports `path` once it has stayed the same for `quietMs` (a writer has finished with it). */
  private settle(path: string): void {
    clearTimeout(this.timers.get(path));
    const first = this.look(path);
    const timer = setTimeout(() => {
      this.timers.delete(path);
      const now = this.look(path);
      if (!same(first, now)) {
        this.settle(path);
        return;
      }
      const before = this.known.get(path) ?? null;
      if (same(before, now)) return;
      if (now === null) this.known.delete(path);
      else this.known.set(path, now);
      this.options.onChange(path);
    }, this.options.quietMs);
    timer.unref();
    this.timers.set(path, timer);
  }

  /** Stops following the folder. */
  close(): void {
    this.closeWatch();
    if (this.scanTimer) clearInterval(this.scanTimer);
    this.scanTimer = null;
    for (const timer of this.timers.values()) clearTimeout(timer);
    this.timers.clear();
  }
}

function same(a: Seen | null, b: Seen | null): boolean {
  if (a === null || b === null) return a === b;
  return a.mtimeMs === b.mtimeMs && a.size === b.size;
}
