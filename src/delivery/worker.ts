import type { Logger } from "../logger.js";
import type { Delivery } from "./model.js";
import { backoffDelay, type RetryBackoff } from "./retry.js";
import type { DeliveryOutcome } from "./runner.js";
import type { ClaimStore } from "./store.js";

export interface WorkerOptions {
  store: ClaimStore;
  /** Sends one delivery; every send checks `fence` right before it goes out. */
  run(delivery: Delivery, fence: () => boolean): Promise<DeliveryOutcome>;
  logger: Logger;
  /** Names this process in the ledger (see `newHolderId`). */
  holder: string;
  /** How long a claim lasts unless renewed; renewed every third of it. */
  claimMs: number;
  /** How many deliveries this worker sends at once (each is one channel). */
  concurrency: number;
  /** How long an idle worker waits before looking for work again (default 1 s). */
  pollMs?: number;
  /** Waits before a delivery left pending may be claimed again, by the number of its claims. */
  backoff: RetryBackoff;
  now?: () => number;
}

interface Held {
  token: number;
  /** Local deadline for starting a send: a margin before the claim runs out in the database. */
  sendUntil: number;
}

/** How long a finished delivery's free slot waits for others to free up before claiming again. */
const FINISHED_BATCH_MS = 25;

/** Sends stop this long (at most 2 s) before a claim runs out, for clock drift and latency. */
const margin = (claimMs: number) => Math.min(claimMs / 10, 2_000);

/**
 * A delivery worker: claims deliveries from the ledger, sends each under its claim, and renews its
 * claims while it works. A worker that dies leaves its claims to run out, and others take them
 * over; one that was frozen past its claims (SIGSTOP, a long pause, a partition) sends nothing
 * when it wakes, because every send checks the claim's local deadline first, and that deadline is
 * only moved by a renewal the database accepted.
 */
export class DeliveryWorker {
  private readonly held = new Map<number, Held>();
  private readonly running = new Map<number, Promise<void>>();
  private loop: NodeJS.Timeout | null = null;
  /** When the armed claim loop fires. */
  private loopDue = Number.POSITIVE_INFINITY;
  private renewing: NodeJS.Timeout | null = null;
  private claiming = false;
  private stopped = true;

  constructor(private readonly options: WorkerOptions) {}

  private now(): number {
    return (this.options.now ?? Date.now)();
  }

  /** Starts claiming and renewing. */
  start(): void {
    if (!this.stopped) return;
    this.stopped = false;
    this.renewing = setInterval(() => void this.renew(), this.options.claimMs / 3);
    this.renewing.unref();
    this.wake(0);
  }

  /** Deliveries this worker holds now. */
  get claims(): number {
    return this.held.size;
  }

  /** True while this worker may still start a send of `id` under claim `token`. */
  private live(id: number, token: number): boolean {
    const held = this.held.get(id);
    return held?.token === token && this.now() < held.sendUntil;
  }

  /** Looks for work in `delayMs`, unless a look is already due sooner. */
  private wake(delayMs: number): void {
    if (this.stopped) return;
    const due = Date.now() + delayMs;
    if (this.loop && this.loopDue <= due) return;
    if (this.loop) clearTimeout(this.loop);
    this.loopDue = due;
    this.loop = setTimeout(() => {
      this.loop = null;
      this.loopDue = Number.POSITIVE_INFINITY;
      void this.claim();
    }, delayMs);
    this.loop.unref();
  }

