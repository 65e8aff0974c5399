import { type ChildProcess, spawn } from "node:child_process";
import { readdirSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { describe, expect, test } from "vitest";
import { ROOT, tempDir } from "../support/paths.js";

const TOOLS = { demo: "src/demo/main.ts", emulator: "emulator/cli.ts" } as const;

/** Runs `npm run demo` or `npm run emulator` as npm does, with `args`. */
function launch(tool: keyof typeof TOOLS, args: string[], env: Record<string, string> = {}) {
  const child = spawn(process.execPath, ["--import", "tsx", TOOLS[tool], ...args], {
    cwd: ROOT,
    env: { ...process.env, ...env },
  });
  let stdout = "";
  let stderr = "";
  child.stdout?.on("data", (chunk) => {
    stdout += String(chunk);
  });
  child.stderr?.on("data", (chunk) => {
    stderr += String(chunk);
  });
  return { child, out: () => stdout, err: () => stderr };
}

/** The exit code, once the process ended and its output was read to the end. */
function finished(child: ChildProcess): Promise<number | null> {
  return new Promise((resolve) => child.once("close", (code) => resolve(code)));
}

async function takenPort(): Promise<{ port: number; server: Server }> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return { port: (server.address() as AddressInfo).port, server };
}

describe.each(Object.keys(TOOLS) as (keyof typeof TOOLS)[])("npm run %s", (tool) => {
  test("--help prints the usage, --port among it, and exits 0", async () => {
    const run = launch(tool, ["--help"]);
    expect(await finished(run.child)).toBe(0);
    expect(run.out()).toMatch(/^usage: npm run /);
    expect(run.out()).toMatch(/--port <n>/);
    expect(run.err()).toBe("");
  }, 30_000);

  test("a bad option or --port is one line and the usage, exit 2", async () => {
    for (const args of [["--port", "http"], ["--colour"]]) {
      const run = launch(tool, args);
      expect(await finished(run.child)).toBe(2);
      expect(run.err()).toMatch(new RegExp(`^${tool}: .+\\nusage: npm run ${tool}`));
      expect(run.err()).not.toMatch(/\n\s+at /);
    }
  }, 30_000);

  test("a taken port is one line naming it, exit 1, no stack trace", async () => {
    const { port, server } = await takenPort();
    try {
      const run = launch(tool, ["--port", String(port)]);
      expect(await finished(run.child)).toBe(1);
      expect(run.err()).toBe(
        `${tool}: port ${port}${tool === "emulator" ? " on 127.0.0.1" : ""} is taken: stop what uses it, or pick another with --port\n`,
      );
    } finally {
      server.close();
    }
  }, 30_000);
});

test("the demo removes everything it wrote when it stops", async () => {
  const tmp = tempDir();
  const run = launch("demo", ["--port", "0"], { TMPDIR: tmp });
  const deadline = Date.now() + 60_000;
  while (!run.out().includes("open http") && Date.now() < deadline)
    await new Promise((resolve) => setTimeout(resolve, 100));
  expect(run.out(), run.err()).toMatch(/Paperboy demo: open http:\/\/127\.0\.0\.1:\d+\//);
  expect(readdirSync(tmp).some((name) => name.startsWith("paperboy-demo-"))).toBe(true);
  run.child.kill("SIGINT");
  expect(await finished(run.child)).toBe(0);
  expect(readdirSync(tmp).filter((name) => name.startsWith("paperboy-demo-"))).toEqual([]);
}, 90_000);
