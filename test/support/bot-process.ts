import { type ChildProcess, spawn } from "node:child_process";
import { npmStart } from "./npm-start.js";
import { ROOT } from "./paths.js";

/** The real bot, started as `npm start` starts it, running as a child process, with everything it printed. */
export interface BotProcess {
  process: ChildProcess;
  output(): string;
  /** Its JSON log lines, parsed (anything else it printed is left out). */
  logLines(): Record<string, unknown>[];
}

/** Starts the real bot as a child process (e.g. against the emulator), at `logLevel`. */
export function spawnBot(env: Record<string, string>, logLevel = "warn"): BotProcess {
  let output = "";
  const start = npmStart();
  const proc = spawn(process.execPath, start.args, {
    cwd: ROOT,
    env: { ...process.env, ...start.env, ...env, LOG_LEVEL: logLevel },
    stdio: ["ignore", "pipe", "pipe"],
  });
  proc.stdout?.on("data", (chunk) => {
    output += String(chunk);
  });
  proc.stderr?.on("data", (chunk) => {
    output += String(chunk);
  });
  const logLines = () =>
    output.split("\n").flatMap((line) => {
      try {
        return line.startsWith("{") ? [JSON.parse(line) as Record<string, unknown>] : [];
      } catch {
        return [];
      }
    });
  return { process: proc, output: () => output, logLines };
}

/** Resolves once the process has exited (at once if it already has). */
export function exited(proc: ChildProcess): Promise<void> {
  return new Promise<void>((resolve) =>
    proc.exitCode !== null || proc.signalCode !== null
      ? resolve()
      : proc.once("exit", () => resolve()),
  );
}

/** Runs `npm start`'s entry point with an environment; resolves with its exit and output. */
export function runMain(env: Record<string, string>, whenReady?: (output: string) => boolean) {
  const start = npmStart();
  const child = spawn(process.execPath, start.args, {
    cwd: ROOT,
    env: { PATH: process.env.PATH ?? "", ...start.env, ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let out = "";
  let err = "";
  child.stdout.on("data", (c) => {
    out += String(c);
  });
  child.stderr.on("data", (c) => {
    err += String(c);
  });
  const exited = new Promise<{ code: number | null; out: string; err: string; at: number }>(
    (resolve) => child.on("exit", (code) => resolve({ code, out, err, at: Date.now() })),
  );
  const ready = new Promise<void>((resolve) => {
    const check = setInterval(() => {
      if (whenReady?.(out)) {
        clearInterval(check);
        resolve();
      }
    }, 20);
    void exited.then(() => clearInterval(check));
  });
  return { child, exited, ready };
}
