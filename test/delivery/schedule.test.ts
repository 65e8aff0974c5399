import { describe, expect, test } from "vitest";
import {
  isValidCron,
  isValidTimeZone,
  nextRuns,
  previousRun,
} from "../../src/delivery/schedule.js";

describe("schedules in a server's time zone", () => {
  test("09:00 in Seoul is 00:00 UTC, and the next three runs are a day apart", () => {
    const runs = nextRuns("0 9 * * *", "Asia/Seoul", 3);
    expect(runs).toHaveLength(3);
    for (const run of runs) expect(run.getUTCHours()).toBe(0);
    expect((runs[1]?.getTime() ?? 0) - (runs[0]?.getTime() ?? 0)).toBe(86_400_000);
  });

  test("the previous run before a moment is found in that zone, across daylight saving time", () => {
    const now = new Date("2024-03-11T12:00:00Z"); // the day after DST began in New York
    // 08:00 EDT on 11 March: the last 09:00 in New York was on the 10th, already daylight time (UTC-4).
    expect(previousRun("0 9 * * *", "America/New_York", now)?.toISOString()).toBe(
      "2024-03-10T13:00:00.000Z",
    );
    expect(previousRun("0 9 * * *", "Asia/Seoul", now)?.toISOString()).toBe(
      "2024-03-11T00:00:00.000Z",
    );
    expect(previousRun("0 9 * * *", "UTC", now)?.toISOString()).toBe("2024-03-11T09:00:00.000Z");
  });

  test("validates cron expressions and IANA zones", () => {
    expect(isValidCron("0 9 * * *")).toBe(true);
    expect(isValidCron("* * * * * *")).toBe(true);
    expect(isValidCron("every day")).toBe(false);
    expect(isValidTimeZone("Asia/Seoul")).toBe(true);
    expect(isValidTimeZone("Mars/Olympus")).toBe(false);
  });
});
