import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, test } from "vitest";
import type { ChannelSubscription, Delivery } from "../../src/delivery/model.js";
import { explain, filterReason } from "../../src/delivery/why.js";
import { parseDigest } from "../../src/digest/parse.js";
import { rankPapers } from "../../src/render/select.js";
import { ROOT } from "../support/paths.js";

const path = join(ROOT, "digests", "2024-02-20.md");
const parsed = parseDigest(readFileSync(path, "utf8"), path);
if (!parsed.ok) throw new Error("sample");
const digest = parsed.digest;
const ranked = rankPapers(digest);

const subscription = (changes: Partial<ChannelSubscription> = {}): ChannelSubscription => ({
  channelId: "100000000000000001",
  guildId: "200000000000000001",
  mode: "embeds",
  style: "embeds",
  minVotes: null,
  topN: null,
  includeKeywords: [],
  excludeKeywords: [],
  mentionRoleId: null,
  forumTagId: null,
  createdBy: null,
  createdAt: "2024-01-01T00:00:00.000Z",
  pausedReason: null,
  pauseNotified: false,
  ...changes,
});

describe("why a paper was left out", () => {
  const paper = ranked[2]?.paper ?? digest.papers[0];
  if (!paper) throw new Error("no paper");

  test("names the keyword filter: none of the wanted keywords, or the excluded one that matched", () => {
    expect(
      filterReason(digest, subscription({ includeKeywords: ["zebra-crossing"] }), paper),
    ).toEqual({ filter: "includeKeywords", keywords: ["zebra-crossing"] });
    const word = paper.title.split(/\s+/)[0]?.toLowerCase() ?? "";
    expect(
      filterReason(digest, subscription({ excludeKeywords: ["nothing-like-it", word] }), paper),
    ).toEqual({ filter: "excludeKeywords", keyword: word });
  });

  test("names the minimum votes with the paper's own count, and top N with its rank", () => {
    expect(filterReason(digest, subscription({ minVotes: 1000 }), paper)).toEqual({
      filter: "minVotes",
      minVotes: 1000,
      votes: paper.votes,
    });
    expect(filterReason(digest, subscription({ topN: 2 }), paper)).toEqual({
      filter: "topN",
      topN: 2,
      rank: 3,
    });
    expect(filterReason(digest, subscription({ topN: 3 }), paper)).toBeNull();
  });

  test("a failed delivery is failed, with its error; a paused subscription is paused, with its reason", () => {
    const failed = {
      id: 1,
      status: "failed",
      error: "Unknown Channel",
      kind: "scheduled",
    } as unknown as Delivery;
    expect(
      explain({
        digest,
        paper: null,
        subscription: subscription(),
        deliveries: [failed],
        steps: [],
      }),
    ).toEqual({ stage: "failed", error: "Unknown Channel" });
    expect(
      explain({
        digest,
        paper: null,
        subscription: subscription({ pausedReason: "Missing Access" }),
        deliveries: [],
        steps: [],
      }),
    ).toEqual({ stage: "paused", reason: "Missing Access" });
  });
});
