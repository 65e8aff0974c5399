import { describe, expect, test } from "vitest";
import { checkSchedule, nextRuns, previousRun } from "../../src/delivery/schedule.js";

// A fixed "now" so that the daylight-saving changes of the coming year are known.
const NOW = new Date("2026-11-25T21:00:00Z");
const wall = (problem: unknown) => {
  const p = problem as { at: number; from: number; to: number };
  const hm = (ms: number) => new Date(ms).toISOString().slice(11, 16);
  return `${new Date(p.at).toISOString().slice(0, 10)} ${hm(p.at)} in ${hm(p.from)}–${hm(p.to)}`;
};

describe("checking a schedule against its time zone", () => {
  test("02:30 on the last Sunday of March never runs in Berlin: that is when clocks skip it", () => {
    const started = performance.now();
    const { problem, next } = checkSchedule("30 2 25-31 3 0", "Europe/Berlin", NOW);
    expect(performance.now() - started).toBeLessThan(1000);
    expect(problem?.kind).toBe("never");
    expect(wall(problem && "gap" in problem ? problem.gap : null)).toBe(
      "2027-03-28 02:30 in 02:00–03:00",
    );
    expect(next).toEqual([]);
  });

  test("a day no month has never runs", () => {
    expect(checkSchedule("0 0 30 2 *", "UTC", NOW).problem).toEqual({ kind: "never" });
    // 29 February comes in 2028, more than a year away.
    expect(checkSchedule("0 0 29 2 *", "UTC", NOW).problem?.kind).toBe("never");
  });

  test("a daily 02:30 in Berlin is refused: the run of 28 March 2027 would be skipped", () => {
    const { problem, next } = checkSchedule("30 2 * * *", "Europe/Berlin", NOW);
    expect(problem?.kind).toBe("skipped");
    expect(wall(problem)).toBe("2027-03-28 02:30 in 02:00–03:00");
    expect(next.map((d) => d.toISOString())).toEqual([
      "2026-11-26T01:30:00.000Z",
      "2026-11-27T01:30:00.000Z",
      "2026-11-28T01:30:00.000Z",
    ]);
  });

  test("New York: 02:00 is skipped in March, 01:30 repeated in November, 09:00 is fine", () => {
    expect(wall(checkSchedule("0 2 * * *", "America/New_York", NOW).problem)).toBe(
      "2027-03-14 02:00 in 02:00–03:00",
    );
    const repeated = checkSchedule("30 1 * * *", "America/New_York", NOW).problem;
    expect(repeated?.kind).toBe("repeated");
    expect(wall(repeated)).toBe("2027-11-07 01:30 in 01:00–02:00");
    expect(checkSchedule("0 9 * * *", "America/New_York", NOW).problem).toBeNull();
  });

  test("Sydney's clocks go back in April and forward in October (southern hemisphere)", () => {
    const april = checkSchedule("30 2 * * *", "Australia/Sydney", NOW).problem;
    expect(april?.kind).toBe("repeated");
    expect(wall(april)).toBe("2027-04-04 02:30 in 02:00–03:00");
    // Only in October: skipped on the first Sunday.
    const october = checkSchedule("30 2 * 10 *", "Australia/Sydney", NOW).problem;
    expect(october?.kind).toBe("skipped");
    expect(wall(october)).toBe("2027-10-03 02:30 in 02:00–03:00");
  });

  test("zones without daylight saving time accept any time", () => {
    for (const zone of ["UTC", "Asia/Seoul"]) {
      const { problem, next } = checkSchedule("30 2 * * *", zone, NOW);
      expect(problem, zone).toBeNull();
      expect(next).toHaveLength(3);
    }
  });

  test("a schedule that runs every hour may lose or repeat that hour: accepted", () => {
    expect(checkSchedule("0 * * * *", "Europe/Berlin", NOW).problem).toBeNull();
    expect(checkSchedule("*/30 * * * *", "America/New_York", NOW).problem).toBeNull();
    // Every two hours is not hourly: its 02:00 run is skipped in March.
    expect(checkSchedule("0 */2 * * *", "Europe/Berlin", NOW).problem?.kind).toBe("skipped");
  });

  test("malformed expressions and zones are told apart", () => {
    expect(checkSchedule("daily", "UTC", NOW).problem).toEqual({ kind: "invalid-cron" });
    expect(checkSchedule("0 9 * * *", "Mars/Base", NOW).problem).toEqual({
      kind: "invalid-zone",
    });
  });
});

describe("runs around daylight-saving changes", () => {
  test("an hourly schedule skips the hour that does not exist and runs a repeated hour once", () => {
    const spring = nextRuns("0 * * * *", "Europe/Berlin", 3, new Date("2027-03-28T00:30:00Z"));
    // 01:00 CET, then 03:00 CEST: 02:00 does not exist.
    expect(spring.map((d) => d.toISOString())).toEqual([
      "2027-03-28T01:00:00.000Z",
      "2027-03-28T02:00:00.000Z",
      "2027-03-28T03:00:00.000Z",
    ]);
    const autumn = nextRuns("0 * * * *", "Europe/Berlin", 3, new Date("2027-10-30T23:30:00Z"));
    // 02:00 CEST (its first occurrence), then 03:00 CET.
    expect(autumn.map((d) => d.toISOString())).toEqual([
      "2027-10-31T00:00:00.000Z",
      "2027-10-31T02:00:00.000Z",
      "2027-10-31T03:00:00.000Z",
    ]);
  });

  test("nothing throws for a schedule that cannot run: no runs, no previous run", () => {
    expect(nextRuns("30 2 25-31 3 0", "Europe/Berlin", 3, NOW)).toEqual([]);
    expect(nextRuns("0 0 30 2 *", "UTC", 3, NOW)).toEqual([]);
    expect(previousRun("0 0 30 2 *", "UTC", NOW)).toBeNull();
    expect(nextRuns("0 9 * * *", "Mars/Base", 3, NOW)).toEqual([]);
  });

  test("finding the previous run of a thousand servers takes well under a second", () => {
    const started = performance.now();
    for (let i = 0; i < 1000; i++)
      previousRun("0 9 * * *", "Europe/Berlin", new Date(NOW.getTime() + i * 60_000));
    expect(performance.now() - started).toBeLessThan(1000);
  });
});
