import { windowStart } from "../delivery/catch-up.js";
import type { Delivery, DeliveryPlan } from "../delivery/model.js";
import type { DigestSource } from "../delivery/service.js";
import type { Store } from "../delivery/store.js";
import type { Digest } from "../digest/model.js";
import type { Logger } from "../logger.js";
import { type DigestMatches, indexFollows, matchDigest, type PaperMatch } from "./match.js";
import { renderAlert } from "./message.js";
import { alertChannel, type Reader } from "./model.js";

export interface AlertsDeps {
  store: Store;
  digests: DigestSource;
  logger: Logger;
  /** Starts a recorded delivery (the delivery service's `run`: it only queues in a scheduler). */
  run: (delivery: Delivery) => Promise<unknown>;
  /** Digests older than this many days before the newest are a backfill: they alert nobody. */
  catchUpDays: number;
}

/** How often the process that matches looks for digests still to match. */
const LOOK_AGAIN_MS = 60_000;

/** What one matching run did, for logs and tests. */
export interface AlertRun {
  date: string;
  readers: number;
  /** Alerts recorded by this run (a reader already alerted for the digest is not counted). */
  recorded: number;
  ms: number;
}

/**
 * Readers' alerts: when a digest arrives, each reader whose follows it matches gets one direct
 * message for it. Exactly once per reader and digest: an alert is a scheduled delivery to the
 * reader's channel `dm:<user>`, which the ledger's unique key allows once, and which workers send
 * under the same claims, fencing and nonces as channel deliveries. A follow alerts only for
 * digests that arrived after it was made (both times from the database's clock).
 */
export class Alerts {
  private running: Promise<AlertRun[]> | null = null;
  private again = false;

  private timer: NodeJS.Timeout | null = null;

  constructor(private readonly deps: AlertsDeps) {}

  /**
   * Matches what is pending now, then looks again every `everyMs`: a run a database error cut
   * short, or a digest another process saw first, is matched within that time.
   */
  start(everyMs = LOOK_AGAIN_MS): void {
    void this.matchPending();
    if (this.timer) return;
    this.timer = setInterval(() => void this.matchPending(), everyMs);
    this.timer.unref();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }

  /** Records the arrival of digests (every date the archive has at start; a new one as it comes). */
  async noteArrivals(dates: readonly string[]): Promise<void> {
    await this.deps.store.noteArrivals(dates);
  }

  /**
   * Matches every arrived digest not matched yet and records (and starts) its alerts. Runs one at
   * a time; a call during a run makes it look once more when it ends. Never throws: a failure
   * (the database) is logged, and the digests stay unmatched for the next call.
   */
  matchPending(): Promise<AlertRun[]> {
    if (this.running) {
      this.again = true;
      return this.running;
    }
    const run = async (): Promise<AlertRun[]> => {
      const runs: AlertRun[] = [];
      do {
        this.again = false;
        runs.push(...(await this.matchOnce()));
      } while (this.again);
      return runs;
    };
    this.running = run()
      .catch((error: unknown) => {
        this.deps.logger.error({ err: error }, "matching readers' alerts failed; retried later");
        return [];
      })
      .finally(() => {
        this.running = null;
      });
    return this.running;
  }

  private async matchOnce(): Promise<AlertRun[]> {
    const { store, digests, logger } = this.deps;
    const unmatched = (await store.alertDigests()).filter((d) => !d.matched);
    if (unmatched.length === 0) return [];
    const newest = digests.newest()?.date;
    const oldestAlerted = newest ? windowStart(newest, this.deps.catchUpDays) : null;
    const follows = await store.allFollows();
    const index = indexFollows(follows);
    const readers =
      follows.length > 0
        ? new Map((await store.readers()).map((r) => [r.userId, r]))
        : new Map<string, Reader>();
    const runs: AlertRun[] = [];
    for (const { date, arrivedMs } of unmatched) {
      const digest = digests.byDate(date);
      // Another process saw it first (its own folder, or the database feed ahead of this one's):
      // left unmatched until this process holds it too.
      if (!digest || oldestAlerted === null) continue;
      if (date < oldestAlerted || follows.length === 0) {
        if (date < oldestAlerted && follows.length > 0)
          logger.info({ date }, "an old digest was added to the archive; it alerts nobody");
        await store.markMatched(date);
        continue;
      }
      const start = performance.now();
      const matches = matchDigest(digest, index, (follow) => follow.createdMs < arrivedMs);
      const recorded = await this.record(digest, matches, readers);
      await store.markMatched(date);
      const run = { date, readers: matches.size, recorded, ms: performance.now() - start };
      logger.info(run, "readers' alerts recorded");
      runs.push(run);
    }
    return runs;
  }

  /**
   * Records each matched reader's alert (once: the ledger refuses a second), a batch at a time
   * so a thousand readers cost one transaction, and starts each as soon as its batch is in.
   */
  private async record(
    digest: Digest,
    matches: DigestMatches,
    readers: Map<string, Reader>,
  ): Promise<number> {
    const plans = [...matches].map(([userId, papers]) =>
      alertPlan(digest, userId, papers, readers.get(userId)),
    );
    let recorded = 0;
    for (let i = 0; i < plans.length; i += RECORD_BATCH) {
      const created = await this.deps.store.createScheduledDeliveries(
        plans.slice(i, i + RECORD_BATCH),
      );
      for (const delivery of created) {
        if (!delivery) continue;
        recorded++;
        void this.deps.run(delivery);
      }
    }
    return recorded;
  }
}

/** Alerts recorded per transaction. */
const RECORD_BATCH = 1000;

/** A reader's alert for one digest: open their DM channel (unless known), then the message. */
function alertPlan(
  digest: Digest,
  userId: string,
  papers: PaperMatch[],
  reader: Reader | undefined,
): DeliveryPlan {
  const language = reader?.language ?? "en";
  return {
    channelId: alertChannel(userId),
    guildId: null,
    digestDate: digest.date,
    kind: "scheduled",
    mode: "dm",
    language,
    steps: [
      {
        role: "dm-open",
        payload: {
          embeds: [],
          allowed_mentions: { parse: [] },
          recipient_id: userId,
          ...(reader?.dmChannelId ? { dm_channel_id: reader.dmChannelId } : {}),
        },
      },
      { role: "papers", payload: renderAlert(digest.date, papers, language) },
    ],
    paperKeys: null,
  };
}
