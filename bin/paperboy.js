#!/usr/bin/env node
// Runs the TypeScript sources directly: Paperboy has no build step.
import { register } from "tsx/esm/api";

register();
const { main } = await import("../src/cli/main.ts");
const write = (stream) => (text) => stream.write(text);
process.exitCode = await main(process.argv.slice(2), {
  out: write(process.stdout),
  err: write(process.stderr),
});
