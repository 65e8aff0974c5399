import { type NeededPermission, neededPermissions } from "../../src/delivery/channel-health.js";
import type { DeliveryMode } from "../../src/render/digest-messages.js";
import { prng } from "./prng.js";

// Random fault schedules for the exactly-once property test, drawn from a seed so that a failing
// scenario can be replayed (FAULT_SEED). The emulator flips its own coins for a rule's `rate`, and
// kills land wherever the bot happens to be, so a replay repeats the schedule, not every interleaving.

export const MESSAGE = "POST /channels/:channel/messages";
export const THREAD = "POST /channels/:channel/messages/:message/threads";
export const FORUM_POST = "POST /channels/:channel/threads";
export const READ_BACK = "GET /channels/:channel/messages";
const ROUTES = [MESSAGE, MESSAGE, THREAD, FORUM_POST, READ_BACK] as const;

/** The bot's REST timeout (15 s, not configurable): a longer delay makes it give up and resend. */
const PAST_REST_TIMEOUT_MS = 16_500;

export type FaultEvent =
  | { kind: "delay"; route: string; delayMs: number; rate: number; times: number }
  | { kind: "error"; route: string; status: 500 | 502 | 503 | 504; rate: number; times: number }
  | { kind: "reset"; route: string; rate: number; times: number }
  /** SIGKILL; the bot is started again `downMs` later, the clock moved ahead meanwhile if set. */
  | { kind: "kill"; downMs: number; clockWhileDownMs: number }
  | { kind: "clock"; advanceMs: number }
  | { kind: "deny"; channel: number; permission: NeededPermission; restoreAfterMs: number | null };

/**
 * An event and when it happens: once `after` messages have arrived in the emulator (so that it
 * lands mid-delivery however slow the machine), then `jitterMs` later.
 */
export type TimedEvent = FaultEvent & { after: number; jitterMs: number };

/**
 * A random schedule of 4 to 8 events spread over a delivery of about `messages` messages to
 * channels of these modes.
 */
export function faultSchedule(
  seed: number,
  modes: readonly DeliveryMode[],
  messages: number,
): TimedEvent[] {
  const random = prng(seed);
  const int = (min: number, max: number) => min + Math.floor(random() * (max - min + 1));
  const pick = <T>(items: readonly T[]): T => items[int(0, items.length - 1)] as T;
  const rate = () => Math.round((0.2 + random() * 0.6) * 100) / 100;
  const events: TimedEvent[] = [];
  const denied = new Set<number>();
  for (let i = int(4, 8); i > 0; i--) {
    const at = { after: int(0, messages - 3), jitterMs: int(0, 600) };
    const kind = pick(["delay", "delay", "error", "reset", "kill", "kill", "clock", "deny"]);
    if (kind === "delay")
      events.push({
        ...at,
        kind,
        route: pick(ROUTES),
        delayMs: int(200, 3_000),
        rate: rate(),
        times: int(2, 8),
      });
    else if (kind === "error")
      events.push({
        ...at,
        kind,
        route: pick(ROUTES),
        status: pick([500, 502, 503, 504] as const),
        rate: rate(),
        times: int(1, 6),
      });
    else if (kind === "reset")
      events.push({ ...at, kind, route: pick(ROUTES), rate: rate(), times: int(1, 4) });
    else if (kind === "kill") {
      const clockWhileDownMs = random() < 0.4 ? pick([10, 90, 360]) * 60_000 : 0;
      events.push({ ...at, kind, downMs: pick([0, 300, 1_500, 4_000]), clockWhileDownMs });
    } else if (kind === "clock")
      events.push({ ...at, kind, advanceMs: pick([2, 10, 90, 180, 360]) * 60_000 });
    else {
      const channel = int(0, modes.length - 1);
      if (denied.has(channel)) continue;
      denied.add(channel);
      const permission = pick(neededPermissions(modes[channel] ?? "embeds"));
      const restoreAfterMs = random() < 0.5 ? int(200, 4_000) : null;
      events.push({ ...at, kind: "deny", channel, permission, restoreAfterMs });
    }
  }
  // Now and then one answer slower than the REST timeout: the bot resends with the same nonce
  // while Discord still carries out the first request. Not on forum posts, whose settle wait
  // (three timeouts) would not fit the time box.
  if (random() < 0.3)
    events.push({
      after: int(0, messages - 6),
      jitterMs: 0,
      kind: "delay",
      route: pick([MESSAGE, THREAD]),
      delayMs: PAST_REST_TIMEOUT_MS,
      rate: 1,
      times: 1,
    });
  return events.sort((a, b) => a.after - b.after || a.jitterMs - b.jitterMs);
}

/** One line per event, for the test's log and a failing assertion's message. */
export function describeSchedule(events: readonly TimedEvent[]): string {
  return events
    .map(
      ({ after, jitterMs, kind, ...rest }) =>
        `  after ${after} messages +${jitterMs} ms: ${kind} ${JSON.stringify(rest)}`,
    )
    .join("\n");
}
