import { createHash } from "node:crypto";
import { type Dirent, readdirSync, realpathSync, statSync } from "node:fs";
import { join, relative, sep } from "node:path";
import { dateFromFileName } from "../digest/parse.js";

/** A markdown file under the digests folder. */
export interface DigestFile {
  /** Path relative to the digests folder, with `/` separators. */
  path: string;
  absolutePath: string;
  /** The date its name gives, if any. */
  nameDate: string | null;
  mtimeMs: number;
  size: number;
}

/** Something under the digests folder that could not be followed (a symlink loop, a broken link). */
export interface FolderProblem {
  path: string;
  message: string;
}

/** True for files that may hold a digest (`*.md`, but not a README). */
export function isDigestFileName(name: string): boolean {
  return /\.md$/i.test(name) && !/^readme\.md$/i.test(name.split(/[\\/]/).pop() ?? "");
}

/**
 * Lists digest files, the likely newest first: files whose name has no date (they must be read
 * to know it), then dated names from newest to oldest. Symbolic links are followed, to files and
 * to folders; a link back into a folder already being walked is refused as a loop.
 */
export function listDigestFiles(dir: string, problems: FolderProblem[] = []): DigestFile[] {
  const files: DigestFile[] = [];
  walk(dir, dir, new Set([safeRealpath(dir) ?? dir]), files, problems);
  return files.sort((a, b) => {
    if (a.nameDate === null || b.nameDate === null) {
      if (a.nameDate !== b.nameDate) return a.nameDate === null ? -1 : 1;
      return b.mtimeMs - a.mtimeMs;
    }
    // Compared by code unit: a collator's data would stay resident for good (about 2 MiB).
    if (a.nameDate !== b.nameDate) return a.nameDate < b.nameDate ? 1 : -1;
    return a.path < b.path ? -1 : a.path > b.path ? 1 : 0;
  });
}

function safeRealpath(path: string): string | null {
  try {
    return realpathSync(path);
  } catch {
    return null;
  }
}

function walk(
  root: string,
  folder: string,
  ancestors: Set<string>,
  files: DigestFile[],
  problems: FolderProblem[],
): void {
  let entries: Dirent[];
  try {
    entries = readdirSync(folder, { withFileTypes: true });
  } catch (error) {
    problems.push({ path: relative(root, folder) || ".", message: (error as Error).message });
    return;
  }
  for (const entry of entries) {
    const absolutePath = join(folder, entry.name);
    const path = relative(root, absolutePath).split(sep).join("/");
    let isDir = entry.isDirectory();
    let isFile = entry.isFile();
    if (entry.isSymbolicLink()) {
      try {
        const target = statSync(absolutePath);
        isDir = target.isDirectory();
        isFile = target.isFile();
      } catch (error) {
        const code = (error as NodeJS.ErrnoException).code;
        const message =
          code === "ELOOP" ? "symbolic link loop; skipped" : "broken symbolic link; skipped";
        if (isDigestFileName(entry.name) || code === "ELOOP") problems.push({ path, message });
        continue;
      }
    }
    if (isDir) {
      const real = safeRealpath(absolutePath);
      if (real === null || ancestors.has(real)) {
        problems.push({
          path,
          message: "symbolic link loop (a folder links back to its parent); skipped",
        });
        continue;
      }
      walk(root, absolutePath, new Set([...ancestors, real]), files, problems);
    } else if (isFile && isDigestFileName(entry.name)) {
      try {
        const stat = statSync(absolutePath);
        files.push({
          path,
          absolutePath,
          nameDate: dateFromFileName(path),
          mtimeMs: stat.mtimeMs,
          size: stat.size,
        });
      } catch {
        // Removed between listing and stat: the next scan sees it gone.
      }
    }
  }
}

/** SHA-256 of a file's bytes, hex. */
export function contentHash(bytes: Buffer): string {
  return createHash("sha256").update(bytes).digest("hex");
}
