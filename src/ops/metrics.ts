import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from "prom-client";
import type { AlertCounts } from "../alerts/model.js";
import type { DeliveryObserver } from "../delivery/observer.js";
import type { Store } from "../delivery/store.js";

/** Sources the gauges read when scraped. */
export interface MetricSources {
  pendingDeliveries(): number | Promise<number>;
  archive(): { digests: number; papers: number };
  /** Whether this process holds the deliverer lease (absent: a process without one). */
  leaseHeld?(): boolean;
  /** When each pending delivery was recorded (epoch ms), for the pending-by-age gauges. */
  pendingDeliveryTimes?(): number[] | Promise<number[]>;
  /** When the last delivery finished done (epoch ms) as the ledger says, so it survives restarts. */
  lastSuccessfulDelivery?(): number | null | Promise<number | null>;
  /** The `scheduler` role: whether this process holds the scheduler lease. */
  schedulerLeaseHeld?(): boolean;
  /** The `worker` role: how many deliveries this process holds claims on now. */
  workerClaims?(): number;
  /** Readers' alerts: followers, follows and alerts by outcome, as the database holds them. */
  alerts?(): Promise<AlertCounts | null>;
  /** This process's gateway shards: whether each is ready, and its heartbeat ping (ms, -1 unknown). */
  shards?(): { id: number; ready: boolean; pingMs: number }[];
}

/** The age bands of `paperboy_pending_deliveries{age}`, each with its upper bound in seconds. */
export const PENDING_AGE_BANDS: readonly (readonly [string, number])[] = [
  ["<1m", 60],
  ["1m-10m", 600],
  ["10m-1h", 3_600],
  ["1h-1d", 86_400],
  [">1d", Number.POSITIVE_INFINITY],
];

/** Paperboy's Prometheus metrics (prom-client), one registry per process. */
export class Metrics implements DeliveryObserver {
  readonly registry = new Registry();
  private readonly messages = new Counter({
    name: "paperboy_messages_sent_total",
    help: "Messages (and threads, forum posts) sent by deliveries",
    registers: [this.registry],
  });
  private readonly failures = new Counter({
    name: "paperboy_send_failures_total",
    help: "Sends that failed, by what was done about them",
    labelNames: ["reason"] as const,
    registers: [this.registry],
  });
  private readonly deliveries = new Counter({
    name: "paperboy_deliveries_total",
    help: "Delivery runs by outcome",
    labelNames: ["status"] as const,
    registers: [this.registry],
  });
  private readonly waits = new Counter({
    name: "paperboy_rate_limit_waits_total",
    help: "Sends held back to stay under Discord's limits (queue) or told to wait by Discord (discord)",
    labelNames: ["source"] as const,
    registers: [this.registry],
  });
  readonly commandSeconds = new Histogram({
    name: "paperboy_command_duration_seconds",
    help: "Time to handle an interaction, by command",
    labelNames: ["command", "kind"] as const,
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
    registers: [this.registry],
  });

  /** When this process last finished a delivery done (epoch ms), for stores that cannot say. */
  private lastDoneAt = 0;

  constructor(sources: MetricSources) {
    collectDefaultMetrics({ register: this.registry, prefix: "paperboy_" });
    // Every series exists from the start, so a dashboard shows 0 rather than nothing.
    for (const source of ["queue", "discord"]) this.waits.inc({ source }, 0);
    for (const reason of ["bad-payload", "no-access", "retry"]) this.failures.inc({ reason }, 0);
    for (const status of ["done", "failed", "paused", "pending"])
      this.deliveries.inc({ status }, 0);
    new Gauge({
      name: "paperboy_deliveries_pending",
      help: "Deliveries recorded but not finished",
      registers: [this.registry],
      async collect() {
        this.set(await sources.pendingDeliveries());
      },
    });
    new Gauge({
      name: "paperboy_archive_size",
      help: "Digests and papers in the archive",
      labelNames: ["kind"] as const,
      registers: [this.registry],
      collect() {
        const size = sources.archive();
        this.set({ kind: "digests" }, size.digests);
        this.set({ kind: "papers" }, size.papers);
      },
    });
    this.deliveryAgeGauges(sources);
    this.alertGauges(sources);
    this.shardGauges(sources);
    const leaseHeld = sources.leaseHeld;
    if (leaseHeld)
      new Gauge({
        name: "paperboy_delivery_lease_held",
        help: "1 while this process is the deliverer, 0 while it stands by for another",
        registers: [this.registry],
        collect() {
          this.set(leaseHeld() ? 1 : 0);
        },
      });
    const schedulerHeld = sources.schedulerLeaseHeld;
    if (schedulerHeld)
      new Gauge({
        name: "paperboy_scheduler_lease_held",
        help: "1 while this process is the scheduler that records due deliveries, 0 on standby",
        registers: [this.registry],
        collect() {
          this.set(schedulerHeld() ? 1 : 0);
        },
      });
    const claims = sources.workerClaims;
    if (claims)
      new Gauge({
        name: "paperboy_worker_claims",
        help: "Deliveries this worker holds claims on (is sending) now",
        registers: [this.registry],
        collect() {
          this.set(claims());
        },
      });
  }

