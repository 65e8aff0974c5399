import { describe, expect, test } from "vitest";
import { hostileDigest } from "../../bench/digest-samples.js";
import type { Digest } from "../../src/digest/model.js";
import { MAX_SUMMARY_CHARS } from "../../src/digest/paper-builder.js";
import { parseDigest } from "../../src/digest/parse.js";

function parsed(source: string): Digest {
  const result = parseDigest(source, "2024-02-20.md");
  if (!result.ok) throw new Error(result.error.message);
  return result.digest;
}

function entry(index: number, body: string[]): string[] {
  return [
    `### [Paper ${index}](https://arxiv.org/abs/2402.${10000 + index})`,
    "",
    `Vote: ${index}`,
    "",
    "Authors: Zhenda Xie, Lean Wang",
    "",
    ...body,
    "",
  ];
}

const summaryChars = (digest: Digest, index: number) =>
  (digest.papers[index]?.summary ?? []).reduce(
    (sum, item) => sum + (item.label?.length ?? 0) + item.text.length,
    0,
  );

describe("an overgrown paper entry", () => {
  test("keeps the first 8,000 characters of its summary, warns at the cut, and reads the next paper whole", () => {
    // Lists of 100 bullets between short paragraphs: no block holds a flood of markers.
    const bullets = Array.from({ length: 2_000 }, (_, i) => [
      `- ***Point ${i}***: 긴 요약 문장입니다 ${i}.`,
      ...(i % 100 === 99 ? ["", `문단 ${i}`, ""] : []),
    ]).flat();
    const lines = [
      "## Daily Papers (2024-02-20)",
      "",
      ...entry(1, bullets),
      ...entry(2, ["- ***What's New***: 짧은 요약."]),
    ];
    const digest = parsed(lines.join("\n"));
    expect(digest.papers).toHaveLength(2);
    expect(summaryChars(digest, 0)).toBeLessThanOrEqual(MAX_SUMMARY_CHARS);
    expect(summaryChars(digest, 0)).toBeGreaterThan(MAX_SUMMARY_CHARS - 100);
    expect(digest.papers[1]?.summary).toEqual([{ label: "What's New", text: "짧은 요약." }]);
    expect(digest.papers[1]?.votes).toBe(2);
    const [warning] = digest.warnings;
    expect(digest.warnings).toHaveLength(1);
    expect(warning?.message).toMatch(/summary longer than 8,000 characters/);
    // The warning points at the bullet where the summary was cut.
    expect(lines[(warning?.line ?? 0) - 1]).toMatch(/^- \*\*\*Point \d+\*\*\*/);
  });

  test("cuts one long paragraph inside the limit, never between a surrogate pair", () => {
    const paragraph = "😀".repeat(MAX_SUMMARY_CHARS);
    const digest = parsed(
      ["## Daily Papers (2024-02-20)", "", ...entry(1, [paragraph])].join("\n"),
    );
    const text = digest.papers[0]?.summary[0]?.text ?? "";
    expect(text.length).toBeLessThanOrEqual(MAX_SUMMARY_CHARS);
    expect(text.endsWith("…")).toBe(true);
    expect(text).not.toMatch(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])/);
  });

  test("a heading inside a fenced block after the cut is not taken for the next paper", () => {
    const long = Array.from({ length: 400 }, (_, i) => `- 요약 ${i}: ${"가".repeat(40)}`);
    const fenced = ["```", "### [Not a paper](https://arxiv.org/abs/2402.99999)", "```"];
    const digest = parsed(
      [
        "## Daily Papers (2024-02-20)",
        "",
        ...entry(1, [...long, "", ...fenced]),
        ...entry(2, ["- 두 번째 논문."]),
      ].join("\n"),
    );
    expect(digest.papers.map((p) => p.id)).toEqual(["2402.10001", "2402.10002"]);
  });

  test("text under a heading that is not a paper's is skipped up to the next paper", () => {
    const digest = parsed(
      [
        "## Daily Papers (2024-02-20)",
        "",
        ...entry(1, ["- 첫 논문."]),
        "## License",
        "",
        "```",
        "### [Inside a fence](https://arxiv.org/abs/2402.99998)",
        "```",
        "",
        "## Daily Papers (2024-02-20)",
        "",
        ...entry(2, ["- 둘째 논문."]),
      ].join("\n"),
    );
    expect(digest.papers.map((p) => p.id)).toEqual(["2402.10001", "2402.10002"]);
  });

  test("a 4 MB hostile digest comes to a small result: each paper's text is bounded", () => {
    const digest = parsed(hostileDigest("2024-02-20"));
    expect(digest.papers.length).toBeGreaterThan(50);
    for (let i = 0; i < digest.papers.length; i++)
      expect(summaryChars(digest, i)).toBeLessThanOrEqual(MAX_SUMMARY_CHARS);
    expect(JSON.stringify(digest).length).toBeLessThan(1024 * 1024);
  });
});
