import { copyFileSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, test } from "vitest";
import { digestsDir, openedArchives, setup, waitFor } from "../support/archive-world.js";
import { FIXTURES, tempDir } from "../support/paths.js";

const SAMPLE = join(FIXTURES, "corpus-authors-comma-image", "input.md"); // 2024-02-20
const PYTHON_LIST = join(FIXTURES, "corpus-authors-python-list-labelled", "input.md"); // 2024-10-22
const EARLIEST = join(FIXTURES, "corpus-earliest-nested-list", "input.md"); // 2023-11-20

describe("the digest archive", () => {
  test("answers newest, by date, by paper id, ranked by votes and by author", async () => {
    const dir = digestsDir({
      "2024-02-20.md": SAMPLE,
      "2024-10-22.md": PYTHON_LIST,
      "2023-11-20.md": EARLIEST,
    });
    const { archive } = setup(dir);
    const report = await archive.load();
    expect(report).toEqual({ files: 3, parsed: 3, fromCache: 0, errors: 0 });
    const catalog = archive.catalog();
    expect(catalog.dates()).toEqual(["2024-10-22", "2024-02-20", "2023-11-20"]);
    expect(archive.newest()?.date).toBe("2024-10-22");
    expect(catalog.digest("2024-02-20")?.papers).toHaveLength(14);
    expect(catalog.paper("2402.11131v2")?.paper.title).toMatch(/^Speculative Streaming/);
    expect(catalog.paper("2402.11131")?.date).toBe("2024-02-20");

    const top = catalog.ranked("2024-02-20", "2024-02-20", 3);
    expect(top.map((ref) => ref.paper.votes)).toEqual([33, 28, 28]);
    expect(top.map((ref) => ref.position)).toEqual([1, 2, 3]); // a tie keeps the digest's order
    const all = catalog.ranked("0000-00-00", "9999-99-99");
    expect(all).toHaveLength(catalog.paperCount);
    expect(all.at(-1)?.paper.votes).toBeNull(); // the earliest day has no votes: unknown sorts last
  });

  test("finds an author by full name or surname, ignoring case and accents", async () => {
    const dir = digestsDir({ "2024-10-22.md": PYTHON_LIST });
    const { archive } = setup(dir);
    await archive.load();
    const catalog = archive.catalog();
    const byFull = catalog.byAuthor("balazs kegl");
    expect(byFull).toHaveLength(1);
    expect(byFull[0]?.paper.authors).toContain("Balázs Kégl");
    expect(catalog.byAuthor("KÉGL")).toEqual(byFull);
    expect(catalog.byAuthor("nobody at all")).toEqual([]);
  });

  test("merges files of the same date and reports a file that is not a digest while loading the rest", async () => {
    const dir = digestsDir({ "2024-02-20.md": SAMPLE });
    mkdirSync(join(dir, "2024", "02"), { recursive: true });
    writeFileSync(
      join(dir, "2024", "02", "20.md"),
      "## Daily Papers (2024-02-20)\n\n### [Extra](https://arxiv.org/abs/2402.99999)\n\nVote: 1\n\n- extra\n",
    );
    writeFileSync(join(dir, "notes.md"), "# Notes\n\nnothing here\n");
    writeFileSync(join(dir, "README.md"), "# About these digests\n");
    const { archive, lines } = setup(dir);
    const report = await archive.load();
    expect(report.errors).toBe(1);
    expect(archive.errors()).toEqual([
      { file: "notes.md", message: expect.stringMatching(/not a digest/) },
    ]);
    expect(archive.newest()?.papers).toHaveLength(15);
    expect(
      lines().some((line) => line.msg === "file is not a digest" && line.file === "notes.md"),
    ).toBe(true);
  });

  test("a restart reads unchanged files from the SQLite cache and re-parses a changed one", async () => {
    const dir = digestsDir({ "2024-02-20.md": SAMPLE, "2024-10-22.md": PYTHON_LIST });
    const first = setup(dir);
    await first.archive.load();
    first.db.close();
    openedArchives.pop();

    writeFileSync(join(dir, "2024-10-22.md"), `${readFileSync(PYTHON_LIST, "utf8")}\n`);
    const second = setup(dir, first.dbPath);
    expect(await second.archive.load()).toEqual({ files: 2, parsed: 1, fromCache: 1, errors: 0 });
    expect(second.archive.catalog().paperCount).toBe(first.archive.catalog().paperCount);
    // The unchanged file comes back from the JSON its parse worker made, exactly as parsed.
    expect(second.archive.catalog().digest("2024-02-20")).toEqual(
      first.archive.catalog().digest("2024-02-20"),
    );
  });

  test("the newest digest is available before the rest of the archive has loaded", async () => {
    const dir = digestsDir({ "2024-10-22.md": PYTHON_LIST });
    const sample = readFileSync(SAMPLE, "utf8");
    for (let day = 1; day <= 28; day++) {
      const date = `2024-01-${String(day).padStart(2, "0")}`;
      writeFileSync(join(dir, `${date}.md`), sample.replace("2024-02-20", date));
    }
    const { archive } = setup(dir);
    let loaded = false;
    const loading = archive.load().then(() => {
      loaded = true;
    });
    const newest = await archive.whenNewestReady();
    expect(newest?.date).toBe("2024-10-22");
    expect(loaded).toBe(false);
    await loading;
    expect(archive.catalog().dates()).toHaveLength(29);
  });

  test("picks up a new, a changed and a removed file within 2 seconds, without restart", async () => {
    const dir = digestsDir({ "2024-02-20.md": SAMPLE });
    const { archive } = setup(dir);
    await archive.load();
    const announced: string[] = [];
    archive.onDigest((date) => announced.push(date));
    archive.watch();

    copyFileSync(PYTHON_LIST, join(dir, "2024-10-22.md"));
    await waitFor(() => archive.newest()?.date === "2024-10-22", 2000);
    expect(announced).toEqual(["2024-10-22"]);

    writeFileSync(
      join(dir, "2024-10-22.md"),
      "## Daily Papers (2024-10-22)\n\n### [Only one now](https://arxiv.org/abs/2410.00001)\n\nVote: 3\n\n- x\n",
    );
    await waitFor(() => archive.newest()?.papers.length === 1, 2000);

    rmSync(join(dir, "2024-10-22.md"));
    await waitFor(() => archive.newest()?.date === "2024-02-20", 2000);
  });

  test("an empty or missing folder loads as an empty archive with a warning", async () => {
    const { archive, lines } = setup(join(tempDir(), "missing"));
    expect(await archive.load()).toEqual({ files: 0, parsed: 0, fromCache: 0, errors: 0 });
    expect(archive.newest()).toBeNull();
    expect(lines().some((line) => line.msg === "no digest files found")).toBe(true);
  });
});
