import { parseArgs } from "node:util";
import { hidePassword } from "../storage/postgres-connect.js";
import {
  CopyMismatchError,
  type CopyReport,
  copyStore,
  type Figure,
  TargetNotEmptyError,
} from "../storage/store-copy.js";
import { openSide, parseLocation, type Side, sameDatabase } from "../storage/store-copy-sides.js";
import type { CliOutput } from "./parse-command.js";

const USAGE = "usage: paperboy store copy --from <path|url> --to <path|url> [--force]";

function table(figures: readonly Figure[], ok: boolean): string {
  const width = Math.max(...figures.map((figure) => figure.name.length));
  return figures
    .map((figure) => {
      const counts =
        figure.source === figure.target || ok
          ? figure.target.padStart(8)
          : `${figure.target.padStart(8)}  (source: ${figure.source})`;
      return `${figure.name.padEnd(width)}  ${counts}\n`;
    })
    .join("");
}

const shown = (value: string): string => value || "none";

function summary(report: CopyReport, from: Side, to: Side): string {
  const rows = report.tables.reduce((sum, figure) => sum + Number(figure.target), 0);
  const [highest, sent] = report.checks.map((figure) => shown(figure.target));
  return `copied ${rows} rows from ${from.where} to ${to.where} and verified them (highest delivery id ${highest}, ${sent} sent steps)\n`;
}

/**
 * `paperboy store copy`: copies every row of one Paperboy database into another, SQLite or
 * PostgreSQL either way, then checks the copy. Exit 0 when copied and verified, 1 when not (the
 * target then keeps what it had), 2 for a usage error.
 */
export async function runStore(args: readonly string[], io: CliOutput): Promise<number> {
  const [command, ...rest] = args;
  if (command !== "copy") {
    io.err(`${command === undefined ? "" : `unknown store command "${command}"\n`}${USAGE}\n`);
    return 2;
  }
  let options: { from?: string; to?: string; force?: boolean };
  try {
    options = parseArgs({
      args: rest,
      options: { from: { type: "string" }, to: { type: "string" }, force: { type: "boolean" } },
    }).values;
  } catch (error) {
    io.err(`${(error as Error).message}\n${USAGE}\n`);
    return 2;
  }
  const { from: fromArg, to: toArg } = options;
  if (!fromArg || !toArg) {
    io.err(`${fromArg ? "--to" : "--from"} is missing\n${USAGE}\n`);
    return 2;
  }
  const [fromAt, toAt] = [parseLocation(fromArg), parseLocation(toArg)];
  if (sameDatabase(fromAt, toAt)) {
    io.err(`--from and --to name the same database\n${USAGE}\n`);
    return 2;
  }
  // Every message passes through here: no error, whatever quotes it, shows a password.
  const fail = (message: string): number => {
    io.err(`${hidePassword(hidePassword(message, fromArg), toArg)}\n`);
    return 1;
  };
  const opened: Side[] = [];
  try {
    for (const [flag, at] of [
      ["--from", fromAt],
      ["--to", toAt],
    ] as const) {
      try {
        opened.push(await openSide(at, flag === "--from", options.force === true));
      } catch (error) {
        return fail(`${flag}: ${(error as Error).message}`);
      }
    }
    const [from, to] = opened as [Side, Side];
    try {
      const report = await copyStore(from, to, { force: options.force === true });
      io.out(table(report.tables, true) + summary(report, from, to));
      return 0;
    } catch (error) {
      if (error instanceof TargetNotEmptyError) {
        const rows = error.tables.map((figure) => `${figure.name} ${figure.target}`).join(", ");
        return fail(
          `--to ${to.where} already holds rows (${rows}); nothing was copied. Add --force to replace them`,
        );
      }
      if (error instanceof CopyMismatchError) {
        io.out(table([...error.report.tables, ...error.report.checks], false));
        return fail(
          `the copy did not match ${from.where}; it was rolled back, ${to.where} is unchanged`,
        );
      }
      return fail(`copy failed, ${to.where} is unchanged: ${(error as Error).message}`);
    }
  } finally {
    for (const side of opened) await side.close().catch(() => {});
  }
}
