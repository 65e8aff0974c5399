import { execFile } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { promisify } from "node:util";
import { listDigestFiles } from "./files.js";

const run = promisify(execFile);

/** Where the digests come from: a git repository, one branch, one folder in it. */
export interface GitSource {
  url: string;
  branch: string;
  /** The folder inside the repository that holds the digests ("" for its root). */
  path: string;
  /** The clone, kept between pulls. */
  cloneDir: string;
}

/** What one pull did. */
export interface PullResult {
  commit: string;
  /** Files new or changed in the digests folder. */
  copied: number;
}

/** A URL as it may be shown: without a password or token. */
export function shownUrl(url: string): string {
  return url.replace(/^([a-z][a-z0-9+.-]*:\/\/)[^/@]*@/i, "$1***@");
}

/** The reason a git command failed, in one line, with any credentials taken out. */
function gitError(error: unknown, source: GitSource): Error {
  const { stderr, message, code } = error as { stderr?: string; message?: string; code?: unknown };
  const lines = (stderr || message || String(error))
    .split("\n")
    .map((line) => line.trim())
    .filter((line) => line !== "" && !line.startsWith("hint:"));
  const reason = (lines.find((line) => /^(fatal|error):/i.test(line)) ?? lines[0] ?? `exit ${code}`)
    .split(source.url)
    .join(shownUrl(source.url));
  return new Error(shownUrl(reason));
}

async function git(source: GitSource, args: string[], timeoutMs: number): Promise<string> {
  try {
    const { stdout } = await run("git", ["-C", source.cloneDir, ...args], {
      timeout: timeoutMs,
      maxBuffer: 16 * 1024 * 1024,
      // Never wait for a password on a terminal nobody watches.
      env: { ...process.env, GIT_TERMINAL_PROMPT: "0", GIT_ASKPASS: "", LC_ALL: "C" },
    });
    return stdout.trim();
  } catch (error) {
    throw gitError(error, source);
  }
}

/**
 * Brings the clone to the branch's newest commit (a rewritten history included: the clone is
 * reset to what the remote has, never merged) and copies the digest files that are new or
 * changed into `digestsDir`, each written whole before it replaces the old one, so the archive
 * reads them as dropped files. A failure leaves `digestsDir` as it was: the last good copy serves.
 */
export async function pullDigests(
  source: GitSource,
  digestsDir: string,
  timeoutMs = 120_000,
): Promise<PullResult> {
  mkdirSync(source.cloneDir, { recursive: true });
  if (!existsSync(join(source.cloneDir, ".git"))) await git(source, ["init", "--quiet"], timeoutMs);
  await git(
    source,
    ["fetch", "--quiet", "--depth", "1", "--no-tags", source.url, `refs/heads/${source.branch}`],
    timeoutMs,
  );
  await git(source, ["reset", "--quiet", "--hard", "FETCH_HEAD"], timeoutMs);
  const commit = await git(source, ["rev-parse", "HEAD"], timeoutMs);
  const from = join(source.cloneDir, source.path);
  if (!existsSync(from))
    throw new Error(`the repository has no folder "${source.path}" (DIGESTS_GIT_PATH)`);
  let copied = 0;
  for (const file of listDigestFiles(from)) {
    const bytes = readFileSync(file.absolutePath);
    const target = join(digestsDir, file.path);
    if (existsSync(target) && readFileSync(target).equals(bytes)) continue;
    mkdirSync(dirname(target), { recursive: true });
    const partial = `${target}.sync-${process.pid}.tmp`;
    writeFileSync(partial, bytes);
    renameSync(partial, target);
    copied++;
  }
  return { commit, copied };
}
