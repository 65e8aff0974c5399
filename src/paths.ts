import { existsSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const here = fileURLToPath(import.meta.url);

/**
 * True when running the build `npm start` makes (`dist/`, plain JavaScript), false when running
 * the TypeScript sources (tests, the command-line tool): sources end in `.ts`, built files do not.
 */
export const BUILT = !here.endsWith(".ts");

function projectRoot(from: string): string {
  for (let dir = dirname(from); ; dir = dirname(dir)) {
    if (existsSync(join(dir, "package.json"))) return dir;
    if (dirname(dir) === dir) throw new Error(`no package.json above ${from}`);
  }
}

/** The project's root folder (where package.json is), from the sources or from the build. */
export const ROOT = projectRoot(here);

/** Where `npm start` builds the bot to. */
export const BUILD_DIR = join(ROOT, "dist");

/** The slash command files: the sources, or their build. */
export const COMMANDS_DIR = BUILT ? join(BUILD_DIR, "commands") : join(ROOT, "commands");
