import { existsSync, type FSWatcher, readFileSync, statSync, watch } from "node:fs";
import { join } from "node:path";
import type { Digest, DigestError } from "../digest/model.js";
import { type ParseResult, parseDigest } from "../digest/parse.js";
import type { Logger } from "../logger.js";
import type { DigestCache } from "./cache.js";
import { Catalog } from "./catalog.js";
import { contentHash, isDigestFileName, listDigestFiles } from "./files.js";
import { mergeDigests } from "./merge.js";

interface LoadedFile {
  hash: string;
  result: ParseResult;
}

export interface ArchiveOptions {
  dir: string;
  cache?: DigestCache;
  logger: Logger;
  /** How long a burst of file events settles before the file is read again. */
  watchDebounceMs?: number;
}

/** What one load did. */
export interface LoadReport {
  files: number;
  parsed: number;
  fromCache: number;
  errors: number;
}

/** Called with the date of a digest that appeared or changed while watching. */
export type DigestListener = (date: string) => void;

const yieldToEventLoop = () => new Promise<void>((resolve) => setImmediate(resolve));

/** Every digest under the digests folder, kept current while watched. */
export class Archive {
  private readonly files = new Map<string, LoadedFile>();
  private catalogCache: Catalog | null = null;
  private watcher: FSWatcher | null = null;
  private readonly timers = new Map<string, NodeJS.Timeout>();
  private readonly listeners = new Set<DigestListener>();
  private resolveNewest: (() => void) | null = null;
  private readonly newestReady: Promise<void>;

  constructor(private readonly options: ArchiveOptions) {
    this.newestReady = new Promise((resolve) => {
      this.resolveNewest = resolve;
    });
  }

  /** Loads every file, the newest first; resolves when all are loaded. */
  async load(): Promise<LoadReport> {
    const report: LoadReport = { files: 0, parsed: 0, fromCache: 0, errors: 0 };
    const toCache: { path: string; contentHash: string; result: ParseResult }[] = [];
    const list = existsSync(this.options.dir) ? listDigestFiles(this.options.dir) : [];
    if (list.length === 0)
      this.options.logger.warn({ dir: this.options.dir }, "no digest files found");
    for (const file of list) {
      const bytes = readFileSync(file.absolutePath);
      const hash = contentHash(bytes);
      let result = this.options.cache?.get(file.path, hash) ?? null;
      if (result) report.fromCache++;
      else {
        result = parseDigest(bytes.toString("utf8"), file.path);
        toCache.push({ path: file.path, contentHash: hash, result });
        report.parsed++;
      }
      if (!result.ok) report.errors++;
      this.files.set(file.path, { hash, result });
      this.catalogCache = null;
      report.files++;
      // Files are sorted so that once one dated file is in, nothing left can be newer.
      if (file.nameDate !== null) this.markNewestReady();
      // Let queries (and the gateway's heartbeats) run between files.
      await yieldToEventLoop();
    }
    this.markNewestReady();
    this.options.cache?.putMany(toCache);
    for (const error of this.errors()) this.options.logger.warn(error, "file is not a digest");
    return report;
  }

  /** Resolves as soon as the newest digest can be served, before the rest has loaded. */
  async whenNewestReady(): Promise<Digest | null> {
    await this.newestReady;
    return this.newest();
  }

  private markNewestReady(): void {
    this.resolveNewest?.();
    this.resolveNewest = null;
  }

  /** The indexes over what is loaded now. */
  catalog(): Catalog {
    if (this.catalogCache === null) this.catalogCache = new Catalog(this.mergedDigests());
    return this.catalogCache;
  }

  /** The digest with the latest date. */
  newest(): Digest | null {
    return this.catalog().newest();
  }

  /** Files that could not be read as digests. */
  errors(): DigestError[] {
    return [...this.files.values()].flatMap(({ result }) => (result.ok ? [] : [result.error]));
  }

  private mergedDigests(): Digest[] {
    const byDate = new Map<string, Digest[]>();
    const paths = [...this.files.keys()].sort();
    for (const path of paths) {
      const result = this.files.get(path)?.result;
      if (!result?.ok) continue;
      const list = byDate.get(result.digest.date) ?? [];
      list.push(result.digest);
      byDate.set(result.digest.date, list);
    }
    return [...byDate.values()].flatMap((parts) => mergeDigests(parts) ?? []);
  }

  /** Calls `listener` with the date of each digest that appears or changes while watching. */
  onDigest(listener: DigestListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Starts following the folder: new, changed and removed files are picked up without restart. */
  watch(): void {
    if (this.watcher) return;
    const log = this.options.logger;
    this.watcher = watch(this.options.dir, { recursive: true }, (_event, name) => {
      if (name === null || !isDigestFileName(name)) return;
      const path = name.split(/[\\/]/).join("/");
      clearTimeout(this.timers.get(path));
      const timer = setTimeout(() => {
        this.timers.delete(path);
        try {
          this.refresh(path);
        } catch (error) {
          log.error({ err: error, path }, "could not read a changed digest file");
        }
      }, this.options.watchDebounceMs ?? 150);
      this.timers.set(path, timer);
    });
    this.watcher.on("error", (error) => log.error({ err: error }, "digest folder watch failed"));
  }

  /** Reads one file again (or forgets it when gone). Returns the affected digest date, if any. */
  refresh(path: string): string | null {
    const absolute = join(this.options.dir, path);
    const previous = this.files.get(path);
    if (!existsSync(absolute) || !statSync(absolute).isFile()) {
      if (!previous) return null;
      this.files.delete(path);
      this.options.cache?.remove(path);
      this.catalogCache = null;
      return previous.result.ok ? previous.result.digest.date : null;
    }
    const bytes = readFileSync(absolute);
    const hash = contentHash(bytes);
    if (previous?.hash === hash) return null;
    const result = parseDigest(bytes.toString("utf8"), path);
    this.files.set(path, { hash, result });
    this.options.cache?.putMany([{ path, contentHash: hash, result }]);
    this.catalogCache = null;
    if (!result.ok) {
      this.options.logger.warn(result.error, "file is not a digest");
      return null;
    }
    this.options.logger.info(
      { path, date: result.digest.date, papers: result.digest.papers.length },
      "digest updated",
    );
    for (const listener of this.listeners) {
      try {
        listener(result.digest.date);
      } catch (error) {
        this.options.logger.error({ err: error }, "a digest listener failed");
      }
    }
    return result.digest.date;
  }

  /** Stops watching. */
  close(): void {
    this.watcher?.close();
    this.watcher = null;
    for (const timer of this.timers.values()) clearTimeout(timer);
    this.timers.clear();
  }
}
