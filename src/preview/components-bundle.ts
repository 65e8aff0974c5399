import { fileURLToPath } from "node:url";
import { build } from "esbuild";

const ROOT = fileURLToPath(new URL("../../", import.meta.url));
let cached: Promise<string> | null = null;

/**
 * The Discord message web components (@skyra/discord-components-core) bundled into one script,
 * so a preview page works offline and as a single file.
 */
export function componentsScript(): Promise<string> {
  cached ??= build({
    stdin: { contents: 'import "@skyra/discord-components-core";', resolveDir: ROOT, loader: "js" },
    bundle: true,
    format: "iife",
    minify: true,
    write: false,
    platform: "browser",
    target: "es2022",
    logLevel: "silent",
  }).then((result) => result.outputFiles[0]?.text ?? "");
  return cached;
}
