import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, test } from "vitest";
import { parseDigest } from "../../src/digest/parse.js";
import { FIXTURES } from "../support/paths.js";
import { prng as random } from "../support/prng.js";

const INJECTIONS = [
  "\u0000",
  "\t",
  "\r",
  "\u000b",
  "\u001b",
  "\ufeff",
  "[",
  "](",
  ")",
  "*",
  "**",
  "`",
  "<video src='",
  "<div>",
  "\n",
  "\n\n",
  "- ",
  "1) ",
  "### ",
  "## ",
  "Vote: ",
  "Authors: ['",
  "\\",
  "'",
  '"',
  "🦜",
  "가",
];

function mutate(lines: string[], next: () => number): string[] {
  const out = [...lines];
  const pick = () => Math.floor(next() * Math.max(out.length, 1));
  const steps = 1 + Math.floor(next() * 4);
  for (let step = 0; step < steps; step++) {
    const kind = Math.floor(next() * 5);
    const at = pick();
    if (kind === 0) out.splice(at, 1 + Math.floor(next() * 5));
    else if (kind === 1) out.splice(at, 0, out[pick()] ?? "");
    else if (kind === 2) {
      const other = pick();
      [out[at], out[other]] = [out[other] ?? "", out[at] ?? ""];
    } else if (kind === 3) {
      const line = out[at] ?? "";
      const col = Math.floor(next() * (line.length + 1));
      const piece = INJECTIONS[Math.floor(next() * INJECTIONS.length)] ?? "";
      out[at] = line.slice(0, col) + piece + line.slice(col);
    } else {
      const line = out[at] ?? "";
      out[at] = line.slice(0, Math.floor(next() * line.length));
    }
  }
  return out;
}

const sources = readdirSync(FIXTURES)
  .filter((name) => name.startsWith("corpus-"))
  .map((name) => readFileSync(join(FIXTURES, name, "input.md"), "utf8").split("\n"));

function checkNeverBreaks(text: string, label: string): void {
  const result = parseDigest(text, "fuzz.md");
  const lineCount = text.split(/\r\n|\r|\n/).length;
  if (!result.ok) {
    expect(result.error.file, label).toBe("fuzz.md");
    return;
  }
  for (const warning of result.digest.warnings) {
    expect(Number.isInteger(warning.line), label).toBe(true);
    expect(warning.line, label).toBeGreaterThanOrEqual(1);
    expect(warning.line, label).toBeLessThanOrEqual(lineCount);
    expect(warning.file, label).toBe("fuzz.md");
  }
  for (const paper of result.digest.papers) {
    expect(paper.title, label).not.toBe("");
    if (paper.media) expect(paper.media.url, label).toMatch(/^https?:\/\//);
  }
}

describe("digest parser under random damage", () => {
  test("3,000 mutations of real digests never throw and give warnings with valid lines", () => {
    const next = random(20240220);
    for (let run = 0; run < 3000; run++) {
      const lines = sources[run % sources.length] ?? [];
      const start = Math.floor(next() * Math.max(lines.length - 40, 1));
      const window = ["## Daily Papers (2024-02-20)", ...lines.slice(start, start + 40)];
      const text = mutate(window, next).join(next() < 0.2 ? "\r\n" : "\n");
      checkNeverBreaks(text, `run ${run}`);
    }
    // 3,000 full parses: seconds on a quiet machine, far more on a busy shared one.
  }, 180_000);

  test("hostile inputs (empty, binary, deep nesting, huge) are reported, never thrown", () => {
    const hostile: [string, string][] = [
      ["empty", ""],
      ["only a BOM", "\ufeff"],
      ["nul bytes", "\u0000".repeat(10_000)],
      [
        "deep quotes",
        `## Daily Papers (2024-02-20)\n### [a](https://arxiv.org/abs/2402.00001)\n${">".repeat(20_000)} x`,
      ],
      [
        "deep lists",
        `## Daily Papers (2024-02-20)\n### [a](https://arxiv.org/abs/2402.00001)\n${Array.from({ length: 2_000 }, (_, i) => `${"  ".repeat(i)}- x`).join("\n")}`,
      ],
      ["open brackets", `## Daily Papers (2024-02-20)\n### ${"[".repeat(50_000)}`],
      [
        "one huge line",
        `## Daily Papers (2024-02-20)\n### [a](https://arxiv.org/abs/2402.00001)\n- ${"가".repeat(2_000_000)}`,
      ],
      [
        "emphasis flood",
        `## Daily Papers (2024-02-20)\n### [a](https://arxiv.org/abs/2402.00001)\n- ${"*a_".repeat(50_000)}`,
      ],
      [
        "link flood",
        `## Daily Papers (2024-02-20)\n### [a](https://arxiv.org/abs/2402.00001)\n- ${"[a](".repeat(20_000)}`,
      ],
      ["over the size limit", "x".repeat(5 * 1024 * 1024)],
    ];
    for (const [label, text] of hostile) checkNeverBreaks(text, label);
  });
});
