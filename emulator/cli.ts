import { parseArgs } from "node:util";
import { startEmulator } from "./server.js";

/** `npm run emulator -- --port <p> [--token <t>] [--shards <n>]`: runs the emulator until stopped. */
const { values } = parseArgs({
  options: {
    port: { type: "string", default: "3000" },
    host: { type: "string", default: "127.0.0.1" },
    token: { type: "string", default: "emulator-token" },
    shards: { type: "string", default: "1" },
    "heartbeat-ms": { type: "string", default: "41250" },
    "no-rate-limits": { type: "boolean", default: false },
  },
});

const port = Number(values.port);
const shards = Number(values.shards);
if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error("--port must be 0–65535");
if (!Number.isInteger(shards) || shards < 1) throw new Error("--shards must be a whole number ≥ 1");

const emulator = await startEmulator({
  port,
  host: values.host,
  token: values.token,
  shards,
  heartbeatIntervalMs: Number(values["heartbeat-ms"]),
  rateLimits: { enabled: !values["no-rate-limits"] },
});
console.log(`Discord emulator listening on ${emulator.url}`);
console.log(`  discord.js rest.api: ${emulator.apiUrl}`);
console.log(
  `  token: ${emulator.token} · application id: ${emulator.ctx.world.applicationId} · shards: ${shards}`,
);
console.log(`  control API: ${emulator.url}/_emulator/ (see emulator/README.md)`);

const stop = () => {
  void emulator.close().then(() => process.exit(0));
};
process.on("SIGINT", stop);
process.on("SIGTERM", stop);
