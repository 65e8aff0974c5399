import { readFileSync } from "node:fs";
import { join } from "node:path";
// @ts-expect-error: a plain JavaScript module without type declarations
import { buildBot } from "../../bin/build.mjs";
import { ROOT } from "./paths.js";

/** How `npm start` runs Node: `[NAME=value ...] node <flags> <built entry>`. */
export interface StartCommand {
  env: Record<string, string>;
  args: string[];
}

/** The environment and arguments `npm start` gives Node, read from package.json. */
export function npmStart(): StartCommand {
  const manifest = JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8")) as {
    scripts: { start: string };
  };
  const words = manifest.scripts.start.split(/\s+/);
  const env: Record<string, string> = {};
  while (/^[A-Z_]+=/.test(words[0] ?? "")) {
    const [name, ...value] = (words.shift() as string).split("=");
    env[name as string] = value.join("=");
  }
  if (words.shift() !== "node")
    throw new Error(`npm start no longer runs node directly: ${manifest.scripts.start}`);
  return { env, args: words };
}

/** Builds the bot as `npm start`'s `prestart` step does. */
export async function buildAsNpmStartDoes(): Promise<void> {
  await (buildBot as () => Promise<void>)();
}
