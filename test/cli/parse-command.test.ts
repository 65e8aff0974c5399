import { execFile } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { promisify } from "node:util";
import { describe, expect, test } from "vitest";
import type { ParseReport } from "../../src/cli/parse-command.js";
import { FIXTURES, ROOT, tempDir } from "../support/paths.js";

const run = promisify(execFile);
const BIN = join(ROOT, "bin", "paperboy.js");

async function paperboy(
  ...args: string[]
): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run(process.execPath, [BIN, ...args], {
      cwd: ROOT,
      maxBuffer: 64 * 1024 * 1024,
    });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code: number; stdout: string; stderr: string };
    return { code: failed.code, stdout: failed.stdout, stderr: failed.stderr };
  }
}

describe("paperboy parse", () => {
  test("prints digests in date order as JSON and exits 0 when every file is a digest", async () => {
    const result = await paperboy(
      "parse",
      "--json",
      join(FIXTURES, "corpus-authors-python-list-labelled", "input.md"),
      join(ROOT, "digests"),
    );
    expect(result.code).toBe(0);
    const report = JSON.parse(result.stdout) as ParseReport;
    expect(report.errors).toEqual([]);
    expect(report.digests.map((digest) => digest.date)).toEqual(["2024-02-20", "2024-10-22"]);
    expect(report.digests[0]?.papers).toHaveLength(14);
  });

  test("reports a file that is not a digest, still prints the others, and exits 1", async () => {
    const result = await paperboy(
      "parse",
      join(FIXTURES, "not-a-digest", "input.md"),
      join(FIXTURES, "broken-fields", "input.md"),
    );
    expect(result.code).toBe(1);
    expect(result.stdout).toMatch(/2024-03-02 {2}3 papers, 4 warning\(s\)/);
    expect(result.stdout).toMatch(/broken-fields\/input\.md:7: vote count "many" is not a number/);
    expect(result.stdout).toMatch(/error: .*not-a-digest\/input\.md: not a digest/);
  });

  test("a folder without digest files is said so, with exit 1", async () => {
    const empty = tempDir();
    const result = await paperboy("parse", empty);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/no digest files in .*: a digest is named YYYY-MM-DD\.md/);
  });

  test("--version prints the package's version", async () => {
    const { version } = JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8")) as {
      version: string;
    };
    for (const flag of ["--version", "version"]) {
      const result = await paperboy(flag);
      expect(result.code).toBe(0);
      expect(result.stdout).toBe(`paperboy ${version}\n`);
    }
  });

  test("explains its usage and exits 2 when given nothing to read", async () => {
    const result = await paperboy("parse");
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/usage: paperboy parse/);
  });
});