  /** `paperboy_alert_readers{kind}` and `paperboy_alerts{status}`, read from the database. */
  private alertGauges(sources: MetricSources): void {
    const counts = sources.alerts;
    if (!counts) return;
    new Gauge({
      name: "paperboy_alert_readers",
      help: "Readers following at least one author or topic (followers), and their follows",
      labelNames: ["kind"] as const,
      registers: [this.registry],
      async collect() {
        const c = await counts();
        this.set({ kind: "followers" }, c?.followers ?? 0);
        this.set({ kind: "follows" }, c?.follows ?? 0);
      },
    });
    new Gauge({
      name: "paperboy_alerts",
      help: "Readers' alerts (direct messages) by outcome: sent, refused (DMs closed), failed, pending",
      labelNames: ["status"] as const,
      registers: [this.registry],
      async collect() {
        const c = await counts();
        this.set({ status: "sent" }, c?.sent ?? 0);
        this.set({ status: "refused" }, c?.refused ?? 0);
        this.set({ status: "failed" }, c?.failed ?? 0);
        this.set({ status: "pending" }, c?.pending ?? 0);
      },
    });
  }

  messageSent(): void {
    this.messages.inc();
  }

  sendFailed(reason: "bad-payload" | "no-access" | "retry"): void {
    this.failures.inc({ reason });
  }

  deliveryFinished(status: "done" | "failed" | "paused" | "pending"): void {
    this.deliveries.inc({ status });
    if (status === "done") this.lastDoneAt = Date.now();
  }

  /** Sends held back so far: by this process's queue, and by Discord (or the REST proxy). */
  async rateLimitWaits(): Promise<{ queue: number; discord: number }> {
    const { values } = await this.waits.get();
    const of = (source: string) => values.find((v) => v.labels.source === source)?.value ?? 0;
    return { queue: of("queue"), discord: of("discord") };
  }

  queueWaited(): void {
    this.waits.inc({ source: "queue" });
  }

  /** Discord answered 429 or @discordjs/rest paused for a bucket. */
  discordRateLimited(): void {
    this.waits.inc({ source: "discord" });
  }

  /** Per gateway shard of this process: ready or not, and its heartbeat round trip. */
  private shardGauges(sources: MetricSources): void {
    const shards = sources.shards;
    if (!shards) return;
    new Gauge({
      name: "paperboy_gateway_shard_ready",
      help: "1 while a gateway shard of this process is connected and ready, else 0",
      labelNames: ["shard"] as const,
      registers: [this.registry],
      collect() {
        this.reset();
        for (const shard of shards()) this.set({ shard: String(shard.id) }, shard.ready ? 1 : 0);
      },
    });
    new Gauge({
      name: "paperboy_gateway_shard_ping_seconds",
      help: "A gateway shard's last heartbeat round trip",
      labelNames: ["shard"] as const,
      registers: [this.registry],
      collect() {
        this.reset();
        for (const shard of shards())
          if (shard.pingMs >= 0) this.set({ shard: String(shard.id) }, shard.pingMs / 1000);
      },
    });
  }

  /** How long pending work has waited, and when work last arrived: what an outage alert needs. */
  private deliveryAgeGauges(sources: MetricSources): void {
    const pendingTimes = sources.pendingDeliveryTimes;
    if (pendingTimes) {
      new Gauge({
        name: "paperboy_pending_deliveries",
        help: "Pending deliveries by how long ago they were recorded",
        labelNames: ["age"] as const,
        registers: [this.registry],
        async collect() {
          const counts = new Map(PENDING_AGE_BANDS.map(([age]) => [age, 0]));
          const now = Date.now();
          for (const at of await pendingTimes()) {
            const seconds = (now - at) / 1000;
            const band =
              PENDING_AGE_BANDS.find(([, upTo]) => seconds < upTo) ?? PENDING_AGE_BANDS[4];
            if (band) counts.set(band[0], (counts.get(band[0]) ?? 0) + 1);
          }
          for (const [age, count] of counts) this.set({ age }, count);
        },
      });
      new Gauge({
        name: "paperboy_oldest_pending_delivery_age_seconds",
        help: "Age of the oldest pending delivery (0 when none is pending)",
        registers: [this.registry],
        async collect() {
          const times = await pendingTimes();
          // A loop, not Math.min(...times): a long outage can leave more pending than arguments fit.
          let oldest = Number.POSITIVE_INFINITY;
          for (const at of times) oldest = Math.min(oldest, at);
          this.set(times.length === 0 ? 0 : Math.max(0, (Date.now() - oldest) / 1000));
        },
      });
    }
    const lastDone = async () =>
      Math.max((await sources.lastSuccessfulDelivery?.()) ?? 0, this.lastDoneAt);
    new Gauge({
      name: "paperboy_last_successful_delivery_timestamp_seconds",
      help: "When the last delivery finished with every message sent (Unix time; 0 for never)",
      registers: [this.registry],
      async collect() {
        this.set((await lastDone()) / 1000);
      },
    });
  }
}

/** The part of the store the ledger gauges read. */
export type LedgerReader = Pick<Store, "unfinishedDeliveries" | "lastDeliveredAt" | "alertCounts">;

/** The ledger's metric sources, read from the store once it exists (null before: zeros). */
export function ledgerMetricSources(
  store: () => LedgerReader | null,
): Pick<
  MetricSources,
  "pendingDeliveries" | "pendingDeliveryTimes" | "lastSuccessfulDelivery" | "alerts"
> {
  return {
    alerts: async () => (await store()?.alertCounts()) ?? null,
    pendingDeliveries: async () => (await store()?.unfinishedDeliveries())?.length ?? 0,
    pendingDeliveryTimes: async () =>
      ((await store()?.unfinishedDeliveries()) ?? []).map((delivery) =>
        Date.parse(delivery.createdAt),
      ),
    lastSuccessfulDelivery: async () => {
      const at = await store()?.lastDeliveredAt();
      return at ? Date.parse(at) : null;
    },
  };
}
