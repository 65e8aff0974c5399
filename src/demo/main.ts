import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { startDemo } from "./run.js";

const USAGE = `usage: npm run demo [-- --port <n>]

Starts a local Discord emulator, a demo server with a channel in each delivery mode, and the real
bot, then shows what they did on a page. Nothing leaves this machine; Ctrl-C stops it and removes
its data.

options:
  --port <n>   the page's port (default 3300; 0 picks a free one)
  --help       show this text
`;

/** `npm run demo [-- --port 3300]`: Paperboy on a local Discord emulator, shown on a page. */
async function main(): Promise<number> {
  let values: { port?: string; help?: boolean };
  try {
    values = parseArgs({
      options: {
        port: { type: "string", default: "3300" },
        help: { type: "boolean", short: "h", default: false },
      },
    }).values;
  } catch (error) {
    process.stderr.write(`demo: ${(error as Error).message}\n${USAGE}`);
    return 2;
  }
  if (values.help) {
    process.stdout.write(USAGE);
    return 0;
  }
  const port = Number(values.port);
  if (!/^\d+$/.test(values.port ?? "") || port > 65535) {
    process.stderr.write(
      `demo: --port must be a whole number from 0 to 65535 (got "${values.port}")\n${USAGE}`,
    );
    return 2;
  }
  // Everything the demo writes lives here, and goes when it stops.
  const dataDir = mkdtempSync(join(tmpdir(), "paperboy-demo-"));
  const cleanUp = () => rmSync(dataDir, { recursive: true, force: true });
  let demo: Awaited<ReturnType<typeof startDemo>>;
  try {
    demo = await startDemo({ port, dataDir });
  } catch (error) {
    cleanUp();
    if ((error as { code?: string }).code === "EADDRINUSE") {
      process.stderr.write(
        `demo: port ${port} is taken: stop what uses it, or pick another with --port\n`,
      );
      return 1;
    }
    throw error;
  }
  console.log(`Paperboy demo: open ${demo.url}`);
  console.log(
    "(a local Discord emulator, a demo server with a channel in each mode, and the real bot; Ctrl-C stops it)",
  );
  const stop = () => {
    void demo
      .stop()
      .finally(cleanUp)
      .then(() => process.exit(0));
  };
  process.on("SIGINT", stop);
  process.on("SIGTERM", stop);
  return -1; // runs until stopped
}

main().then(
  (code) => {
    if (code >= 0) process.exit(code);
  },
  (error: unknown) => {
    process.stderr.write(`demo: ${(error as Error).message ?? error}\n`);
    process.exit(1);
  },
);
