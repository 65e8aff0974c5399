import { execFile } from "node:child_process";
import { chmodSync, existsSync, mkdirSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { describe, expect, test } from "vitest";
import { ROOT, tempDir } from "../support/paths.js";

const run = promisify(execFile);
const SAMPLE = join(ROOT, "digests", "2024-02-20.md");

async function paperboy(cwd: string, ...args: string[]) {
  try {
    const { stdout, stderr } = await run(
      process.execPath,
      [join(ROOT, "bin", "paperboy.js"), ...args],
      {
        cwd,
      },
    );
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code: number; stdout: string; stderr: string };
    return { code: failed.code, stdout: failed.stdout, stderr: failed.stderr };
  }
}

describe("paperboy preview", () => {
  test("without --out the page goes to the temporary folder, not the current one, and its path is printed", async () => {
    const cwd = tempDir();
    const result = await paperboy(cwd, "preview", SAMPLE);
    expect(result.code, result.stderr).toBe(0);
    const written = result.stdout.trim();
    expect(written.startsWith(tmpdir())).toBe(true);
    expect(written).toMatch(/2024-02-20\.preview\.html$/);
    expect(readFileSync(written, "utf8")).toMatch(/<html/i);
    expect(existsSync(join(cwd, "2024-02-20.preview.html"))).toBe(false);
  });

  test("a bad --lang or --mode is named with the values it may take, exit 2", async () => {
    const lang = await paperboy(ROOT, "preview", SAMPLE, "--lang", "fr");
    expect(lang.code).toBe(2);
    expect(lang.stderr).toMatch(/--lang must be ko or en \(got "fr"\)/);
    const mode = await paperboy(ROOT, "preview", SAMPLE, "--mode", "cards2");
    expect(mode.code).toBe(2);
    expect(mode.stderr).toMatch(/--mode must be embeds, thread or forum \(got "cards2"\)/);
    const style = await paperboy(ROOT, "preview", SAMPLE, "--style", "tiles");
    expect(style.code).toBe(2);
    expect(style.stderr).toMatch(/--style must be embeds or cards \(got "tiles"\)/);
    const none = await paperboy(ROOT, "preview");
    expect(none.code).toBe(2);
    expect(none.stderr).toMatch(/name the digest file to preview/);
  });

  test("an --out that cannot be written is one line with the reason, exit 1, no stack trace", async () => {
    const locked = join(tempDir(), "locked");
    mkdirSync(locked);
    chmodSync(locked, 0o500);
    const out = join(locked, "page.html");
    const result = await paperboy(ROOT, "preview", SAMPLE, "--out", out);
    const root = process.getuid?.() === 0; // root writes anywhere: only the missing folder is tried
    const missing = await paperboy(ROOT, "preview", SAMPLE, "--out", join(locked, "no", "p.html"));
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(
      /^cannot write .*p\.html: no such file or directory \(choose another --out\)\n$/,
    );
    if (!root) {
      expect(result.code).toBe(1);
      expect(result.stderr).toMatch(/cannot write .*page\.html: permission denied/);
    }
    expect(`${result.stderr}${missing.stderr}`).not.toMatch(/\n\s+at /);
  });
});
