import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, test } from "vitest";
import type { Paper } from "../../src/digest/model.js";
import { parseDigest } from "../../src/digest/parse.js";
import { layoutDigest, packEmbeds } from "../../src/render/digest-messages.js";
import { embedSize, renderPaperEmbed, VOTE_COLORS } from "../../src/render/paper-embed.js";
import { rankPapers, selectPapers } from "../../src/render/select.js";
import { ROOT } from "../support/paths.js";

const sample = (() => {
  const result = parseDigest(
    readFileSync(join(ROOT, "digests", "2024-02-20.md"), "utf8"),
    "2024-02-20.md",
  );
  if (!result.ok) throw new Error("sample digest");
  return result.digest;
})();

const paper = (overrides: Partial<Paper> = {}): Paper => ({
  id: "2402.11131",
  title: "Speculative Streaming",
  url: "https://arxiv.org/abs/2402.11131",
  votes: 33,
  authors: ["A", "B", "C", "D", "E", "F", "G"],
  authorsTruncated: false,
  media: { type: "image", url: "https://example.com/a.png" },
  summary: [
    { label: "What's New", text: "New **idea**." },
    { label: null, text: "Plain." },
  ],
  ...overrides,
});
const place = { date: "2024-02-20", rank: 1, total: 14 };

describe("paper embed", () => {
  test("links the title to arXiv and shows votes, authors, links, image, footer and date", () => {
    const embed = renderPaperEmbed(paper(), place, "en");
    expect(embed).toMatchObject({
      title: "Speculative Streaming",
      url: "https://arxiv.org/abs/2402.11131",
      description: "• **What's New**: New **idea**.\n• Plain.",
      image: { url: "https://example.com/a.png" },
      footer: { text: "Daily Papers 2024-02-20 · #1 of 14" },
      timestamp: "2024-02-20T00:00:00.000Z",
      color: VOTE_COLORS.mid,
    });
    expect(embed.fields).toEqual([
      { name: "Votes", value: "👍 33", inline: true },
      { name: "Authors", value: "A, B, C, D, E and 2 more", inline: true },
      {
        name: "Links",
        value:
          "[arXiv](https://arxiv.org/abs/2402.11131) · [PDF](https://arxiv.org/pdf/2402.11131) · [Hugging Face](https://huggingface.co/papers/2402.11131)",
        inline: false,
      },
    ]);
  });

  test("speaks Korean, says when the author list was cut and when votes are unknown", () => {
    const embed = renderPaperEmbed(paper({ authorsTruncated: true, votes: null }), place, "ko");
    expect(embed.fields?.[0]).toEqual({ name: "추천", value: "집계 없음", inline: true });
    expect(embed.fields?.[1]?.value).toBe("A, B, C, D, E 외 2명 (원문 목록 일부)");
    expect(embed.footer?.text).toBe("Daily Papers 2024-02-20 · 14편 중 1위");
    expect(embed.color).toBe(VOTE_COLORS.none);
  });

  test("a video entry shows the Hugging Face thumbnail and links the video", () => {
    const embed = renderPaperEmbed(
      paper({ media: { type: "video", url: "https://cdn.example.com/v.mp4" } }),
      place,
      "en",
    );
    expect(embed.image?.url).toBe(
      "https://cdn-thumbnails.huggingface.co/social-thumbnails/papers/2402.11131.png",
    );
    expect(embed.fields?.[2]?.value).toContain("[Video](https://cdn.example.com/v.mp4)");
  });

  test("a paper that is not on arXiv links its own page and has no image", () => {
    const embed = renderPaperEmbed(
      paper({ id: null, url: "https://openreview.net/forum?id=x", media: null }),
      place,
      "en",
    );
    expect(embed.url).toBe("https://openreview.net/forum?id=x");
    expect(embed.image).toBeUndefined();
    expect(embed.fields?.[2]?.value).toBe("[Paper page](https://openreview.net/forum?id=x)");
  });

  test("a huge summary is cut at a bullet so the embed stays within 6,000", () => {
    const summary = Array.from({ length: 40 }, (_, i) => ({
      label: null,
      text: `${"가".repeat(200)} ${i}`,
    }));
    const embed = renderPaperEmbed(
      paper({ summary, authors: Array.from({ length: 700 }, (_, i) => `Author ${i}`) }),
      place,
      "ko",
    );
    expect(embedSize(embed)).toBeLessThanOrEqual(6000);
    expect(embed.description?.length).toBeLessThanOrEqual(4096);
    expect(embed.description).toMatch(/\n…$/);
  });
});

