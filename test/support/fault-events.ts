import type { NeededPermission } from "../../src/delivery/channel-health.js";
import { type BotProcess, exited, spawnBot } from "./bot-process.js";
import { type DeliveryWorld, waitUntil } from "./delivery-world.js";
import { control } from "./discord.js";
import type { TimedEvent } from "./fault-schedule.js";

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** The real bot as a child process that the schedule kills and starts again. */
export class BotLife {
  private bot: BotProcess | null = null;
  private earlier = "";
  starts = 0;

  constructor(
    private readonly env: Record<string, string>,
    private readonly undo: (() => void)[],
  ) {}

  get running(): BotProcess | null {
    return this.bot;
  }

  start(): void {
    if (this.bot) return;
    const bot = spawnBot(this.env);
    this.bot = bot;
    this.starts++;
    this.undo.push(() => bot.process.kill("SIGKILL"));
  }

  /** SIGKILL (or SIGTERM, a clean stop), waiting until the process is gone. */
  async stop(signal: "SIGKILL" | "SIGTERM" = "SIGKILL"): Promise<void> {
    const bot = this.bot;
    if (!bot) return;
    bot.process.kill(signal);
    await exited(bot.process);
    this.earlier += bot.output();
    this.bot = null;
  }

  /** Everything every process printed. */
  output(): string {
    return this.earlier + (this.bot?.output() ?? "");
  }
}

/** What the events did that the verdict needs, and the restores still under way. */
export interface EventLog {
  denied: Map<string, NeededPermission>;
  restores: Promise<unknown>[];
}

/**
 * Waits until `after` messages have arrived (or nothing has arrived for 3 s: the delivery may be
 * over, or stalled until a fault passes), then `jitterMs` more.
 */
export async function reach(world: DeliveryWorld, event: TimedEvent): Promise<void> {
  const stored = () => world.emulator.ctx.world.messages.size;
  let seen = stored();
  let progressAt = Date.now();
  while (stored() < event.after && Date.now() - progressAt < 3_000) {
    await pause(20);
    if (stored() !== seen) {
      seen = stored();
      progressAt = Date.now();
    }
  }
  await pause(event.jitterMs);
}

/**
 * Moves the emulator's clock once it holds no request. A request held by a `delay_ms` fault is
 * carried out when the delay ends: moved hours ahead meanwhile, it would be Discord carrying out
 * a request hours after receiving it, past the nonce window that absorbs a resend (seed 64618783
 * found exactly that copy). Restarts hours later are what the jump stands for.
 */
async function moveClock(world: DeliveryWorld, ms: number): Promise<void> {
  await waitUntil(async () => {
    const path = "requests?in_flight=true";
    const { requests } = await control<{ requests: unknown[] }>(world.emulator, "GET", path);
    return requests.length === 0;
  }, 30_000);
  await control(world.emulator, "POST", "clock", { advance_ms: ms });
}

/** Carries out one event against the emulator or the bot. */
export async function apply(
  world: DeliveryWorld,
  channels: readonly { id: string }[],
  event: TimedEvent,
  life: BotLife,
  log: EventLog,
): Promise<void> {
  const { emulator } = world;
  const fault = (body: Record<string, unknown>) =>
    control(emulator, "POST", "faults", { route: "route" in event ? event.route : null, ...body });
  switch (event.kind) {
    case "delay":
      await fault({ delay_ms: event.delayMs, rate: event.rate, times: event.times });
      return;
    case "error":
      await fault({ status: event.status, rate: event.rate, times: event.times });
      return;
    case "reset":
      await fault({ reset: true, rate: event.rate, times: event.times });
      return;
    case "kill":
      await life.stop();
      if (event.clockWhileDownMs > 0) await moveClock(world, event.clockWhileDownMs);
      await pause(event.downMs);
      life.start();
      return;
    case "clock":
      await moveClock(world, event.advanceMs);
      return;
    case "deny": {
      const id = channels[event.channel]?.id ?? "";
      log.denied.set(id, event.permission);
      const access = `channels/${id}/access`;
      await control(emulator, "POST", access, { allow: false, deny: [event.permission] });
      const restoreAfter = event.restoreAfterMs;
      if (restoreAfter !== null)
        log.restores.push(
          pause(restoreAfter).then(() => control(emulator, "POST", access, { allow: true })),
        );
    }
  }
}
