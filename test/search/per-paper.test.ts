import { describe, expect, test } from "vitest";
import type { PaperRef } from "../../src/archive/catalog.js";
import type { Paper } from "../../src/digest/model.js";
import { perPaper } from "../../src/search/per-paper.js";

const ref = (title: string, date = "2024-02-20"): PaperRef => ({
  paper: { title } as Paper,
  date,
  position: 1,
});

describe("perPaper", () => {
  test("makes a paper's value once, however often and from whichever digest it is asked for", () => {
    let made = 0;
    const titleOf = perPaper((r) => {
      made++;
      return r.paper.title.toUpperCase();
    });
    const a = ref("Speculative Streaming");
    expect(titleOf(a)).toBe("SPECULATIVE STREAMING");
    expect(titleOf({ ...a, date: "2024-02-21" })).toBe("SPECULATIVE STREAMING");
    expect(titleOf(ref("Other"))).toBe("OTHER");
    expect(made).toBe(2);
  });
});
