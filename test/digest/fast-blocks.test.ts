import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import type { Nodes, Root, RootContent } from "mdast";
import remarkParse from "remark-parse";
import { unified } from "unified";
import { describe, expect, test } from "vitest";
import { largeDigest } from "../../bench/digest-samples.js";
import { fastBlocks } from "../../src/digest/fast-blocks.js";
import { CORPUS_DIR, hasCorpus } from "../support/paths.js";
import { prng } from "../support/prng.js";

const remark = unified().use(remarkParse);

function remarkBlocks(text: string): RootContent[] {
  return JSON.parse(JSON.stringify((remark.parse(text) as Root).children));
}

/** The fast reading, as plain data; `null` when it leaves the text to remark-parse. */
function fast(text: string): RootContent[] | null {
  const blocks = fastBlocks(text);
  return blocks === null ? null : JSON.parse(JSON.stringify(blocks));
}

/** Points used by more than one node: shifting positions in place would move them twice. */
function sharedPoints(nodes: readonly Nodes[]): object[] {
  const seen = new Set<object>();
  const shared: object[] = [];
  const visit = (node: Nodes) => {
    for (const point of [node.position?.start, node.position?.end]) {
      if (point === undefined) continue;
      if (seen.has(point)) shared.push(point);
      seen.add(point);
    }
    if ("children" in node) for (const child of node.children) visit(child);
  };
  for (const node of nodes) visit(node);
  return shared;
}

/** Lines a digest (or an attacker) might hold, many of them just outside the fast reading. */
const LINES = [
  "",
  "   ",
  "## Daily Papers (2025-05-09)",
  "### [Perception, Reason, Think: A Survey](https://arxiv.org/abs/2505.04921)",
  "### [Q&A Bench & More](https://arxiv.org/abs/2311.12022)",
  "### [A &amp; B](https://arxiv.org/abs/2311.12022)",
  "### [Beyond A*: Planning](https://arxiv.org/abs/2402.14083)",
  "### Plain *heading* text",
  "### heading ###",
  "###heading",
  "#### [T](https://x.org/a) tail",
  "![](https://cdn-thumbnails.huggingface.co/social-thumbnails/papers/2505.04921.png)",
  "![alt text](https://x.org/i.png)",
  "![](https://x.org/i(1).png)",
  "[Watch Video](https://cdn-uploads.huggingface.co/production/uploads/a_b/c.mp4)",
  "[Watch Video]https://cdn-uploads.huggingface.co/x.mp4",
  '<div><video controls src="https://x.org/v.mp4" muted></video></div>',
  "<video src='https://x.org/v.mp4'>",
  "<divx>",
  "Vote: 75",
  "Vote: 7  ",
  "Authors: Lanqing Hong, Zheng Zhang",
  "Authors: ['Kim', 'Lee\\'s']",
  "- ***What's New***: 이 논문은 *효율적으로* 처리합니다.",
  "- ***Technical Details***: **6배**는 빠릅니다 (FID).",
  "- **Label**: text",
  "- *a*b*c*",
  "- 1) 첫째 항목",
  "- 12. 둘째",
  "- 2024년 결과",
  "- - -",
  "- * * *",
  "- ***",
  "- # heading in item",
  "- > quote in item",
  "-  two spaces",
  "-",
  "  - nested item",
  "    indented code",
  "* star item",
  "+ plus item",
  "1. ordered",
  "12) ordered",
  "2024. year",
  "2024년에는",
  "***",
  "---",
  "===",
  "Title",
  "> quote",
  "```",
  "~~~",
  "*a* **b** ***c***",
  "**a*",
  "*a**",
  "* a*",
  "(*a*) [x]",
  "a*b*c",
  "****a****",
  "**6배**,",
  "**(FID)**: 점수",
  "***What's New***: 본 연구",
  "hard break  ",
  "back\\",
  "tab\there",
  "&copy; 2024",
  "&#35; x",
  "AT&T 5% ~50~ $x$ a|b",
  "https://github.com/a/b 코드",
  "🦜 emoji *앵무새*",
  "\u00a0nbsp lead",
  "x\u00a0*y*\u00a0z",
];

/** The lines read fast on their own: documents mostly of these are read fast as a whole too. */
const READABLE = LINES.filter((line) => fastBlocks(line) !== null);

function randomDocument(next: () => number): string {
  const count = 1 + Math.floor(next() * 12);
  const lines: string[] = [];
  for (let i = 0; i < count; i++) {
    const pool = next() < 0.8 ? READABLE : LINES;
    lines.push(pool[Math.floor(next() * pool.length)] as string);
  }
  return lines.join("\n");
}

describe("the fast block reading", () => {
  test("gives exactly remark-parse's blocks, positions included, for random documents of tricky lines", () => {
    const next = prng(20261126);
    let read = 0;
    const runs = 10_000;
    for (let run = 0; run < runs; run++) {
      const text = randomDocument(next);
      const got = fast(text);
      if (got === null) continue;
      read++;
      expect(got, JSON.stringify(text)).toEqual(remarkBlocks(text));
      expect(sharedPoints(fastBlocks(text) ?? [])).toEqual([]);
    }
    // Enough of them are read fast that the comparison means something.
    expect(read).toBeGreaterThan(runs / 4);
  });

  test("leaves constructs it does not read to remark-parse", () => {
    for (const text of [
      "- a\n\n- b", // a loose list
      "- a\nlazy continuation",
      "Title\n===",
      "- 12. nested ordered",
      "* * *",
      "hard break  \nnext",
      "### [A &amp; B](https://x.org/a)",
      "    indented code",
    ]) {
      expect(fastBlocks(text), JSON.stringify(text)).toBeNull();
    }
  });

  test("reads the benchmark's 5,000-paper digest whole", () => {
    const text = largeDigest(200);
    expect(fast(text)).toEqual(remarkBlocks(text));
  });
});

describe.skipIf(!hasCorpus)("the fast block reading over the real corpus", () => {
  test("matches remark-parse on every paper section it reads, and reads at least nine in ten", () => {
    const files = readdirSync(CORPUS_DIR).filter((name) => name.endsWith(".md"));
    let sections = 0;
    let read = 0;
    for (const file of files) {
      const source = readFileSync(join(CORPUS_DIR, file), "utf8").replace(/\r\n?/g, "\n");
      for (const section of source.split(/\n(?=### )/)) {
        sections++;
        const got = fast(section);
        if (got === null) continue;
        read++;
        expect(got, `${file}: ${section.slice(0, 80)}`).toEqual(remarkBlocks(section));
      }
    }
    expect(sections).toBeGreaterThan(5000);
    expect(read / sections).toBeGreaterThan(0.9);
  });
});
