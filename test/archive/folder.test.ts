import {
  appendFileSync,
  copyFileSync,
  mkdirSync,
  readFileSync,
  renameSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from "node:fs";
import { join } from "node:path";
import { describe, expect, test } from "vitest";
import { digestsDir, setup, waitFor } from "../support/archive-world.js";
import { FIXTURES, tempDir } from "../support/paths.js";

const SAMPLE = join(FIXTURES, "corpus-authors-comma-image", "input.md"); // 2024-02-20
const PYTHON_LIST = join(FIXTURES, "corpus-authors-python-list-labelled", "input.md"); // 2024-10-22
const digest = (date: string, ids: number[]) =>
  [
    `## Daily Papers (${date})`,
    "",
    ...ids.flatMap((id) => [
      `### [Paper ${id}](https://arxiv.org/abs/2410.${String(id).padStart(5, "0")})`,
      "",
      "Vote: 3",
      "",
      "- x",
      "",
    ]),
  ].join("\n");
const NOW = Date.parse("2024-10-22T12:00:00Z");
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe("digests dated in the future", () => {
  test("a typo'd year is held with a warning and does not hide the newest real digest", async () => {
    const dir = digestsDir({ "2024-02-20.md": SAMPLE, "2024-10-22.md": PYTHON_LIST });
    writeFileSync(join(dir, "typo.md"), digest("2042-10-23", [1]));
    let now = NOW;
    const { archive, lines } = setup(dir, undefined, { now: () => now });
    await archive.load();
    expect(archive.newest()?.date).toBe("2024-10-22");
    expect(archive.catalog().digest("2042-10-23")).toBeNull();
    const held = lines().filter((l) => String(l.msg).includes("in the future"));
    expect(held).toHaveLength(1);
    expect(held[0]).toMatchObject({ path: "typo.md", date: "2042-10-23" });
    now = Date.parse("2042-10-22T00:00:00Z");
    expect(archive.newest()?.date).toBe("2042-10-23");
  });

  test("tomorrow somewhere on Earth is not the future; the day after tomorrow everywhere is", async () => {
    const dir = digestsDir({});
    writeFileSync(join(dir, "a.md"), digest("2024-10-23", [1]));
    writeFileSync(join(dir, "b.md"), digest("2024-10-24", [2]));
    writeFileSync(join(dir, "c.md"), digest("2024-10-25", [3]));
    const { archive } = setup(dir, undefined, { now: () => Date.parse("2024-10-22T12:00:00Z") });
    await archive.load();
    // 12:00 UTC on the 22nd is 02:00 on the 23rd at UTC+14, whose tomorrow is the 24th.
    expect(archive.catalog().dates()).toEqual(["2024-10-24", "2024-10-23"]);
  });

  test("a heading date that disagrees with the file name is a warning with file and line", async () => {
    const dir = digestsDir({});
    writeFileSync(join(dir, "2024-10-21.md"), `\n${digest("2024-10-22", [1])}`);
    const { archive } = setup(dir, undefined, { now: () => NOW });
    await archive.load();
    expect(archive.newest()?.warnings).toContainEqual({
      file: "2024-10-21.md",
      line: 2,
      message: expect.stringContaining("2024-10-22 disagrees with the file name's 2024-10-21"),
    });
  });
});

describe("reading files", () => {
  test("a file that is not valid UTF-8 is read with a warning naming it", async () => {
    const dir = digestsDir({});
    const bytes = Buffer.concat([
      Buffer.from(digest("2024-10-22", [1]).replace("Paper 1", "Paper X")),
    ]);
    const bad = Buffer.from(bytes);
    bad[bytes.indexOf("X")] = 0xff;
    writeFileSync(join(dir, "2024-10-22.md"), bad);
    const { archive } = setup(dir, undefined, { now: () => NOW });
    await archive.load();
    const newest = archive.newest();
    expect(newest?.papers[0]?.title).toBe("Paper �");
    expect(newest?.warnings[0]).toEqual({
      file: "2024-10-22.md",
      line: 3,
      message: expect.stringContaining("not valid UTF-8"),
    });
  });

  test("symlinked files and folders are followed; a loop and a broken link are reported, not fatal", async () => {
    const outside = join(tempDir(), "elsewhere");
    mkdirSync(join(outside, "2024"), { recursive: true });
    copyFileSync(SAMPLE, join(outside, "2024-02-20.md"));
    copyFileSync(PYTHON_LIST, join(outside, "2024", "2024-10-22.md"));
    const dir = digestsDir({});
    symlinkSync(join(outside, "2024-02-20.md"), join(dir, "2024-02-20.md"));
    symlinkSync(join(outside, "2024"), join(dir, "linked-year"));
    symlinkSync(dir, join(dir, "loop"));
    symlinkSync(join(outside, "missing.md"), join(dir, "2024-01-01.md"));
    const { archive, lines } = setup(dir, undefined, { now: () => NOW });
    await archive.load();
    expect(archive.catalog().dates()).toEqual(["2024-10-22", "2024-02-20"]);
    const messages = lines().map((l) => `${l.path}: ${l.msg}`);
    expect(messages).toContainEqual(expect.stringMatching(/^loop: symbolic link loop/));
    expect(messages).toContain("2024-01-01.md: broken symbolic link; skipped");
  });
});

describe("the watcher never goes deaf", () => {
  test("a file that arrives between loading and watching is picked up", async () => {
    const dir = digestsDir({ "2024-02-20.md": SAMPLE });
    const { archive } = setup(dir, undefined, { now: () => NOW });
    await archive.load();
    copyFileSync(PYTHON_LIST, join(dir, "2024-10-22.md"));
    archive.watch();
    await waitFor(() => archive.newest()?.date === "2024-10-22", 3000);
  });

  test("a folder removed and recreated is followed again", async () => {
    const dir = digestsDir({ "2024-02-20.md": SAMPLE });
    const { archive } = setup(dir, undefined, { now: () => NOW, rescanMs: 100 });
    await archive.load();
    archive.watch();
    rmSync(dir, { recursive: true });
    await waitFor(() => archive.newest() === null, 3000);
    mkdirSync(dir);
    copyFileSync(PYTHON_LIST, join(dir, "2024-10-22.md"));
    await waitFor(() => archive.newest()?.date === "2024-10-22", 3000);
    writeFileSync(join(dir, "2024-10-22.md"), digest("2024-10-22", [1]));
    await waitFor(() => archive.newest()?.papers.length === 1, 3000);
  });

  test("an editor that saves by writing a temporary file and renaming it is followed", async () => {
    const dir = digestsDir({ "2024-10-22.md": PYTHON_LIST });
    const { archive } = setup(dir, undefined, { now: () => NOW });
    await archive.load();
    archive.watch();
    writeFileSync(join(dir, ".2024-10-22.md.swp"), digest("2024-10-22", [1, 2]));
    renameSync(join(dir, ".2024-10-22.md.swp"), join(dir, "2024-10-22.md"));
    await waitFor(() => archive.newest()?.papers.length === 2, 3000);
  });

  test("a file written in two parts is read once, after it stops changing", async () => {
    const dir = digestsDir({ "2024-02-20.md": SAMPLE });
    const { archive } = setup(dir, undefined, { now: () => NOW, quietMs: 400 });
    await archive.load();
    const announced: number[] = [];
    archive.onDigest(() => announced.push(archive.newest()?.papers.length ?? 0));
    archive.watch();
    const whole = digest("2024-10-22", [1, 2, 3, 4]);
    const half = whole.indexOf("### [Paper 3]");
    writeFileSync(join(dir, "2024-10-22.md"), whole.slice(0, half));
    await sleep(150);
    appendFileSync(join(dir, "2024-10-22.md"), whole.slice(half));
    await waitFor(() => announced.length > 0, 3000);
    await sleep(600);
    expect(announced).toEqual([4]);
    expect(readFileSync(join(dir, "2024-10-22.md"), "utf8")).toBe(whole);
  });
});
