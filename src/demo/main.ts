import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { startDemo } from "./run.js";

/** `npm run demo [-- --port 3300]`: Paperboy on a local Discord emulator, shown on a page. */
const { values } = parseArgs({ options: { port: { type: "string", default: "3300" } } });
const demo = await startDemo({
  port: Number(values.port),
  dataDir: mkdtempSync(join(tmpdir(), "paperboy-demo-")),
});
console.log(`Paperboy demo: open ${demo.url}`);
console.log(
  "(a local Discord emulator, a demo server with a channel in each mode, and the real bot; Ctrl-C stops it)",
);
const stop = () => {
  void demo.stop().then(() => process.exit(0));
};
process.on("SIGINT", stop);
process.on("SIGTERM", stop);
