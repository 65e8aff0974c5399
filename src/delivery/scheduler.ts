import type { Logger } from "../logger.js";
import { missedRun } from "./missed-run.js";
import { checkSchedule, nextRuns, type ScheduleProblem, stillRuns } from "./schedule.js";
import type { DeliveryService } from "./service.js";
import type { Store } from "./store.js";

export interface SchedulerOptions {
  /** On start, run a server's schedule now if a run was due while the bot was down. */
  catchUp: boolean;
  now?: () => Date;
}

/** setTimeout's longest wait; a later run is reached in several waits. */
const MAX_WAIT_MS = 2 ** 31 - 1;

/**
 * One timer per server, armed for its next run in the server's own time zone (computed by
 * `schedule.ts`, which never throws). A schedule that cannot run disables that server's
 * schedule alone; nothing here throws or rejects.
 */
export class Scheduler {
  private readonly timers = new Map<string, NodeJS.Timeout>();
  private readonly running = new Set<string>();
  private readonly disabled = new Map<string, ScheduleProblem>();
  /** The schedule and time zone each server's timer (or its disabling) was made from. */
  private readonly armedWith = new Map<string, string>();
  private kickedOff: Promise<unknown>[] = [];
  private stopped = false;

  constructor(
    private readonly store: Store,
    private readonly service: DeliveryService,
    private readonly logger: Logger,
    private readonly options: SchedulerOptions,
  ) {}

  private now(): Date {
    return (this.options.now ?? (() => new Date()))();
  }

  private async guildIds(): Promise<string[]> {
    return [...new Set((await this.store.subscriptions()).map((s) => s.guildId))];
  }

  /**
   * Schedules every server with a subscription, then starts — all at once, each server on its
   * own — resuming unfinished deliveries (retried with backoff from now on) and catching up
   * missed runs. Returns as soon as that work is under way (`settled()` waits for it).
   */
  start(): Promise<void> {
    // Tracked from the first moment: `settled()` called right after must wait for it too.
    const starting = this.startAll();
    this.kickedOff.push(starting);
    return starting;
  }

  private async startAll(): Promise<void> {
    try {
      this.stopped = false;
      this.service.startRetrying();
      const guilds = await this.guildIds();
      await Promise.all(guilds.map((guildId) => this.schedule(guildId)));
      this.track(
        Promise.resolve()
          .then(() => this.service.resumeUnfinished())
          .then((resumed) => {
            if (resumed.length > 0)
              this.logger.info({ count: resumed.length }, "resumed unfinished deliveries");
          }),
        "resuming unfinished deliveries failed",
      );
      if (!this.options.catchUp) return;
      const now = this.now();
      for (const guildId of guilds) {
        try {
          if (await this.missedWhileDown(guildId, now))
            this.track(this.runOnce(guildId), "catching up failed");
        } catch (error) {
          this.logger.error({ err: error, guildId }, "checking for a missed run failed");
        }
      }
    } catch (error) {
      this.logger.error({ err: error }, "starting the scheduler failed");
    }
  }

  /** Resolves once the work `start` kicked off has finished (for tests and a clean stop). */
  async settled(): Promise<void> {
    for (;;) {
      const pending = [...this.kickedOff];
      await Promise.allSettled(pending);
      if (pending.length === this.kickedOff.length) return;
    }
  }

  private track(work: Promise<unknown>, failure: string): void {
    this.kickedOff.push(work.catch((error: unknown) => this.logger.error({ err: error }, failure)));
  }

  /**
   * (Re)arms a server's timer from its current settings. A schedule that can never run (saved by
   * an older version, or edited in the database) disables this server's schedule with a warning.
   */
  async schedule(guildId: string): Promise<void> {
    try {
      const { schedule, timezone } = await this.service.settings(guildId);
      // From here on synchronous: of two calls at once, the later one's timer is the only one.
      this.unschedule(guildId);
      if (this.stopped) return;
      this.armedWith.set(guildId, `${schedule}\n${timezone}`);
      const { problem } = checkSchedule(schedule, timezone, this.now());
      if (!stillRuns(problem)) {
        this.disabled.set(guildId, problem as ScheduleProblem);
        this.logger.warn(
          { guildId, schedule, timezone, problem: problem?.kind },
          "this server's schedule can never run, so it is disabled; an admin can set a new one with /config schedule",
        );
        return;
      }
      if (problem && "at" in problem)
        this.logger.warn(
          {
            guildId,
            schedule,
            timezone,
            problem: problem.kind,
            localTime: new Date(problem.at).toISOString().slice(0, 16).replace("T", " "),
          },
          "this server's schedule skips or repeats a run at a daylight-saving change",
        );
      this.arm(guildId, schedule, timezone);
      this.logger.debug({ guildId, schedule, timezone }, "scheduled");
    } catch (error) {
      this.logger.error({ err: error, guildId }, "scheduling a server failed");
    }
  }

