import { digestSyncFor } from "../archive/digest-sync.js";
import type { Config } from "../config.js";
import { DeliveryLease, SCHEDULER_LEASE } from "../delivery/lease.js";
import { Scheduler } from "../delivery/scheduler.js";
import type { Logger } from "../logger.js";
import { ledgerMetricSources, Metrics } from "../ops/metrics.js";
import { checkDigestsDir } from "./preflight.js";
import { buildCore, type Core, digestArrived, noteArrivals } from "./wiring.js";
import { type HeadlessProcess, headlessHealth, headlessOps } from "./worker-role.js";

/** How often the scheduler reads the servers' schedules again (an admin changed one elsewhere). */
const RESCHEDULE_EVERY_MS = 60_000;

export interface SchedulerProcess extends HeadlessProcess {
  scheduler: Scheduler;
  lease: DeliveryLease;
}

/**
 * The `scheduler` role: one of any number of candidates holds the scheduler lease and records the
 * deliveries that come due (every server's schedule, catch-up, papers added to a digest); workers
 * send them. A standby takes the lease over within one lease period after the leader dies, and
 * the ledger's unique keys keep any delivery from being recorded twice.
 */
export async function startScheduler(config: Config, logger: Logger): Promise<SchedulerProcess> {
  let core: Core | null = null;
  let lease: DeliveryLease | null = null;
  let ready = false;
  const health = () =>
    headlessHealth(ready, core, lease?.role === "deliverer" ? "scheduler" : "scheduler-standby");
  const metrics = new Metrics({
    ...ledgerMetricSources(() => core?.store ?? null),
    archive: () => ({
      digests: core?.archive.catalog().dates().length ?? 0,
      papers: core?.archive.catalog().paperCount ?? 0,
    }),
    schedulerLeaseHeld: () => lease?.role === "deliverer",
  });
  const ops = await headlessOps(config, health, metrics);
  try {
    if (config.digestsSource === "folder")
      checkDigestsDir(config.digestsDir, config.digestSync !== null);
    core = await buildCore(config, logger, () => null, { observer: metrics, recordOnly: true });
  } catch (error) {
    await ops.close();
    throw error;
  }
  const built = core;
  const scheduler = new Scheduler(
    built.store,
    built.service,
    logger.child({ subsystem: "scheduler" }),
    { catchUp: config.catchUp },
  );
  // Digests that arrived while standing by: the leader may have died before recording them.
  const arrivedWhileStandingBy = new Set<string>();
  await noteArrivals(built, built.archive.catalog().dates(), logger);
  built.archive.onDigest((date) => {
    const arrived = noteArrivals(built, [date], logger);
    if (lease?.canSend()) void digestArrived(built, date, arrived, config.postOnArrival);
    else arrivedWhileStandingBy.add(date);
  });
  built.watchDigests();
  // A scheduler that reads its own folder keeps it fed from the repository, as the bot does.
  const digestSync = digestSyncFor(config, logger);
  digestSync?.start();
  let rescheduling: NodeJS.Timeout | null = null;
  const lead = () => {
    void scheduler.start();
    for (const date of arrivedWhileStandingBy) {
      arrivedWhileStandingBy.delete(date);
      void built.service.digestChanged(date, config.postOnArrival);
    }
    built.alerts.start();
    // Schedules are changed by `/config schedule` in the gateway processes: read them again.
    if (rescheduling) clearInterval(rescheduling);
    rescheduling = setInterval(() => void scheduler.rescheduleAll(), RESCHEDULE_EVERY_MS);
    rescheduling.unref();
  };
  const follow = () => {
    scheduler.stop();
    built.alerts.stop();
    if (rescheduling) clearInterval(rescheduling);
    rescheduling = null;
  };
  lease = new DeliveryLease({
    store: built.store,
    name: SCHEDULER_LEASE,
    logger: logger.child({ subsystem: "scheduler-lease" }),
    ttlMs: config.deliveryLeaseMs,
    onAcquired: () => {
      logger.info("leading: recording the deliveries that come due");
      lead();
    },
    onLost: follow,
  });
  const held = lease;
  await held.start();
  ready = true;
  logger.info({ holder: held.holder, leading: held.role === "deliverer" }, "scheduler started");
  return {
    core: built,
    metrics,
    scheduler,
    lease: held,
    httpPort: ops.port,
    health,
    stop: async () => {
      ready = false;
      held.retire();
      follow();
      digestSync?.stop();
      built.archive.close();
      await held.release();
      await ops.close();
      await built.closeStore();
    },
  };
}
