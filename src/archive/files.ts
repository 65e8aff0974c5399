import { createHash } from "node:crypto";
import { readdirSync, statSync } from "node:fs";
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
}

/** True for files that may hold a digest (`*.md`, but not a README). */
export function isDigestFileName(name: string): boolean {
  return /\.md$/i.test(name) && !/^readme\.md$/i.test(name.split(/[\\/]/).pop() ?? "");
}

/**
 * Lists digest files, the likely newest first: files whose name has no date (they must be read
 * to know it), then dated names from newest to oldest.
 */
export function listDigestFiles(dir: string): DigestFile[] {
  const files: DigestFile[] = [];
  for (const entry of readdirSync(dir, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile() || !isDigestFileName(entry.name)) continue;
    const absolutePath = join(entry.parentPath, entry.name);
    const path = relative(dir, absolutePath).split(sep).join("/");
    files.push({
      path,
      absolutePath,
      nameDate: dateFromFileName(path),
      mtimeMs: statSync(absolutePath).mtimeMs,
    });
  }
  return files.sort((a, b) => {
    if (a.nameDate === null || b.nameDate === null) {
      if (a.nameDate !== b.nameDate) return a.nameDate === null ? -1 : 1;
      return b.mtimeMs - a.mtimeMs;
    }
    return a.nameDate === b.nameDate
      ? a.path.localeCompare(b.path)
      : b.nameDate.localeCompare(a.nameDate);
  });
}

/** SHA-256 of a file's bytes, hex. */
export function contentHash(bytes: Buffer): string {
  return createHash("sha256").update(bytes).digest("hex");
}
