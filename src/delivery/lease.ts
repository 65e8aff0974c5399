import { randomBytes } from "node:crypto";
import { readlinkSync } from "node:fs";
import { hostname } from "node:os";
import type { Logger } from "../logger.js";
import type { Lease, LeaseStore } from "./store.js";

/** The lease that makes one process per database the deliverer. */
export const DELIVERER_LEASE = "deliverer";
/** The lease that makes one `scheduler` process per database the one that records due deliveries. */
export const SCHEDULER_LEASE = "scheduler";

/** What this process does with deliveries. */
export type DeliveryRole = "deliverer" | "standby";

export interface DeliveryLeaseOptions {
  store: LeaseStore;
  /** Which lease (default the deliverer's). */
  name?: string;
  logger: Logger;
  ttlMs: number;
  /** Random per process unless given (tests); also names the process in the other's log. */
  holder?: string;
  /** Called on every new holding (first start or takeover): start delivering. */
  onAcquired(lease: Lease): Promise<void> | void;
  /** Called when a holding ends without a release (renewal refused or too late): stop delivering. */
  onLost(): void;
}

/**
 * Where this process's pid means something: the host name and, on Linux, the pid namespace (two
 * containers may share a host name and a volume but not their pids).
 */
function pidScope(): string {
  try {
    return `${hostname()}/${readlinkSync("/proc/self/ns/pid").replace(/\D/g, "")}`;
  } catch {
    return hostname();
  }
}

/** A holder id that tells an operator which process it is (`host/pidns:pid:random`), unique per start. */
export function newHolderId(): string {
  return `${pidScope()}:${process.pid}:${randomBytes(4).toString("hex")}`;
}

/**
 * True only when the holder was a process beside this one that no longer exists (a crash, a
 * kill -9), so a restart need not wait out its lease. Anything uncertain counts as alive.
 */
export function holderIsGone(holder: string): boolean {
  const [scope, pid] = holder.split(":");
  if (scope !== pidScope() || !pid || !/^\d+$/.test(pid) || Number(pid) === process.pid)
    return false;
  try {
    process.kill(Number(pid), 0);
    return false;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "ESRCH";
  }
}

/**
 * Keeps the deliverer lease: renews it every TTL/3 while held; as a standby, watches it (at
 * least every second) and takes it once it has expired or been released.
 */
export class DeliveryLease {
  readonly holder: string;
  private held: Lease | null = null;
  /** Local deadline after which this process no longer sends (a margin before the real expiry). */
  private sendUntil = 0;
  private standingBy = false;
  private timer: NodeJS.Timeout | null = null;
  private stopped = false;
  private retiring = false;

  private readonly name: string;

  constructor(private readonly options: DeliveryLeaseOptions) {
    this.holder = options.holder ?? newHolderId();
    this.name = options.name ?? DELIVERER_LEASE;
  }

  /** What this process does now. */
  get role(): DeliveryRole {
    return this.held ? "deliverer" : "standby";
  }

  /** The current holding's fencing token, or null as a standby. */
  get token(): number | null {
    return this.held?.token ?? null;
  }

  /** True while this process may start a send: it holds the lease and it is not about to expire. */
  canSend(): boolean {
    return this.held !== null && Date.now() < this.sendUntil;
  }

  /** Tries once (awaiting `onAcquired` when it wins, as a start-up does), then keeps trying. */
  async start(): Promise<void> {
    const acquired = await this.step();
    this.schedule();
    if (acquired) await this.options.onAcquired(acquired);
  }

  /** Takes no new holding from now on (a stop has begun); a current one is still renewed. */
  retire(): void {
    this.retiring = true;
  }

  /** Stops renewing and releases the lease, so a standby takes over at once. */
  async release(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    const held = this.held;
    this.held = null;
    if (!held) return;
    try {
      await this.options.store.releaseLease(held.name, held.holder, held.token);
      this.options.logger.info({ token: held.token }, "released the delivery lease");
    } catch (error) {
      this.options.logger.warn({ err: error }, "could not release the delivery lease; it expires");
    }
  }

  private schedule(): void {
    if (this.stopped) return;
    const { ttlMs } = this.options;
    const delay = this.held ? ttlMs / 3 : Math.min(ttlMs / 3, 1000);
    this.timer = setTimeout(async () => {
      const acquired = await this.step();
      this.schedule();
      if (acquired)
        Promise.resolve(this.options.onAcquired(acquired)).catch((error: unknown) =>
          this.options.logger.error({ err: error }, "starting deliveries after takeover failed"),
        );
    }, delay);
    this.timer.unref();
  }

  /** One renewal or attempt; returns the lease when a new holding just started. */
  private async step(): Promise<Lease | null> {
    const { store, ttlMs, logger } = this.options;
    const startedAt = Date.now();
    try {
      if (this.held) {
        const renewed = await store.renewLease(this.name, this.holder, this.held.token, ttlMs);
        // Released while the renewal was on its way: release() already gave the holding up.
        if (this.stopped) return null;
        if (renewed) {
          this.hold(renewed, startedAt);
          return null;
        }
        this.lose("the delivery lease expired before it was renewed");
      }
      if (this.retiring) return null;
      const current = await store.lease(this.name);
      const live = current && current.holder !== this.holder && current.expiresAt > startedAt;
      const gone = live && holderIsGone(current.holder);
      if (live && !gone) {
        this.standBy(current);
        return null;
      }
      const lease = await store.acquireLease(
        this.name,
        this.holder,
        ttlMs,
        gone ? current.holder : undefined,
      );
      if (lease.holder !== this.holder) {
        this.standBy(lease);
        return null;
      }
      if (this.stopped) {
        // Stopped while the lease was being taken: hand it straight back.
        await store.releaseLease(lease.name, lease.holder, lease.token);
        return null;
      }
      if (this.standingBy || gone)
        logger.info(
          { token: lease.token, previous: current?.holder },
          "the other Paperboy process stopped delivering; taking over deliveries",
        );
      else logger.info({ token: lease.token }, "delivering from this database");
      this.standingBy = false;
      this.hold(lease, startedAt);
      return lease;
    } catch (error) {
      logger.error({ err: error }, "could not reach the delivery lease");
      if (this.held && Date.now() >= this.sendUntil) this.lose("the delivery lease ran out");
      return null;
    }
  }

  private hold(lease: Lease, startedAt: number): void {
    this.held = lease;
    // Stop starting sends a little before the lease can pass on, so sends in flight land first.
    this.sendUntil = startedAt + this.options.ttlMs - Math.min(this.options.ttlMs / 10, 2000);
  }

  private lose(reason: string): void {
    this.options.logger.warn({ token: this.held?.token }, `${reason}; stopped sending`);
    this.held = null;
    this.options.onLost();
  }

  private standBy(other: Lease): void {
    if (this.standingBy) return;
    this.standingBy = true;
    this.options.logger.info(
      { holder: other.holder },
      `another Paperboy process delivers from this database (holder ${other.holder}); standing by`,
    );
  }
}
