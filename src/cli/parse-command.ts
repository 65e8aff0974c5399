import { existsSync, readFileSync, statSync } from "node:fs";
import { listDigestFiles } from "../archive/files.js";
import type { Digest, DigestError } from "../digest/model.js";
import { parseDigest } from "../digest/parse.js";

/** Where a command writes: stdout for results, stderr for diagnostics. */
export interface CliOutput {
  out: (text: string) => void;
  err: (text: string) => void;
}

/** What `paperboy parse` found in the files it was given. */
export interface ParseReport {
  digests: Digest[];
  errors: DigestError[];
}

/** Parses every digest file named or found under a named folder. */
export function parsePaths(paths: readonly string[]): ParseReport {
  const digests: Digest[] = [];
  const errors: DigestError[] = [];
  for (const path of paths) {
    if (!existsSync(path)) {
      errors.push({ file: path, message: "no such file or folder" });
      continue;
    }
    const files = statSync(path).isDirectory()
      ? listDigestFiles(path).map((file) => file.absolutePath)
      : [path];
    for (const file of files) {
      const result = parseDigest(readFileSync(file, "utf8"), file);
      if (result.ok) digests.push(result.digest);
      else errors.push(result.error);
    }
  }
  digests.sort((a, b) =>
    a.date === b.date ? a.source.localeCompare(b.source) : a.date < b.date ? -1 : 1,
  );
  return { digests, errors };
}

function summary(report: ParseReport): string {
  const lines: string[] = [];
  let papers = 0;
  let warnings = 0;
  for (const digest of report.digests) {
    papers += digest.papers.length;
    warnings += digest.warnings.length;
    const note = digest.warnings.length === 0 ? "" : `, ${digest.warnings.length} warning(s)`;
    lines.push(`${digest.date}  ${digest.papers.length} papers${note}  ${digest.source}`);
    for (const warning of digest.warnings) {
      lines.push(`  ${warning.file}:${warning.line}: ${warning.message}`);
    }
  }
  for (const error of report.errors) lines.push(`error: ${error.file}: ${error.message}`);
  lines.push(
    `${report.digests.length} digest(s), ${papers} papers, ${warnings} warning(s), ${report.errors.length} error(s)`,
  );
  return `${lines.join("\n")}\n`;
}

const USAGE = "usage: paperboy parse <file|dir>... [--json]";

/** `paperboy parse <file|dir>... [--json]`: exit 0 when every file is a digest, 1 otherwise. */
export function runParse(args: readonly string[], io: CliOutput): number {
  const json = args.includes("--json");
  const unknown = args.find((arg) => arg.startsWith("-") && arg !== "--json");
  const paths = args.filter((arg) => !arg.startsWith("-"));
  if (unknown !== undefined || paths.length === 0) {
    io.err(`${unknown ? `unknown option ${unknown}\n` : ""}${USAGE}\n`);
    return 2;
  }
  const report = parsePaths(paths);
  if (report.digests.length === 0 && report.errors.length === 0) {
    io.err(
      `no digest files in ${paths.join(", ")}: a digest is named YYYY-MM-DD.md, or YYYY/MM/DD.md as in the upstream repository\n`,
    );
    return 1;
  }
  io.out(json ? `${JSON.stringify(report, null, 2)}\n` : summary(report));
  return report.errors.length === 0 ? 0 : 1;
}
