import type { ParseResult } from "../digest/parse.js";
import type { Logger } from "../logger.js";
import type { Archive } from "./archive.js";

/** Where the digests another process read and stored are (PostgreSQL's `digests` table). */
export interface StoredDigestSource {
  /** Path → content hash of every stored digest. */
  versions(): Promise<Map<string, string>>;
  /** The stored results of `paths`. */
  read(
    paths: readonly string[],
  ): Promise<{ path: string; contentHash: string; result: ParseResult }[]>;
}

/** Results read per query while loading, so no query carries the whole archive. */
const READ_BATCH = 50;

/**
 * Serves the archive from the database instead of a folder (`DIGESTS_SOURCE=database`): loads
 * every stored digest, then looks for new, changed and removed ones every `pollMs`, announcing
 * them as the folder watcher announces a changed file (so arrivals are posted and indexed).
 */
export class DatabaseDigestFeed {
  private timer: NodeJS.Timeout | null = null;
  private polling = false;
  private failing = false;

  constructor(
    private readonly archive: Archive,
    private readonly source: StoredDigestSource,
    private readonly logger: Logger,
    private readonly pollMs = 10_000,
  ) {}

  /** Loads every stored digest; resolves when all are in. */
  async load(): Promise<number> {
    try {
      return await this.takeChanges(false);
    } finally {
      this.archive.loadedElsewhere();
    }
  }

  /** Starts looking for changes every `pollMs`. */
  watch(): void {
    if (this.timer) return;
    this.timer = setInterval(() => void this.poll(), this.pollMs);
    this.timer.unref();
  }

  close(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }

  /** One look for changes; never throws (a failure is logged once until it works again). */
  async poll(): Promise<void> {
    if (this.polling) return;
    this.polling = true;
    try {
      await this.takeChanges(true);
      if (this.failing) this.logger.info("reading stored digests works again");
      this.failing = false;
    } catch (error) {
      if (!this.failing)
        this.logger.warn({ err: error }, "could not read stored digests; serving what was read");
      this.failing = true;
    } finally {
      this.polling = false;
    }
  }

  /** Takes in what differs from what the archive holds; returns how many digests changed. */
  private async takeChanges(announce: boolean): Promise<number> {
    const stored = await this.source.versions();
    const held = this.archive.versions();
    for (const path of held.keys()) {
      if (stored.has(path)) continue;
      const date = this.archive.forget(path);
      if (date) this.logger.info({ path, date }, "a stored digest was removed");
    }
    const changed = [...stored].filter(([path, hash]) => held.get(path) !== hash).map(([p]) => p);
    // Newest names first, as the folder is read: the newest digest is served soonest.
    changed.sort().reverse();
    for (let i = 0; i < changed.length; i += READ_BATCH) {
      for (const digest of await this.source.read(changed.slice(i, i + READ_BATCH)))
        this.archive.takeIn(digest.path, digest.contentHash, digest.result, announce);
    }
    return changed.length;
  }
}
