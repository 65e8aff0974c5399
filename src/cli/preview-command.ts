import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { basename, join, resolve } from "node:path";
import { parseArgs } from "node:util";
import { parseDigest } from "../digest/parse.js";
import type { Language } from "../i18n.js";
import { componentsScript } from "../preview/components-bundle.js";
import { previewPage } from "../preview/page.js";
import type { DeliveryMode, PaperStyle } from "../render/digest-messages.js";
import type { CliOutput } from "./parse-command.js";
import { reason } from "./reason.js";

const LANGUAGES: readonly Language[] = ["ko", "en"];
const MODES: readonly DeliveryMode[] = ["embeds", "thread", "forum"];

const USAGE =
  "usage: paperboy preview <digest.md> [--lang ko|en] [--mode embeds|thread|forum] [--style embeds|cards] [--out page.html]";

/** `paperboy preview`: writes a page showing a digest as the bot would post it. */
export async function runPreview(args: readonly string[], io: CliOutput): Promise<number> {
  let parsed: ReturnType<
    typeof parseArgs<{
      options: {
        lang: { type: "string" };
        mode: { type: "string" };
        style: { type: "string" };
        out: { type: "string" };
      };
      allowPositionals: true;
    }>
  >;
  try {
    parsed = parseArgs({
      args: [...args],
      allowPositionals: true,
      options: {
        lang: { type: "string" },
        mode: { type: "string" },
        style: { type: "string" },
        out: { type: "string" },
      },
    });
  } catch (error) {
    io.err(`${(error as Error).message}\n${USAGE}\n`);
    return 2;
  }
  const [file] = parsed.positionals;
  const language = parsed.values.lang ?? "ko";
  const mode = parsed.values.mode ?? "embeds";
  const style = parsed.values.style ?? "embeds";
  const problem = !file
    ? "name the digest file to preview"
    : parsed.positionals.length > 1
      ? `one digest file at a time (got ${parsed.positionals.length})`
      : !LANGUAGES.includes(language as Language)
        ? `--lang must be ko or en (got "${language}")`
        : !MODES.includes(mode as DeliveryMode)
          ? `--mode must be embeds, thread or forum (got "${mode}")`
          : style !== "embeds" && style !== "cards"
            ? `--style must be embeds or cards (got "${style}")`
            : null;
  if (problem !== null || !file) {
    io.err(`${problem}\n${USAGE}\n`);
    return 2;
  }
  let markdown: string;
  try {
    markdown = readFileSync(file, "utf8");
  } catch (error) {
    io.err(`cannot read ${file}: ${reason(error)}\n`);
    return 1;
  }
  const result = parseDigest(markdown, file);
  if (!result.ok) {
    io.err(`${result.error.file}: ${result.error.message}\n`);
    return 1;
  }
  // Without --out the page goes to the temporary folder, never into the current one.
  const name = `${basename(file).replace(/\.md$/i, "")}.preview.html`;
  const out = parsed.values.out
    ? resolve(parsed.values.out)
    : join(mkdtempSync(join(tmpdir(), "paperboy-preview-")), name);
  const page = previewPage(
    result.digest,
    language as Language,
    mode as DeliveryMode,
    await componentsScript(),
    style as PaperStyle,
  );
  try {
    writeFileSync(out, page);
  } catch (error) {
    io.err(`cannot write ${out}: ${reason(error)} (choose another --out)\n`);
    return 1;
  }
  for (const warning of result.digest.warnings)
    io.err(`${warning.file}:${warning.line}: ${warning.message}\n`);
  io.out(`${out}\n`);
  return 0;
}
