import { readFileSync } from "node:fs";
import { join } from "node:path";
import { ROOT } from "../paths.js";
import { type CliOutput, runParse } from "./parse-command.js";
import { runPost } from "./post-command.js";
import { runPreview } from "./preview-command.js";

const HELP = `Paperboy — daily research-paper digests for Discord

usage: paperboy <command> [options]

commands:
  parse <file|dir>... [--json]   read digest files and report papers, warnings and errors
  post [--date D] [--channel C] [--dry-run]
                                 post a digest now over REST (to every subscribed channel,
                                 or one channel); --dry-run prints the payloads only
  preview <digest.md> [--lang ko|en] [--mode embeds|thread|forum] [--out page.html]
                                 write a page showing the digest as the bot would post it
  sync                           pull DIGESTS_GIT_URL once and copy new or changed digests
                                 into DIGESTS_DIR
  store copy --from <path|url> --to <path|url> [--force]
                                 copy every row between SQLite and PostgreSQL (either way),
                                 then verify; --force replaces a target that holds rows
  reader export <user-id>        print, as JSON, everything kept about one reader (their
                                 follows, how they are reached, their alerts)
  reader delete <user-id>        delete all of it (follows, alert records, the reader)
  help, --help                   show this text
  --version                      print Paperboy's version
`;

/** The version in package.json. */
export function version(): string {
  return (JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8")) as { version: string })
    .version;
}

/** Runs one CLI command; returns the process exit code. */
export async function main(args: readonly string[], io: CliOutput): Promise<number> {
  const [command, ...rest] = args;
  switch (command) {
    case "parse":
      return runParse(rest, io);
    case "post":
      return runPost(rest, io);
    case "preview":
      return runPreview(rest, io);
    case "sync":
      return (await import("./sync-command.js")).runSync(rest, io);
    case "reader":
      return (await import("./reader-command.js")).runReader(rest, io);
    case "store":
      // Loaded only when used: it brings in the PostgreSQL client.
      return (await import("./store-command.js")).runStore(rest, io);
    case "--version":
    case "-V":
    case "version":
      io.out(`paperboy ${version()}\n`);
      return 0;
    case undefined:
    case "help":
    case "--help":
    case "-h":
      io.out(HELP);
      return command === undefined ? 2 : 0;
    default:
      io.err(`unknown command "${command}"\n${HELP}`);
      return 2;
  }
}
