import { expect, test } from "vitest";
import { exportMessages } from "../../src/alerts/following-view.js";
import type { ReaderData } from "../../src/alerts/model.js";

const data = (follows: number, value: string, alerts: number): ReaderData => ({
  userId: "860000000000000001",
  reader: {
    userId: "860000000000000001",
    language: "en",
    dmChannelId: null,
    dmsClosedDate: null,
    closedNotice: false,
  },
  follows: Array.from({ length: follows }, (_, i) => ({
    id: i + 1,
    userId: "860000000000000001",
    kind: "topic" as const,
    value: `${i} ${value}`,
    key: value,
    createdMs: 0,
    createdAt: "2026-01-01T00:00:00.000Z",
  })),
  alerts: Array.from({ length: alerts }, (_, i) => ({
    digestDate: `2025-01-${String((i % 28) + 1).padStart(2, "0")}`,
    status: "done",
    createdAt: "2026-01-01T00:00:00.000Z",
    finishedAt: "2026-01-01T00:00:01.000Z",
  })),
});

test("an export fits in at most five messages of Discord's length, whatever the reader kept", () => {
  for (const sample of [
    data(25, "x".repeat(96), 0),
    // Escaped in JSON, each control character takes six: follows alone would need more.
    data(25, "\u0001".repeat(96), 0),
    data(25, "word ".repeat(19), 2000),
    data(0, "", 0),
  ]) {
    const messages = exportMessages(sample, "en");
    expect(messages.length).toBeGreaterThan(0);
    expect(messages.length).toBeLessThanOrEqual(5);
    for (const m of messages) expect(m.length).toBeLessThanOrEqual(2000);
  }
  const long = exportMessages(data(3, "robots", 2000), "ko");
  expect(long.at(-1)).toContain("생략");
  expect(long[0]).toContain("```json");
});
