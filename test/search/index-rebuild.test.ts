import { describe, expect, test } from "vitest";
import { Catalog } from "../../src/archive/catalog.js";
import type { CommandContext } from "../../src/commands/command.js";
import { commandContext } from "../../src/commands/context.js";
import type { Config } from "../../src/config.js";
import type { DeliveryService } from "../../src/delivery/service.js";
import type { Store } from "../../src/delivery/store.js";
import type { Digest, Paper } from "../../src/digest/model.js";
import { createLogger } from "../../src/logger.js";
import { PaperIndex } from "../../src/search/paper-index.js";
import { MAX_PAUSE_MS, runSliced, sortInSteps } from "../../src/search/steps.js";

/** A small deterministic generator, so every run builds the same archive. */
function random(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state * 1103515245 + 12345) % 2147483648;
    return state / 2147483648;
  };
}

const SYLLABLES = [..."가나다라마바사아자차카타파하모델을제안성능습니다합확산추론학습"];
const NAMES = ["Kim Minsu", "Lee Jiwoo", "Zhang Wei", "Müller Anna", "Chen Li", "Park Hyun"];

/** An archive of `days` digests of `perDay` papers, each with a ~600-character Korean summary. */
/** The command context over whatever catalog `current` gives, with nothing else behind it. */
function contextOver(current: () => Catalog): CommandContext & { refreshIndex(): Promise<void> } {
  return commandContext({
    archive: { catalog: current },
    store: {} as Store,
    service: {} as DeliveryService,
    scheduler: null,
    config: {} as Config,
    logger: createLogger({ level: "silent", pretty: false }),
    ping: () => 0,
  });
}

function archiveOf(days: number, perDay: number, seed = 7, extra = ""): Catalog {
  const next = random(seed);
  const word = () =>
    Array.from({ length: 2 + Math.floor(next() * 4) }, () => {
      return SYLLABLES[Math.floor(next() * SYLLABLES.length)] as string;
    }).join("");
  const digests: Digest[] = [];
  for (let day = 0; day < days; day++) {
    const date = `2024-${String(1 + Math.floor(day / 28)).padStart(2, "0")}-${String(1 + (day % 28)).padStart(2, "0")}`;
    const papers: Paper[] = Array.from({ length: perDay }, (_, i) => {
      const n = day * perDay + i;
      return {
        id: `2402.${String(10000 + n)}`,
        title: `Paper ${n} on ${word()} ${extra}`.trim(),
        url: `https://arxiv.org/abs/2402.${10000 + n}`,
        votes: Math.floor(next() * 100),
        authors: [NAMES[n % NAMES.length] as string, `Author ${n % 997}`],
        authorsTruncated: false,
        media: null,
        summary: [{ label: null, text: Array.from({ length: 150 }, word).join(" ") }],
      };
    });
    digests.push({ date, source: `${date}.md`, papers, warnings: [] });
  }
  return new Catalog(digests);
}

/** The longest gap a 1 ms timer sees while `work` runs. */
async function longestGap(work: () => Promise<unknown>): Promise<number> {
  let last = performance.now();
  let longest = 0;
  const timer = setInterval(() => {
    const now = performance.now();
    longest = Math.max(longest, now - last);
    last = now;
  }, 1);
  try {
    await work();
    // The gap still open when the work ends counts too (a build done at once is one long gap).
    longest = Math.max(longest, performance.now() - last);
  } finally {
    clearInterval(timer);
  }
  return longest;
}

/** Generous for a loaded machine; building this archive at once holds the loop for far longer. */
const MOST_GAP_MS = 60;

