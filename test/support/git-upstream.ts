import { execFile } from "node:child_process";
import { mkdirSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { promisify } from "node:util";
import { tempDir } from "./paths.js";

const run = promisify(execFile);
const GIT_ENV = {
  ...process.env,
  GIT_AUTHOR_NAME: "Digests",
  GIT_AUTHOR_EMAIL: "digests@example.invalid",
  GIT_COMMITTER_NAME: "Digests",
  GIT_COMMITTER_EMAIL: "digests@example.invalid",
};

/**
 * A bare repository standing in for the upstream digests repository, and a way to commit files
 * to its `main` branch (`amend`: rewrite the last commit and force-push it).
 */
export async function gitUpstream() {
  const dir = tempDir();
  const bare = join(dir, "origin.git");
  const work = join(dir, "work");
  await run("git", ["init", "--quiet", "--bare", bare]);
  await run("git", ["init", "--quiet", work]);
  const git = (...args: string[]) => run("git", args, { cwd: work, env: GIT_ENV });
  await git("checkout", "--quiet", "-b", "main");
  const commit = async (files: Record<string, string>, message: string, amend = false) => {
    for (const [path, text] of Object.entries(files)) {
      mkdirSync(dirname(join(work, path)), { recursive: true });
      writeFileSync(join(work, path), text);
    }
    await git("add", "--all");
    await git("commit", "--quiet", ...(amend ? ["--amend"] : []), "-m", message);
    await git("push", "--quiet", ...(amend ? ["--force"] : []), bare, "main");
  };
  return { url: `file://${bare}`, commit };
}
