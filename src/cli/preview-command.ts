import { readFileSync, writeFileSync } from "node:fs";
import { basename, resolve } from "node:path";
import { parseArgs } from "node:util";
import { parseDigest } from "../digest/parse.js";
import type { Language } from "../i18n.js";
import { componentsScript } from "../preview/components-bundle.js";
import { previewPage } from "../preview/page.js";
import type { DeliveryMode } from "../render/digest-messages.js";
import type { CliOutput } from "./parse-command.js";

const USAGE =
  "usage: paperboy preview <digest.md> [--lang ko|en] [--mode embeds|thread|forum] [--out page.html]";

/** `paperboy preview`: writes a page showing a digest as the bot would post it. */
export async function runPreview(args: readonly string[], io: CliOutput): Promise<number> {
  let parsed: ReturnType<
    typeof parseArgs<{
      options: { lang: { type: "string" }; mode: { type: "string" }; out: { type: "string" } };
      allowPositionals: true;
    }>
  >;
  try {
    parsed = parseArgs({
      args: [...args],
      allowPositionals: true,
      options: { lang: { type: "string" }, mode: { type: "string" }, out: { type: "string" } },
    });
  } catch (error) {
    io.err(`${(error as Error).message}\n${USAGE}\n`);
    return 2;
  }
  const [file] = parsed.positionals;
  const language = (parsed.values.lang ?? "ko") as Language;
  const mode = (parsed.values.mode ?? "embeds") as DeliveryMode;
  if (
    !file ||
    parsed.positionals.length > 1 ||
    !["ko", "en"].includes(language) ||
    !["embeds", "thread", "forum"].includes(mode)
  ) {
    io.err(`${USAGE}\n`);
    return 2;
  }
  let markdown: string;
  try {
    markdown = readFileSync(file, "utf8");
  } catch (error) {
    io.err(`cannot read ${file}: ${(error as Error).message}\n`);
    return 1;
  }
  const result = parseDigest(markdown, file);
  if (!result.ok) {
    io.err(`${result.error.file}: ${result.error.message}\n`);
    return 1;
  }
  const out = resolve(parsed.values.out ?? `${basename(file).replace(/\.md$/i, "")}.preview.html`);
  writeFileSync(out, previewPage(result.digest, language, mode, await componentsScript()));
  for (const warning of result.digest.warnings)
    io.err(`${warning.file}:${warning.line}: ${warning.message}\n`);
  io.out(`${out}\n`);
  return 0;
}