describe("selection and layout", () => {
  test("ranks by votes and applies minimum votes, keywords and top N", () => {
    expect(rankPapers(sample).map((r) => r.paper.votes)).toEqual(
      [...sample.papers.map((p) => p.votes)].sort((a, b) => (b ?? -1) - (a ?? -1)),
    );
    const filtered = selectPapers(sample, {
      minVotes: 10,
      topN: 3,
      includeKeywords: [],
      excludeKeywords: [],
    });
    expect(filtered.map((r) => r.rank)).toEqual([1, 2, 3]);
    const byKeyword = selectPapers(sample, {
      minVotes: null,
      topN: null,
      includeKeywords: ["diffusion"],
      excludeKeywords: ["transformer"],
    });
    for (const { paper: p } of byKeyword) {
      const text = `${p.title} ${p.summary.map((s) => s.text).join(" ")}`.toLowerCase();
      expect(text).toContain("diffusion");
      expect(text).not.toContain("transformer");
    }
  });

  test("packs the sample's 14 papers into as few messages as the limits allow", () => {
    const papers = selectPapers(sample, {
      minVotes: null,
      topN: null,
      includeKeywords: [],
      excludeKeywords: [],
    });
    const layout = layoutDigest(sample, papers, {
      language: "ko",
      mode: "embeds",
      mentionRoleId: null,
    });
    const messages = [layout.header, ...layout.papers];
    const total = messages.reduce((n, m) => n + m.embeds.length, 0);
    expect(total).toBe(14);
    const totalSize = messages.flatMap((m) => m.embeds).reduce((n, e) => n + embedSize(e), 0);
    // No packing can use fewer messages than the 6,000 total and the 10 embeds allow.
    const lowerBound = Math.max(Math.ceil(totalSize / 6000), Math.ceil(14 / 10));
    expect(messages.length).toBeGreaterThanOrEqual(lowerBound);
    expect(messages.length).toBeLessThanOrEqual(lowerBound + 1);
    for (const message of messages) {
      expect(message.embeds.length).toBeLessThanOrEqual(10);
      expect(message.embeds.reduce((n, e) => n + embedSize(e), 0)).toBeLessThanOrEqual(6000);
      expect(message.allowed_mentions.parse).toEqual([]);
    }
    expect(layout.header.content).toContain("📰 **Daily Papers — 2024-02-20** · 논문 14편");
  });

  test("greedy packing never leaves room a next embed would have fitted", () => {
    const embeds = sample.papers.map((p, i) =>
      renderPaperEmbed(p, { ...place, rank: i + 1 }, "en"),
    );
    const groups = packEmbeds(embeds);
    for (let i = 0; i + 1 < groups.length; i++) {
      const size = (groups[i] ?? []).reduce((n, e) => n + embedSize(e), 0);
      const next = groups[i + 1]?.[0];
      if (next && (groups[i]?.length ?? 0) < 10)
        expect(size + embedSize(next)).toBeGreaterThan(6000);
    }
  });

  test("thread mode keeps the header alone; a role to mention is the only ping allowed", () => {
    const papers = selectPapers(sample, {
      minVotes: null,
      topN: null,
      includeKeywords: [],
      excludeKeywords: [],
    });
    const layout = layoutDigest(sample, papers, {
      language: "en",
      mode: "thread",
      mentionRoleId: "223456789012345678",
    });
    expect(layout.header.embeds).toEqual([]);
    expect(layout.header.content).toMatch(/^<@&223456789012345678> /);
    expect(layout.header.allowed_mentions).toEqual({ parse: [], roles: ["223456789012345678"] });
    expect(layout.papers.every((m) => m.allowed_mentions.roles === undefined)).toBe(true);
    expect(layout.threadName).toBe("Daily Papers 2024-02-20");
  });
});