  /** Why a server's schedule is disabled, or null when it is scheduled. */
  problem(guildId: string): ScheduleProblem | null {
    return this.disabled.get(guildId) ?? null;
  }

  /**
   * Re-arms the servers whose schedule or time zone changed since their timer was made (by a
   * process that answered `/config schedule`), and arms servers that have newly subscribed.
   */
  async rescheduleAll(): Promise<void> {
    if (this.stopped) return;
    try {
      for (const guildId of await this.guildIds()) {
        const { schedule, timezone } = await this.service.settings(guildId);
        if (this.armedWith.get(guildId) !== `${schedule}\n${timezone}`)
          await this.schedule(guildId);
      }
    } catch (error) {
      this.logger.error({ err: error }, "reading the servers' schedules again failed");
    }
  }

  private unschedule(guildId: string): void {
    this.armedWith.delete(guildId);
    clearTimeout(this.timers.get(guildId));
    this.timers.delete(guildId);
    this.disabled.delete(guildId);
  }

  private arm(guildId: string, schedule: string, timezone: string): void {
    const [next] = nextRuns(schedule, timezone, 1, new Date());
    if (!next) {
      this.disabled.set(guildId, { kind: "never" });
      this.logger.warn({ guildId, schedule, timezone }, "no run within a year; schedule disabled");
      return;
    }
    const wait = Math.min(Math.max(next.getTime() - Date.now(), 0), MAX_WAIT_MS);
    const timer = setTimeout(() => {
      this.arm(guildId, schedule, timezone);
      // A long wait is cut into pieces, and a timer may wake a little early: run only when due.
      if (Date.now() < next.getTime()) return;
      void this.runOnce(guildId);
    }, wait);
    this.timers.set(guildId, timer);
  }

  /** A run, unless the server's previous run is still going (then this one is skipped). */
  private async runOnce(guildId: string): Promise<void> {
    if (this.running.has(guildId)) {
      this.logger.warn({ guildId }, "previous run still going; this run is skipped");
      return;
    }
    this.running.add(guildId);
    try {
      await this.tick(guildId);
    } finally {
      this.running.delete(guildId);
    }
  }

  /**
   * One scheduled run for a server; never throws. The run counts as done (`lastRunAt`) only once
   * its deliveries are recorded: a process that dies midway leaves the run missed, and the next
   * one to start (or the standby scheduler taking over) runs it again, the ledger keeping what was
   * already recorded from being recorded twice.
   */
  async tick(guildId: string): Promise<void> {
    try {
      const startedAt = this.now().toISOString();
      const outcomes = await this.service.deliverDue(guildId);
      await this.store.saveGuildSettings(guildId, { lastRunAt: startedAt });
      if (outcomes.length > 0)
        this.logger.info(
          { guildId, outcomes: outcomes.map((o) => `${o.channelId}:${o.status}`) },
          "scheduled run finished",
        );
    } catch (error) {
      this.logger.error({ err: error, guildId }, "scheduled run failed");
    }
  }

  /** True when a run fell due while the bot was down (logged). */
  private async missedWhileDown(guildId: string, now: Date): Promise<boolean> {
    if (this.disabled.has(guildId)) return false;
    const createdAt = (await this.store.subscriptions(guildId)).map((s) => s.createdAt);
    const due = missedRun(await this.service.settings(guildId), createdAt, now);
    if (due)
      this.logger.info(
        { guildId, due: due.toISOString() },
        "catching up a run missed while the bot was down",
      );
    return due !== null;
  }

  /** Stops every server's timer and every waiting retry (the ledger keeps the work). */
  stop(): void {
    this.stopped = true;
    this.service.stopRetrying();
    for (const timer of this.timers.values()) clearTimeout(timer);
    this.timers.clear();
    this.armedWith.clear();
  }
}
