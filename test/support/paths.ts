import { existsSync, mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

/** The project's root folder. */
export const ROOT = fileURLToPath(new URL("../../", import.meta.url));
export const FIXTURES = join(ROOT, "test", "fixtures");

/** The real corpus beside the project, when this checkout has it (CI does). */
export const CORPUS_DIR = join(ROOT, "..", "shared", "corpus", "daily-papers-ko");
export const hasCorpus = existsSync(CORPUS_DIR);

/** A fresh temporary folder for one test. */
export function tempDir(prefix = "paperboy-"): string {
  return mkdtempSync(join(tmpdir(), prefix));
}
