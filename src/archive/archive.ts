import { existsSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import type { Digest, DigestError } from "../digest/model.js";
import type { ParseResult } from "../digest/parse.js";
import type { Logger } from "../logger.js";
import type { CacheEntry, DigestCache } from "./cache.js";
import { Catalog } from "./catalog.js";
import { contentHash, type DigestFile, type FolderProblem, listDigestFiles } from "./files.js";
import { isHeld, latestDeliverableDate } from "./hold.js";
import { mergeDigests } from "./merge.js";
import { parseDigestBytes } from "./parse-file.js";
import { type DigestParser, type ParseOutcome, ParsePool } from "./parse-pool.js";
import { type LoadedFile, shelveOlder } from "./shelving.js";
import { type FileVersion, SummaryShelf } from "./summary-shelf.js";
import { FolderWatcher } from "./watcher.js";

export { DATES_WITH_SUMMARIES, MAX_SHELVED_SUMMARY_CHARS } from "./shelving.js";

export interface ArchiveOptions {
  dir: string;
  cache?: DigestCache;
  logger: Logger;
  /** A changed file is read again once it has stayed the same this long. */
  quietMs?: number;
  /** How often the whole folder is compared with what was read, in case events were lost. */
  rescanMs?: number;
  /** The clock that decides which digests are still in the future. */
  now?: () => number;
  /** Where files are parsed; by default worker threads, stopped by `close()`. */
  parser?: DigestParser;
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

/** Files read and parsed ahead of the one being taken in while loading. */
const LOAD_AHEAD = 4;

/** One file read while loading: from the cache (`outcome` null) or parsed. */
interface Read {
  file: DigestFile;
  hash: string;
  cached: ParseResult | null;
  outcome: ParseOutcome | null;
}

const yieldToEventLoop = () => new Promise<void>((resolve) => setImmediate(resolve));

/** Every digest under the digests folder, kept current while watched. */
export class Archive {
  private readonly files = new Map<string, LoadedFile>();
  private catalogCache: { catalog: Catalog; cutoff: string } | null = null;
  private watcher: FolderWatcher | null = null;
  private loadedFiles: DigestFile[] = [];
  private readonly heldWarned = new Set<string>();
  private readonly listeners = new Set<DigestListener>();
  private resolveNewest: (() => void) | null = null;
  private readonly newestReady: Promise<void>;
  private readonly parser: DigestParser;
  private readonly shelf: SummaryShelf;
  private readonly missingWarned = new Set<string>();
  /** Bumped on every read of a path, so that an older parse finishing late is dropped. */
  private readonly reads = new Map<string, number>();

  constructor(private readonly options: ArchiveOptions) {
    this.parser = options.parser ?? new ParsePool();
    this.shelf = new SummaryShelf(
      (file) => this.readAgain(file),
      (file) => {
        if (this.missingWarned.has(file.path)) return;
        this.missingWarned.add(file.path);
        this.options.logger.warn(
          { path: file.path },
          "could not read a digest's summaries again (parse cache and file both changed or unreadable)",
        );
      },
    );
    this.newestReady = new Promise((resolve) => {
      this.resolveNewest = resolve;
    });
  }

  /** Loads every file, the newest first; resolves when all are loaded. */
  async load(): Promise<LoadReport> {
    const report: LoadReport = { files: 0, parsed: 0, fromCache: 0, errors: 0 };
    const toCache: CacheEntry[] = [];
    const problems: FolderProblem[] = [];
    const list = existsSync(this.options.dir) ? listDigestFiles(this.options.dir, problems) : [];
    this.loadedFiles = list;
    for (const problem of problems)
      this.options.logger.warn({ dir: this.options.dir, path: problem.path }, problem.message);
    if (list.length === 0)
      this.options.logger.warn({ dir: this.options.dir }, "no digest files found");
    // Files are parsed a few at a time off this thread, and taken in the listed order.
    const ahead: Promise<Read | null>[] = [];
    const take = async () => {
      const read = await ahead.shift();
      const result = read && (read.outcome?.result ?? read.cached);
      if (!read || !result) return;
      if (read.outcome === null) report.fromCache++;
      else {
        if (read.outcome.cacheable)
          toCache.push({
            path: read.file.path,
            contentHash: read.hash,
            result,
            json: read.outcome.json,
          });
        report.parsed++;
      }
      if (!result.ok) report.errors++;
      this.files.set(read.file.path, { hash: read.hash, result, cached: read.outcome === null });
      this.catalogCache = null;
      report.files++;
      // Files are sorted so that once one dated file is in, nothing left can be newer.
      if (read.file.nameDate !== null) this.markNewestReady();
      // Let queries (and the gateway's heartbeats) run between files.
      await yieldToEventLoop();
    };
    for (const file of list) {
      ahead.push(this.readForLoad(file));
      if (ahead.length >= LOAD_AHEAD) await take();
    }
    while (ahead.length > 0) await take();
    this.markNewestReady();
    if (this.remember(() => this.options.cache?.putMany(toCache))) {
      for (const entry of toCache) {
        const loaded = this.files.get(entry.path);
        if (loaded?.hash === entry.contentHash) loaded.cached = true;
      }
    }
    this.shelveOlder();
    for (const error of this.errors()) this.options.logger.warn(error, "file is not a digest");
    return report;
  }

  private async readForLoad(file: DigestFile): Promise<Read | null> {
    let bytes: Buffer;
    try {
      bytes = readFileSync(file.absolutePath);
    } catch (error) {
      this.options.logger.warn({ err: error, path: file.path }, "could not read a digest file");
      return null;
    }
    const hash = contentHash(bytes);
    const cached = this.options.cache?.get(file.path, hash) ?? null;
    if (cached) return { file, hash, cached, outcome: null };
    return { file, hash, cached, outcome: await this.parser.parse(bytes, file.path) };
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

  /** The indexes over what is loaded now, without digests dated in the future. */
  catalog(): Catalog {
    const cutoff = latestDeliverableDate(this.options.now?.() ?? Date.now());
    if (this.catalogCache?.cutoff !== cutoff)
      this.catalogCache = { catalog: new Catalog(this.mergedDigests(cutoff)), cutoff };
    return this.catalogCache.catalog;
  }

  /** The digest with the latest date. */
  newest(): Digest | null {
    return this.catalog().newest();
  }

  /** Files that could not be read as digests. */
  errors(): DigestError[] {
    return [...this.files.values()].flatMap(({ result }) => (result.ok ? [] : [result.error]));
  }

  private mergedDigests(cutoff: string): Digest[] {
    const byDate = new Map<string, Digest[]>();
    const paths = [...this.files.keys()].sort();
    for (const path of paths) {
      const result = this.files.get(path)?.result;
      if (!result?.ok) continue;
      if (isHeld(result.digest.date, cutoff)) {
        this.warnHeld(path, result.digest.date);
        continue;
      }
      const list = byDate.get(result.digest.date) ?? [];
      list.push(result.digest);
      byDate.set(result.digest.date, list);
    }
    return [...byDate.values()].flatMap((parts) => mergeDigests(parts) ?? []);
  }

  /** A digest dated after tomorrow everywhere is a typo or not yet due: held, said once. */
  private warnHeld(path: string, date: string): void {
    const key = `${path}@${date}`;
    if (this.heldWarned.has(key)) return;
    this.heldWarned.add(key);
    this.options.logger.warn(
      { path, date },
      `digest dated ${date} is in the future; held until that date (check its heading)`,
    );
  }

  /** Calls `listener` with the date of each digest that appears or changes while watching. */
  onDigest(listener: DigestListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Starts following the folder: new, changed and removed files are picked up without restart. */
  watch(): void {
    if (this.watcher) return;
    this.watcher = new FolderWatcher({
      dir: this.options.dir,
      quietMs: this.options.quietMs ?? 1000,
      rescanMs: this.options.rescanMs ?? 10_000,
      logger: this.options.logger,
      onChange: (path) => {
        this.reload(path).catch((error: unknown) => {
          this.options.logger.error({ err: error, path }, "could not read a changed digest file");
        });
      },
    });
    this.watcher.start(this.loadedFiles);
  }

  /**
   * Reads one file again on this thread (or forgets it when gone); for tools and tests, the
   * watcher uses `reload`. Returns the affected digest date, if any.
   */
  refresh(path: string): string | null {
    const read = this.readChanged(path);
    if (read === null || "gone" in read) return read?.gone ?? null;
    const result = parseDigestBytes(read.bytes, path);
    return this.apply(path, read.hash, { result, cacheable: true });
  }

  /** Reads one file again in a worker (or forgets it when gone). Resolves with the affected date. */
  async reload(path: string): Promise<string | null> {
    const read = this.readChanged(path);
    if (read === null || "gone" in read) return read?.gone ?? null;
    const version = this.reads.get(path);
    const outcome = await this.parser.parse(read.bytes, path);
    if (this.reads.get(path) !== version) return null; // read again meanwhile
    return this.apply(path, read.hash, outcome, "later");
  }

  /**
   * Takes in a digest read by another process (the stored digests of a PostgreSQL deployment, see
   * `DatabaseDigestFeed`): announced as a changed file is, or quietly while first loading.
   * Returns the affected date when announced.
   */
  takeIn(path: string, hash: string, result: ParseResult, announce: boolean): string | null {
    if (this.files.get(path)?.hash === hash) return null;
    if (announce) return this.apply(path, hash, { result, cacheable: false });
    this.files.set(path, { hash, result, cached: false });
    this.catalogCache = null;
    return null;
  }

  /** Forgets a digest that is gone; returns its date, if it was one. */
  forget(path: string): string | null {
    const previous = this.files.get(path);
    if (!previous) return null;
    if (previous.result.ok) this.shelf.restore(previous.result.digest.papers);
    this.files.delete(path);
    this.catalogCache = null;
    return previous.result.ok ? previous.result.digest.date : null;
  }

  /** Path → content hash of every digest held now. */
  versions(): Map<string, string> {
    return new Map([...this.files].map(([path, file]) => [path, file.hash]));
  }

  /** Says that loading from elsewhere is done: the newest digest can be served. */
  loadedElsewhere(): void {
    this.markNewestReady();
  }

  private readChanged(
    path: string,
  ): { bytes: Buffer; hash: string } | { gone: string | null } | null {
    this.reads.set(path, (this.reads.get(path) ?? 0) + 1);
    const absolute = join(this.options.dir, path);
    const previous = this.files.get(path);
    if (!existsSync(absolute) || !statSync(absolute).isFile()) {
      if (!previous) return null;
      // Forgotten first: its papers take their summaries back from the cache before it goes.
      const gone = this.forget(path);
      this.remember(() => this.options.cache?.remove(path));
      return { gone };
    }
    const bytes = readFileSync(absolute);
    const hash = contentHash(bytes);
    return previous?.hash === hash ? null : { bytes, hash };
  }

  /**
   * Takes in a file's new parse result. Its parse cache row is written at once, or with `later`
   * on the event loop's next turn: a large digest's row takes the bot's thread 5–40 ms to write,
   * which then does not add to taking the digest in.
   */
  private apply(
    path: string,
    hash: string,
    outcome: ParseOutcome,
    write: "now" | "later" = "now",
  ): string | null {
    const { result, cacheable, json } = outcome;
    // Papers of the version being replaced may still be shown (an index being rebuilt answers
    // meanwhile): they take their summaries back before the cached result they read goes.
    const previous = this.files.get(path);
    if (previous?.result.ok) this.shelf.restore(previous.result.digest.papers);
    const entry = { path, contentHash: hash, result, json };
    const loaded: LoadedFile = { hash, result, cached: false };
    const store = () => {
      if (this.files.get(path) !== loaded) return; // replaced or gone meanwhile
      const stored = cacheable && this.remember(() => this.options.cache?.putMany([entry]));
      loaded.cached = stored && this.options.cache !== undefined;
    };
    this.files.set(path, loaded);
    if (write === "now") store();
    else
      setImmediate(() => {
        store();
        // Now cached, an old enough digest's summaries can go to the shelf too.
        if (loaded.cached) this.shelveOlder();
      });
    this.shelveOlder();
    this.catalogCache = null;
    if (!result.ok) {
      this.options.logger.warn(result.error, "file is not a digest");
      return null;
    }
    this.options.logger.info(
      { path, date: result.digest.date, papers: result.digest.papers.length },
      "digest updated",
    );
    if (isHeld(result.digest.date, latestDeliverableDate(this.options.now?.() ?? Date.now()))) {
      this.catalog();
      return null;
    }
    for (const listener of this.listeners) {
      try {
        listener(result.digest.date);
      } catch (error) {
        this.options.logger.error({ err: error }, "a digest listener failed");
      }
    }
    return result.digest.date;
  }

  /**
   * Writes to the parse cache, which only saves work on the next start: when the database cannot
   * take it (busy, full), the digest is still served and delivered, and parsed again next time.
   */
  private remember(write: () => void): boolean {
    try {
      write();
      return true;
    } catch (error) {
      this.options.logger.debug({ err: error }, "could not cache a parsed digest");
      return false;
    }
  }

  /** Shelves the summaries of older cached digests (see `shelveOlder`). */
  private shelveOlder(): void {
    if (this.options.cache === undefined) return;
    if (shelveOlder(this.files, this.shelf)) this.catalogCache = null;
  }

  /** A file's parse result read again for its summaries: from the cache, else from the file. */
  private readAgain(file: FileVersion): ParseResult | null {
    try {
      const cached = this.options.cache?.get(file.path, file.hash);
      if (cached) return cached;
    } catch {
      // The database cannot be read now: the file itself may still be there.
    }
    const absolute = join(this.options.dir, file.path);
    if (!existsSync(absolute)) return null;
    const bytes = readFileSync(absolute);
    return contentHash(bytes) === file.hash ? parseDigestBytes(bytes, file.path) : null;
  }

  /** Stops watching and stops the parser's workers. */
  close(): void {
    this.watcher?.close();
    this.watcher = null;
    void this.parser.close();
  }
}
