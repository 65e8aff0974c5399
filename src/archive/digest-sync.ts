import type { Config } from "../config.js";
import { nextRuns } from "../delivery/schedule.js";
import type { Logger } from "../logger.js";
import { type GitSource, type PullResult, pullDigests, shownUrl } from "./git-sync.js";

/** How digest sync stands, for `/healthz` and `/status`. */
export interface SyncState {
  source: string;
  /** Null before the first pull ended. */
  ok: boolean | null;
  lastSuccessAt: string | null;
  lastAttemptAt: string | null;
  commit: string | null;
  /** Why the last pull failed (the last good copy keeps serving meanwhile). */
  error: string | null;
  nextPullAt: string | null;
}

/** A failed pull is tried again this soon, then at the schedule's runs. */
const RETRY_MS = 5 * 60_000;

/**
 * Keeps the digests folder fed from a git repository: a pull at start, then at every run of
 * `DIGESTS_SYNC_CRON` (UTC). A failure is logged once per change of state and retried; what the
 * folder holds keeps serving.
 */
export class DigestSync {
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<PullResult | null> | null = null;
  private stopped = false;
  private readonly current: SyncState;

  constructor(
    private readonly options: {
      source: GitSource;
      digestsDir: string;
      cron: string;
      logger: Logger;
      retryMs?: number;
    },
  ) {
    this.current = {
      source: shownUrl(options.source.url),
      ok: null,
      lastSuccessAt: null,
      lastAttemptAt: null,
      commit: null,
      error: null,
      nextPullAt: null,
    };
  }

  state(): SyncState {
    return { ...this.current };
  }

  /** Pulls now and at every run of the schedule after. */
  start(): void {
    this.stopped = false;
    void this.pull();
  }

  stop(): void {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }

  /** One pull (joins one under way); resolves with what it did, or null when it failed. */
  pull(): Promise<PullResult | null> {
    this.running ??= this.pullOnce().finally(() => {
      this.running = null;
    });
    return this.running;
  }

  private async pullOnce(): Promise<PullResult | null> {
    const { source, digestsDir, logger } = this.options;
    this.current.lastAttemptAt = new Date().toISOString();
    let result: PullResult | null = null;
    try {
      result = await pullDigests(source, digestsDir);
      const recovered = this.current.ok === false;
      Object.assign(this.current, {
        ok: true,
        error: null,
        commit: result.commit,
        lastSuccessAt: new Date().toISOString(),
      });
      const fields = {
        source: this.current.source,
        commit: result.commit.slice(0, 12),
        copied: result.copied,
      };
      if (recovered) logger.info(fields, "digest sync works again");
      else if (result.copied > 0) logger.info(fields, "digests synced from the repository");
      else logger.debug(fields, "digest repository unchanged");
    } catch (error) {
      const message = (error as Error).message;
      // Once per change of state: a pull failing every hour the same way is one line.
      if (this.current.error !== message)
        logger.warn(
          { source: this.current.source, error: message },
          "digest sync failed; the digests already here keep serving, and it is tried again",
        );
      Object.assign(this.current, { ok: false, error: message });
    }
    this.arm(result === null);
    return result;
  }

  private arm(failed: boolean): void {
    if (this.stopped) return;
    const [next] = nextRuns(this.options.cron, "UTC", 1);
    const retryAt = Date.now() + (this.options.retryMs ?? RETRY_MS);
    const at = failed && next ? Math.min(next.getTime(), retryAt) : (next?.getTime() ?? retryAt);
    this.current.nextPullAt = new Date(at).toISOString();
    if (this.timer) clearTimeout(this.timer);
    // At most a day ahead (a timer cannot wait longer than 24.8 days): an early pull is harmless.
    this.timer = setTimeout(
      () => void this.pull(),
      Math.min(86_400_000, Math.max(1_000, at - Date.now())),
    );
    this.timer.unref();
  }
}

/** The sync a process that reads its digests folder runs, when DIGESTS_GIT_URL is set. */
export function digestSyncFor(config: Config, logger: Logger): DigestSync | null {
  if (!config.digestSync || config.digestsSource !== "folder") return null;
  return new DigestSync({
    source: config.digestSync,
    digestsDir: config.digestsDir,
    cron: config.digestSync.cron,
    logger: logger.child({ subsystem: "digest-sync" }),
  });
}
