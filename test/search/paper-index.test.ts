import { describe, expect, test } from "vitest";
import { Catalog } from "../../src/archive/catalog.js";
import type { Digest, Paper } from "../../src/digest/model.js";
import { PaperIndex } from "../../src/search/paper-index.js";

let next = 0;
function paper(
  title: string,
  options: Partial<Omit<Paper, "summary">> & { summary?: string } = {},
): Paper {
  next++;
  const { summary = "", ...rest } = options;
  return {
    id: `2402.${String(10000 + next)}`,
    title,
    url: `https://arxiv.org/abs/2402.${10000 + next}`,
    votes: 1,
    authors: [],
    authorsTruncated: false,
    media: null,
    summary: [{ label: null, text: summary }],
    ...rest,
  };
}

function indexOf(...digests: [string, Paper[]][]): PaperIndex {
  const all: Digest[] = digests.map(([date, papers]) => ({
    date,
    source: `${date}.md`,
    papers,
    warnings: [],
  }));
  return new PaperIndex(new Catalog(all));
}

const titles = (refs: { paper: Paper }[]) => refs.map((r) => r.paper.title);

describe("paper suggestions", () => {
  const index = indexOf([
    "2024-02-20",
    [
      paper("Speculative Streaming: Fast LLM Inference without Auxiliary Models", { votes: 3 }),
      paper("Streaming Video Diffusion", { votes: 40 }),
      paper("Specular Highlights in Neural Rendering", { votes: 7 }),
      paper("Fast Inference for Large Models", { votes: 12 }),
    ],
  ]);

  test("every typed prefix of a title, once it tells the titles apart, puts that title first", () => {
    const title = "Speculative Streaming: Fast LLM Inference without Auxiliary Models";
    for (let length = 8; length <= title.length; length++)
      expect(titles(index.suggestPapers(title.slice(0, length)))[0], title.slice(0, length)).toBe(
        title,
      );
  });

  test("a typo or two still finds the title", () => {
    expect(titles(index.suggestPapers("speculativ streming"))[0]).toMatch(/^Speculative Streaming/);
  });

  test("titles that match equally well come best-voted first", () => {
    expect(titles(index.suggestPapers("streaming"))).toEqual([
      "Streaming Video Diffusion",
      "Speculative Streaming: Fast LLM Inference without Auxiliary Models",
    ]);
  });

  test("an id prefix lists the highest ids first, up to the limit", () => {
    const refs = index.suggestPapers("2402.1", 2);
    expect(refs.map((r) => r.paper.id)).toEqual(
      index
        .suggestPapers("2402.1", 25)
        .map((r) => r.paper.id)
        .slice(0, 2),
    );
    const ids = index.suggestPapers("2402.1").map((r) => r.paper.id as string);
    expect(ids).toEqual([...ids].sort().reverse());
  });

  test("nothing typed suggests the newest digest's papers in order; nonsense suggests none", () => {
    expect(titles(index.suggestPapers(""))[0]).toMatch(/^Speculative Streaming/);
    expect(index.suggestPapers("zzzz qqqq")).toEqual([]);
  });
});

describe("author suggestions", () => {
  const index = indexOf(
    ["2024-02-21", [paper("A", { authors: ["Wei Zhang", "Balázs Kégl", "Zhang Wei"] })]],
    [
      "2024-02-20",
      [
        paper("B", { authors: ["Wei Zhang", "Yang Zhang", "Li Wang"] }),
        paper("C", { authors: ["Wei Zhang", "Yang Zhang", "Hao Li"] }),
      ],
    ],
  );
  const names = (query: string, limit = 25) =>
    index.suggestAuthors(query, limit).map((a) => a.name);

  test("the exact name comes first, then name parts that start with the text, by paper count", () => {
    expect(names("zhang wei")).toEqual(["Zhang Wei"]);
    expect(names("zha")).toEqual(["Wei Zhang", "Yang Zhang", "Zhang Wei"]);
    expect(index.suggestAuthors("wei zhang", 1)).toEqual([{ name: "Wei Zhang", count: 3 }]);
  });

  test("case and accents are ignored, and text inside a name matches after the starts", () => {
    expect(names("KEGL")).toEqual(["Balázs Kégl"]);
    expect(names("ang")).toEqual(["Wei Zhang", "Yang Zhang", "Li Wang", "Zhang Wei"]);
  });

  test("one letter suggests the most published authors, each once, within the limit", () => {
    expect(names("w", 2)).toEqual(["Wei Zhang", "Li Wang"]);
  });

  test("names with as many papers come alphabetically, ignoring case and accents", () => {
    const even = indexOf([
      "2024-02-22",
      [paper("D", { authors: ["émile Zola", "Ada Zhou", "bo Zhu", "Émile Zeng", "Carl Zapf"] })],
    ]);
    expect(even.suggestAuthors("z").map((a) => a.name)).toEqual([
      "Ada Zhou",
      "bo Zhu",
      "Carl Zapf",
      "Émile Zeng",
      "émile Zola",
    ]);
  });
});

describe("full-text search", () => {
  const index = indexOf([
    "2024-02-20",
    [
      paper("Diffusion Policies", {
        votes: 5,
        summary: "로봇 제어를 위한 확산 정책을 제안합니다.",
      }),
      paper("Video Models", { votes: 50, summary: "확산 모델로 비디오를 생성합니다. 9999 99" }),
      paper("Sections", { votes: 9, summary: "섹션별 한국어 요약을 다룹니다." }),
    ],
  ]);

  test("every word must appear, inside longer words too, title hits first, then votes", () => {
    expect(titles(index.search("확산"))).toEqual(["Video Models", "Diffusion Policies"]);
    expect(titles(index.search("diffusion 확산"))).toEqual(["Diffusion Policies"]);
    expect(titles(index.search("생성"))).toEqual(["Video Models"]);
    expect(titles(index.search("ion"))).toEqual(["Sections", "Diffusion Policies"]);
  });

  test("a Korean word matches whole syllables, not the start of a longer syllable", () => {
    expect(titles(index.search("세"))).toEqual([]);
    expect(titles(index.search("섹션"))).toEqual(["Sections"]);
  });

  test("a word of one repeated pair is checked in full, not by its pair alone", () => {
    expect(titles(index.search("99999"))).toEqual([]);
    expect(titles(index.search("9999"))).toEqual(["Video Models"]);
  });
});
