import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from "prom-client";
import type { DeliveryObserver } from "../delivery/observer.js";

/** Sources the gauges read when scraped. */
export interface MetricSources {
  pendingDeliveries(): number;
  archive(): { digests: number; papers: number };
  /** Whether this process holds the deliverer lease (absent: a process without one). */
  leaseHeld?(): boolean;
}

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
      collect() {
        this.set(sources.pendingDeliveries());
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
  }

  messageSent(): void {
    this.messages.inc();
  }

  sendFailed(reason: "bad-payload" | "no-access" | "retry"): void {
    this.failures.inc({ reason });
  }

  deliveryFinished(status: "done" | "failed" | "paused" | "pending"): void {
    this.deliveries.inc({ status });
  }

  queueWaited(): void {
    this.waits.inc({ source: "queue" });
  }

  /** Discord answered 429 or @discordjs/rest paused for a bucket. */
  discordRateLimited(): void {
    this.waits.inc({ source: "discord" });
  }
}