  /** Claims as many deliveries as there is room for, starts them, and looks again later. */
  private async claim(): Promise<void> {
    if (this.stopped || this.claiming) return;
    const { store, holder, claimMs, concurrency, logger, pollMs = 1_000 } = this.options;
    const room = concurrency - this.running.size;
    if (room <= 0) return; // a finishing delivery wakes the loop
    this.claiming = true;
    let claimed = 0;
    try {
      const startedAt = this.now();
      const claims = await store.claimDeliveries(holder, claimMs, room);
      claimed = claims.length;
      for (const { delivery, token } of claims) {
        if (this.stopped) {
          await store.releaseClaim(holder, delivery.id, token, 0);
          continue;
        }
        this.held.set(delivery.id, { token, sendUntil: startedAt + claimMs - margin(claimMs) });
        this.launch(delivery, token);
      }
      if (claimed > 0) logger.debug({ claimed, running: this.running.size }, "claimed deliveries");
    } catch (error) {
      logger.warn({ err: error }, "claiming deliveries failed; trying again shortly");
    } finally {
      this.claiming = false;
    }
    // A full batch means more may be waiting: look again at once.
    this.wake(claimed === room ? 0 : pollMs);
  }

  private launch(delivery: Delivery, token: number): void {
    const { store, holder, backoff, logger } = this.options;
    const id = delivery.id;
    const work = this.options
      .run(delivery, () => this.live(id, token))
      .then(async (outcome) => {
        const stillOurs = this.held.get(id)?.token === token;
        this.held.delete(id);
        if (!stillOurs) return;
        // Left pending (Discord or the database failing): claimable again after a backoff that
        // grows with the number of claims it took, whichever worker held them.
        const retryInMs = outcome.status === "pending" ? backoffDelay(backoff, token - 1) : 0;
        if (retryInMs > 0)
          logger.info(
            { deliveryId: id, channelId: delivery.channelId, retryInMs },
            "delivery left pending; it may be claimed again later",
          );
        await store.releaseClaim(holder, id, token, retryInMs);
      })
      .catch((error: unknown) => {
        this.held.delete(id);
        logger.warn({ err: error, deliveryId: id }, "releasing a claim failed; it runs out");
      })
      .finally(() => {
        this.running.delete(id);
        // Deliveries finishing close together share one claim query.
        this.wake(FINISHED_BATCH_MS);
      });
    this.running.set(id, work);
  }

  /** Extends every claim held; a claim the database no longer extends stops its sends at once. */
  private async renew(): Promise<void> {
    const { store, holder, claimMs, logger } = this.options;
    const held = [...this.held].map(([id, h]) => ({ id, token: h.token }));
    if (held.length === 0) return;
    const startedAt = this.now();
    let renewed: Set<number>;
    try {
      renewed = new Set(await store.renewClaims(holder, held, claimMs));
    } catch (error) {
      // The local deadlines stand: sends stop by themselves if renewals keep failing.
      logger.warn({ err: error }, "renewing claims failed; sends stop when they run out");
      return;
    }
    for (const { id, token } of held) {
      const current = this.held.get(id);
      if (current?.token !== token) continue;
      if (renewed.has(id)) current.sendUntil = startedAt + claimMs - margin(claimMs);
      else {
        this.held.delete(id);
        logger.warn({ deliveryId: id }, "lost the claim on a delivery; another worker sends it");
      }
    }
  }

  /**
   * Stops claiming, waits (at most `drainMs`) for the deliveries under way, then gives up every
   * claim still held, so other workers take those deliveries at once.
   */
  async stop(drainMs: number): Promise<boolean> {
    this.stopped = true;
    if (this.loop) clearTimeout(this.loop);
    let timer: NodeJS.Timeout | undefined;
    const drained = await Promise.race([
      Promise.allSettled([...this.running.values()]).then(() => true),
      new Promise<false>((resolve) => {
        timer = setTimeout(() => resolve(false), drainMs);
      }),
    ]);
    clearTimeout(timer);
    if (this.renewing) clearInterval(this.renewing);
    const { store, holder, logger } = this.options;
    const left = [...this.held];
    this.held.clear(); // no send starts after this
    for (const [id, { token }] of left)
      await store
        .releaseClaim(holder, id, token, 0)
        .catch((error: unknown) =>
          logger.warn({ err: error, deliveryId: id }, "releasing a claim failed; it runs out"),
        );
    return drained;
  }
}
