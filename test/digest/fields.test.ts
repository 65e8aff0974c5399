import { describe, expect, test } from "vitest";
import { arxivIdFromUrl } from "../../src/digest/arxiv.js";
import { parseAuthors } from "../../src/digest/authors.js";
import { dateFromFileName } from "../../src/digest/parse.js";
import { cleanText, normalizeSource } from "../../src/digest/text.js";

describe("arXiv ids", () => {
  test.each([
    ["https://arxiv.org/abs/2402.11131", "2402.11131"],
    ["https://arxiv.org/abs/2402.11131v2", "2402.11131"],
    ["https://arxiv.org/pdf/2402.11131v3.pdf", "2402.11131"],
    ["https://arxiv.org/pdf/2402.11131", "2402.11131"],
    ["http://www.arxiv.org/abs/2311.1077", "2311.1077"],
    ["https://arxiv.org/abs/math.GT/0309136", "math.GT/0309136"],
    ["https://arxiv.org/abs/2402.11131?context=cs", "2402.11131"],
  ])("reads %s as %s", (url, id) => {
    expect(arxivIdFromUrl(url)).toBe(id);
  });

  test.each([
    "https://openreview.net/forum?id=2402.11131",
    "https://huggingface.co/papers/2402.11131",
    "https://arxiv.org/list/cs.CL/recent",
    "not a url",
  ])("gives no id for %s", (url) => {
    expect(arxivIdFromUrl(url)).toBeNull();
  });
});

describe("author lines", () => {
  test("splits a comma list and trims names", () => {
    expect(parseAuthors(" Ada Lovelace,  Alan  Turing ,Grace Hopper")).toEqual({
      authors: ["Ada Lovelace", "Alan Turing", "Grace Hopper"],
      truncated: false,
      problem: null,
    });
  });

  test("a + entry marks the list as cut and is not an author", () => {
    expect(parseAuthors("A, B, +, C")).toMatchObject({ authors: ["A", "B", "C"], truncated: true });
  });

  test("reads a Python list with both quote styles, escapes and a trailing comma", () => {
    const parsed = parseAuthors(
      `['Dara O\\'Brien', "Jean \\"JJ\\" Doe", 'Zo\\u00eb', 'Tab\\tName',]`,
    );
    expect(parsed.authors).toEqual(["Dara O'Brien", 'Jean "JJ" Doe', "Zoë", "Tab Name"]);
    expect(parsed.problem).toBeNull();
  });

  test("an empty Python list gives no authors and no problem", () => {
    expect(parseAuthors("[]")).toEqual({ authors: [], truncated: false, problem: null });
  });

  test("a broken Python list falls back to commas and says why", () => {
    const parsed = parseAuthors("['Ada', 'Alan");
    expect(parsed.authors).toEqual(["Ada", "Alan"]);
    expect(parsed.problem).toMatch(/not closed/);
  });
});

describe("text hygiene", () => {
  test("drops a BOM and turns CRLF and lone CR into LF, keeping the line count", () => {
    expect(normalizeSource("\ufeffa\r\nb\rc\n")).toBe("a\nb\nc\n");
  });

  test("removes every control character but newline, and trims", () => {
    expect(cleanText("  a\u0000b\tc\u001b\nd\u007f  \n ")).toBe("abc\nd");
  });
});

describe("dates from file names", () => {
  test.each([
    ["digests/2024-02-20.md", "2024-02-20"],
    ["paper_logs/2024/02/20.md", "2024-02-20"],
    ["2024-02-30.md", null],
    ["notes.md", null],
  ])("%s gives %s", (file, date) => {
    expect(dateFromFileName(file)).toBe(date);
  });
});
