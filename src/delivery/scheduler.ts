import cron, { type ScheduledTask } from "node-cron";
import type { Logger } from "../logger.js";
import { previousRun } from "./schedule.js";
import type { DeliveryService } from "./service.js";
import type { Store } from "./store.js";

export interface SchedulerOptions {
  /** On start, run a server's schedule now if a run was due while the bot was down. */
  catchUp: boolean;
  now?: () => Date;
}

/** One node-cron task per server, in the server's own time zone. */
export class Scheduler {
  private readonly tasks = new Map<string, ScheduledTask>();

  constructor(
    private readonly store: Store,
    private readonly service: DeliveryService,
    private readonly logger: Logger,
    private readonly options: SchedulerOptions,
  ) {}

  private guildIds(): string[] {
    return [...new Set(this.store.subscriptions().map((s) => s.guildId))];
  }

  /**
   * Schedules every server with a subscription, resumes unfinished deliveries (retrying what is
   * still left pending with backoff from now on) and catches up.
   */
  async start(): Promise<void> {
    this.service.startRetrying();
    for (const guildId of this.guildIds()) this.schedule(guildId);
    const resumed = await this.service.resumeUnfinished();
    if (resumed.length > 0)
      this.logger.info({ count: resumed.length }, "resumed unfinished deliveries");
    if (this.options.catchUp) await this.catchUp();
  }

  /** (Re)creates a server's task from its current settings. */
  schedule(guildId: string): void {
    this.tasks.get(guildId)?.destroy();
    const settings = this.service.settings(guildId);
    const task = cron.schedule(settings.schedule, () => this.tick(guildId), {
      timezone: settings.timezone,
      name: `paperboy-${guildId}`,
      noOverlap: true,
    });
    this.tasks.set(guildId, task);
    this.logger.debug(
      { guildId, schedule: settings.schedule, timezone: settings.timezone },
      "scheduled",
    );
  }

  /** One scheduled run for a server; never throws. */
  async tick(guildId: string): Promise<void> {
    const now = (this.options.now ?? (() => new Date()))();
    this.store.saveGuildSettings(guildId, { lastRunAt: now.toISOString() });
    try {
      const outcomes = await this.service.deliverDue(guildId);
      if (outcomes.length > 0)
        this.logger.info(
          { guildId, outcomes: outcomes.map((o) => `${o.channelId}:${o.status}`) },
          "scheduled run finished",
        );
    } catch (error) {
      this.logger.error({ err: error, guildId }, "scheduled run failed");
    }
  }

  private async catchUp(): Promise<void> {
    const now = (this.options.now ?? (() => new Date()))();
    const runs: Promise<void>[] = [];
    for (const guildId of this.guildIds()) {
      const settings = this.service.settings(guildId);
      const due = previousRun(settings.schedule, settings.timezone, now);
      if (!due) continue;
      const since =
        settings.lastRunAt ??
        this.store
          .subscriptions(guildId)
          .map((s) => s.createdAt)
          .sort()[0] ??
        now.toISOString();
      if (due.getTime() > Date.parse(since)) {
        this.logger.info(
          { guildId, due: due.toISOString() },
          "catching up a run missed while the bot was down",
        );
        runs.push(this.tick(guildId));
      }
    }
    await Promise.all(runs);
  }

  /** Stops every server's task and every waiting retry (the ledger keeps the work). */
  stop(): void {
    this.service.stopRetrying();
    for (const task of this.tasks.values()) void task.destroy();
    this.tasks.clear();
  }
}
