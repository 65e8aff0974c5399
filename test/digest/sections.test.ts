import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import type { Root } from "mdast";
import remarkParse from "remark-parse";
import { unified } from "unified";
import { describe, expect, test } from "vitest";
import { MAX_SECTION_CHARS, topLevelBlocks } from "../../src/digest/blocks.js";
import { parseDigest } from "../../src/digest/parse.js";
import { FIXTURES } from "../support/paths.js";

const whole = unified().use(remarkParse);

/** A paper entry shaped like the corpus's. */
function paper(index: number, votes = String(index % 50)): string {
  const id = `2402.${String(10000 + index)}`;
  return [
    `### [Paper ${index}: *Sparse* attention at scale](https://arxiv.org/abs/${id})`,
    "",
    `![](https://cdn-thumbnails.huggingface.co/social-thumbnails/papers/${id}.png)`,
    "",
    `Vote: ${votes}`,
    "",
    "Authors: Zhenda Xie, Lean Wang, Yuqing Wang",
    "",
    "- ***What's New***: 새로운 주의 메커니즘을 소개합니다.",
    "- ***Technical Details***: 토큰 압축(compression)과 선택(selection)을 결합합니다.",
    "",
  ].join("\n");
}

function digest(papers: string[]): string {
  return ["## Daily Papers (2024-02-20)", "", ...papers].join("\n");
}

/** Long enough that the text is cut into several pieces. */
const filler = Array.from({ length: 120 }, (_, i) => `Filler paragraph ${i} of the notes.\n`).join(
  "\n",
);

function sameAsWholeParse(source: string): void {
  const expected = (whole.parse(source) as Root).children;
  expect([...topLevelBlocks(source).nodes]).toEqual(expected);
}

describe("reading a digest piece by piece", () => {
  test("keeps line numbers exact for a paper deep in a large digest", () => {
    const papers = Array.from({ length: 3000 }, (_, i) =>
      paper(i, i === 2718 ? "many" : undefined),
    );
    const source = digest(papers);
    const result = parseDigest(source, "2024-02-20.md");
    if (!result.ok) throw new Error(result.error.message);
    expect(result.digest.papers).toHaveLength(3000);
    expect(result.digest.warnings).toHaveLength(1);
    const line = result.digest.warnings[0]?.line ?? 0;
    expect(line).toBeGreaterThan(25_000);
    expect(source.split("\n")[line - 1]).toBe("Vote: many");
  });

  test("a hostile section does not change the papers of the others", () => {
    const papers = Array.from({ length: 40 }, (_, i) => paper(i));
    const clean = parseDigest(digest(papers), "2024-02-20.md");
    const flood = Array.from({ length: 60 }, () => `${"*a [b ".repeat(160)}\n`).join("\n");
    const nested = `${"> ".repeat(30)}- x\n`.repeat(300);
    const list = "- item\n\n".repeat(20_000); // one list longer than a block may be
    const hostile = [...papers];
    hostile.splice(10, 0, `### [Flood](https://arxiv.org/abs/2402.99999)\n\n${flood}`);
    hostile.splice(25, 0, `### [Nested](https://arxiv.org/abs/2402.99998)\n\n${nested}\n${list}`);
    const result = parseDigest(digest(hostile), "2024-02-20.md");
    if (!clean.ok || !result.ok) throw new Error("not parsed");
    const others = result.digest.papers.filter((p) => !p.id?.startsWith("2402.9999"));
    expect(others).toEqual(clean.digest.papers);
    expect(result.digest.warnings.map((w) => w.message)).toContain(
      `a block longer than ${MAX_SECTION_CHARS / 1024} KB starts here; not read`,
    );
  });

  test("gives the same blocks as one whole parse across fences, HTML and lists", () => {
    sameAsWholeParse(
      `# Notes\n\n${filler}\n\`\`\`sh\n${filler}\n# a comment\n### not a heading\n\`\`\`\n${filler}`,
    );
    sameAsWholeParse(
      `${filler}\n<!--\n${filler}\n### hidden\n-->\n### [A](https://a)\n\n${filler}`,
    );
    sameAsWholeParse(
      `${filler}\n<div>\n### inside\n</div>\n\n${filler}\n- a\n\n  ${filler.replaceAll("\n\n", "\n\n  ")}`,
    );
    sameAsWholeParse(
      `- item\n  \`\`\`\n  code\n\`\`\`\n${filler}\n### in the fence\n\`\`\`\n${filler}`,
    );
  });

  test("link reference definitions apply across pieces, the first one winning", () => {
    sameAsWholeParse(
      `Uses [ref], [x][REF] and [b\\]c].\n\n${filler}\n[ref]: https://e.com/a?b=1&amp;c "ti\\"tle"\n[b\\]c]: <x y>\n\n${filler}\n[REF]: https://second\n\n[ref] again`,
    );
  });

  test("every golden fixture gives the same blocks as one whole parse", () => {
    for (const name of readdirSync(FIXTURES).filter((n) => !n.includes("."))) {
      sameAsWholeParse(readFileSync(join(FIXTURES, name, "input.md"), "utf8"));
    }
  });
});
