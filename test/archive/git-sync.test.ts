import { execFile } from "node:child_process";
import { existsSync, mkdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { promisify } from "node:util";
import { describe, expect, test } from "vitest";
import { DigestSync } from "../../src/archive/digest-sync.js";
import { type GitSource, pullDigests, shownUrl } from "../../src/archive/git-sync.js";
import { parsePaths } from "../../src/cli/parse-command.js";
import { gitUpstream } from "../support/git-upstream.js";
import { memoryLogger } from "../support/logger.js";
import { ROOT, tempDir } from "../support/paths.js";

const run = promisify(execFile);
const SAMPLE = readFileSync(join(ROOT, "digests", "2024-02-20.md"), "utf8");
function digestOf(date: string, title: string): string {
  return SAMPLE.replace("## Daily Papers (2024-02-20)", `## Daily Papers (${date})`).replace(
    "Speculative Streaming: Fast LLM Inference without Auxiliary Models",
    title,
  );
}

function setUp(url: string) {
  const dir = tempDir();
  const source: GitSource = {
    url,
    branch: "main",
    path: "paper_logs",
    cloneDir: join(dir, "clone"),
  };
  const digestsDir = join(dir, "digests");
  mkdirSync(digestsDir);
  return { source, digestsDir };
}

describe("digest sync from a git repository", () => {
  test("copies the upstream layout's new files into the digests folder, where the archive reads them; nothing twice", async () => {
    const origin = await gitUpstream();
    await origin.commit({ "paper_logs/2024/02/21.md": digestOf("2024-02-21", "First") }, "one");
    const { source, digestsDir } = setUp(origin.url);
    const first = await pullDigests(source, digestsDir);
    expect(first.copied).toBe(1);
    expect(first.commit).toMatch(/^[0-9a-f]{40}$/);
    expect(readFileSync(join(digestsDir, "2024", "02", "21.md"), "utf8")).toContain("First");
    expect(parsePaths([digestsDir]).digests.map((d) => d.date)).toEqual(["2024-02-21"]);
    expect((await pullDigests(source, digestsDir)).copied).toBe(0);
    await origin.commit({ "paper_logs/2024/02/22.md": digestOf("2024-02-22", "Second") }, "two");
    expect((await pullDigests(source, digestsDir)).copied).toBe(1);
    expect(parsePaths([digestsDir]).digests.map((d) => d.date)).toEqual([
      "2024-02-21",
      "2024-02-22",
    ]);
  });

  test("follows a forced push that rewrote history, and takes the changed file", async () => {
    const origin = await gitUpstream();
    await origin.commit({ "paper_logs/2024/02/21.md": digestOf("2024-02-21", "Draft") }, "draft");
    const { source, digestsDir } = setUp(origin.url);
    const before = await pullDigests(source, digestsDir);
    await origin.commit(
      { "paper_logs/2024/02/21.md": digestOf("2024-02-21", "Final") },
      "final",
      true,
    );
    const after = await pullDigests(source, digestsDir);
    expect(after.commit).not.toBe(before.commit);
    expect(after.copied).toBe(1);
    expect(readFileSync(join(digestsDir, "2024", "02", "21.md"), "utf8")).toContain("Final");
  });

  test("a failing pull keeps the last good copy, is logged once while it fails the same way, and reported", async () => {
    const origin = await gitUpstream();
    await origin.commit({ "paper_logs/2024/02/21.md": digestOf("2024-02-21", "Kept") }, "one");
    const { source, digestsDir } = setUp(origin.url);
    await pullDigests(source, digestsDir);
    const { logger, lines } = memoryLogger();
    const broken = { ...source, url: `${origin.url}-moved` };
    const sync = new DigestSync({ source: broken, digestsDir, cron: "0 * * * *", logger });
    expect(await sync.pull()).toBeNull();
    expect(await sync.pull()).toBeNull();
    sync.stop();
    const warnings = lines().filter(
      (l) =>
        l.msg ===
        "digest sync failed; the digests already here keep serving, and it is tried again",
    );
    expect(warnings).toHaveLength(1);
    const state = sync.state();
    expect(state.ok).toBe(false);
    expect(state.error).toMatch(
      /origin\.git-moved|does not appear to be a git repository|not found/i,
    );
    expect(state.nextPullAt).not.toBeNull();
    expect(readFileSync(join(digestsDir, "2024", "02", "21.md"), "utf8")).toContain("Kept");
  });

  test("a repository without the digests folder is named as DIGESTS_GIT_PATH's mistake", async () => {
    const origin = await gitUpstream();
    await origin.commit({ "elsewhere/2024-02-21.md": digestOf("2024-02-21", "X") }, "one");
    const { source, digestsDir } = setUp(origin.url);
    await expect(pullDigests(source, digestsDir)).rejects.toThrow(
      /no folder "paper_logs" \(DIGESTS_GIT_PATH\)/,
    );
    expect(existsSync(join(digestsDir, "2024-02-21.md"))).toBe(false);
  });

  test("a token in the URL never shows", async () => {
    expect(shownUrl("https://user:ghp_secret@github.com/l-yohai/daily_papers_ko.git")).toBe(
      "https://***@github.com/l-yohai/daily_papers_ko.git",
    );
    const { source, digestsDir } = setUp("https://user:ghp_secret@127.0.0.1:9/none.git");
    const failure = await pullDigests(source, digestsDir, 20_000).catch((error: Error) => error);
    expect(String(failure)).not.toContain("ghp_secret");
  });

  test("paperboy sync pulls once by hand, and says what to set when no repository is configured", async () => {
    const origin = await gitUpstream();
    await origin.commit({ "paper_logs/2024/02/21.md": digestOf("2024-02-21", "By hand") }, "one");
    const { digestsDir } = setUp(origin.url);
    const dir = tempDir();
    const env = {
      ...process.env,
      DIGESTS_DIR: digestsDir,
      DATABASE_URL: join(dir, "state.db"),
      LOG_LEVEL: "warn",
    };
    const cli = (extra: Record<string, string>) =>
      run(process.execPath, [join(ROOT, "bin", "paperboy.js"), "sync"], {
        cwd: dir,
        env: { ...env, ...extra },
      }).then(
        (r) => ({ code: 0, ...r }),
        (e: { code: number; stdout: string; stderr: string }) => e,
      );
    const pulled = await cli({ DIGESTS_GIT_URL: origin.url });
    expect(pulled.code, pulled.stderr).toBe(0);
    expect(pulled.stdout).toMatch(
      /^pulled file:\/\/.* main at [0-9a-f]{12}: 1 new or changed file\(s\) in /,
    );
    expect(existsSync(join(digestsDir, "2024", "02", "21.md"))).toBe(true);
    const unset = await cli({ DIGESTS_GIT_URL: "" });
    expect(unset.code).toBe(1);
    expect(unset.stderr).toMatch(/^DIGESTS_GIT_URL is not set/);
  }, 60_000);
});
