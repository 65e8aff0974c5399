import { type ChildProcess, spawn } from "node:child_process";
import { ROOT } from "./paths.js";

/** The real bot (`src/main.ts`) running as a child process, with everything it printed. */
export interface BotProcess {
  process: ChildProcess;
  output(): string;
  /** Its JSON log lines, parsed (anything else it printed is left out). */
  logLines(): Record<string, unknown>[];
}

/** Starts the real bot as a child process (e.g. against the emulator), at `logLevel`. */
export function spawnBot(env: Record<string, string>, logLevel = "warn"): BotProcess {
  let output = "";
  const proc = spawn(process.execPath, ["--import", "tsx", "src/main.ts"], {
    cwd: ROOT,
    env: { ...process.env, ...env, LOG_LEVEL: logLevel },
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
