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
  store copy --from <path|url> --to <path|url> [--force]
                                 copy every row between SQLite and PostgreSQL (either way),
                                 then verify; --force replaces a target that holds rows
  help                           show this text
`;

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
    case "store":
      // Loaded only when used: it brings in the PostgreSQL client.
      return (await import("./store-command.js")).runStore(rest, io);
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
