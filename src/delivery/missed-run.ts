import type { GuildSettings } from "./model.js";
import { previousRun } from "./schedule.js";

/**
 * The run a server missed while the bot was down: its schedule's latest run before `now`, when
 * that came after its last run (or, never having run, after its first subscription); else null.
 */
export function missedRun(
  settings: GuildSettings,
  subscribedSince: readonly string[],
  now: Date,
): Date | null {
  const due = previousRun(settings.schedule, settings.timezone, now);
  if (!due) return null;
  const since = settings.lastRunAt ?? [...subscribedSince].sort()[0] ?? now.toISOString();
  return due.getTime() > Date.parse(since) ? due : null;
}