describe("rebuilding the search index beside interactions", () => {
  const large = archiveOf(100, 30);

  test("a rebuild over a sizeable archive never holds the event loop for long", async () => {
    let index = null as PaperIndex | null;
    const gap = await longestGap(async () => {
      index = await PaperIndex.buildSliced(large);
    });
    expect(gap).toBeLessThan(MOST_GAP_MS);
    const atOnce = new PaperIndex(large);
    for (const query of ["습니다", "모델을", "확산 추론", "paper 12", "zzz"])
      expect(index?.search(query), query).toEqual(atOnce.search(query));
    expect(index?.suggestAuthors("zh")).toEqual(atOnce.suggestAuthors("zh"));
  }, 60_000);

  test("one digest of thousands of papers is indexed in small steps too", async () => {
    const huge = archiveOf(2, 2500, 11);
    const gap = await longestGap(async () => {
      await PaperIndex.buildSliced(huge);
    });
    expect(gap).toBeLessThan(MOST_GAP_MS);
  });

  test("the index answers from the previous archive until the new one is built, then from it", async () => {
    let catalog = archiveOf(40, 30, 1);
    const context = contextOver(() => catalog);
    await context.refreshIndex();
    expect(context.index().search("kumquat")).toEqual([]);
    catalog = archiveOf(40, 30, 1, "kumquat");
    const refreshed = context.refreshIndex();
    expect(context.index().search("kumquat"), "while the rebuild runs").toEqual([]);
    await refreshed;
    expect(context.index().search("kumquat")).toHaveLength(1200);
  }, 60_000);

  test("a newer archive supersedes a rebuild still under way", async () => {
    let catalog = archiveOf(20, 30, 2);
    const context = contextOver(() => catalog);
    await context.refreshIndex();
    catalog = archiveOf(20, 30, 2, "apricot");
    const first = context.refreshIndex();
    catalog = archiveOf(20, 30, 2, "quince");
    const second = context.refreshIndex();
    await Promise.all([first, second]);
    expect(context.index().search("apricot")).toEqual([]);
    expect(context.index().search("quince")).toHaveLength(600);
  }, 60_000);

  test("an aborted build stops and gives nothing", async () => {
    const stop = new AbortController();
    const building = PaperIndex.buildSliced(large, { signal: stop.signal });
    stop.abort();
    expect(await building).toBeNull();
    let ran = 0;
    function* steps() {
      for (let i = 0; i < 100; i++) {
        ran++;
        yield;
      }
      return "done";
    }
    const aborted = new AbortController();
    aborted.abort();
    expect(await runSliced(steps(), { signal: aborted.signal })).toBeNull();
    expect(ran).toBe(0);
  });

  test("no slice runs while an interaction is being answered, and the work resumes after it", async () => {
    let busyUntil = 0;
    const stepsAt: number[] = [];
    function* steps() {
      for (let i = 0; i < 2000; i++) {
        stepsAt.push(performance.now());
        // About 0.05 ms a step: many slices' worth in all.
        const until = performance.now() + 0.05;
        while (performance.now() < until);
        yield;
      }
      return "done";
    }
    const started = performance.now();
    setTimeout(() => {
      busyUntil = performance.now() + 25;
    }, 10);
    const windows: [number, number][] = [];
    const running = runSliced(steps(), {
      sliceMs: 2,
      yieldTo: () => {
        const busy = performance.now() < busyUntil;
        if (busy) windows.push([busyUntil - 25, busyUntil]);
        return busy;
      },
    });
    expect(await running).toBe("done");
    expect(stepsAt).toHaveLength(2000);
    expect(windows.length, "the busy time fell between slices").toBeGreaterThan(0);
    const [from, to] = windows[0] as [number, number];
    // A slice already under way when the interaction arrived finishes (≤ 2 ms plus a step);
    // after that nothing runs until the interaction is answered.
    const during = stepsAt.filter((at) => at > from + 3 && at < to);
    expect(during).toEqual([]);
    expect(
      stepsAt.some((at) => at >= to),
      "resumed afterwards",
    ).toBe(true);
    expect(performance.now() - started).toBeGreaterThan(25);
  });

  test("work stands aside for a while at most, so a steady stream of interactions cannot starve it", async () => {
    let ran = 0;
    function* steps() {
      for (let i = 0; i < 5; i++) {
        ran++;
        yield;
      }
      return "done";
    }
    const started = performance.now();
    // Always busy: each pause ends after MAX_PAUSE_MS and one slice (here one step) runs.
    expect(await runSliced(steps(), { sliceMs: 0, yieldTo: () => true })).toBe("done");
    expect(ran).toBe(5);
    const took = performance.now() - started;
    expect(took).toBeGreaterThanOrEqual(5 * MAX_PAUSE_MS - 5);
    expect(took).toBeLessThan(60_000);
  });
});

describe("sorting in steps", () => {
  test("gives the same order as a stable native sort, ties kept in place", () => {
    const next = random(3);
    for (const length of [0, 1, 255, 256, 257, 1000, 5000]) {
      const items = Array.from({ length }, (_, i) => ({ key: Math.floor(next() * 50), at: i }));
      const byKey = (a: { key: number }, b: { key: number }) => a.key - b.key;
      const expected = [...items].sort(byKey);
      const steps = sortInSteps(items, byKey);
      let result = steps.next();
      while (!result.done) result = steps.next();
      expect(result.value, String(length)).toEqual(expected);
    }
  });
});

describe("search for a three-syllable word made of common pairs", () => {
  test("finds exactly the papers holding the word, not those holding only its pairs", () => {
    const paper = (n: number, summary: string): Paper => ({
      id: `2403.${10000 + n}`,
      title: `Paper ${n}`,
      url: `https://arxiv.org/abs/2403.${10000 + n}`,
      votes: n,
      authors: [],
      authorsTruncated: false,
      media: null,
      summary: [{ label: null, text: summary }],
    });
    // Every paper holds "가나" and "나다" (common pairs); only every tenth holds "가나다".
    const papers = Array.from({ length: 400 }, (_, n) =>
      paper(n, n % 10 === 0 ? "가나다 입니다" : "가나 나다 입니다"),
    );
    const index = new PaperIndex(
      new Catalog([{ date: "2024-03-01", source: "x.md", papers, warnings: [] }]),
    );
    const found = index.search("가나다").map((r) => r.paper.votes);
    expect(found).toEqual(
      papers
        .filter((_, n) => n % 10 === 0)
        .map((p) => p.votes)
        .sort((a, b) => (b ?? 0) - (a ?? 0)),
    );
    expect(index.search("가나다 입니다")).toHaveLength(40);
  });
});
