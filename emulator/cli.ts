import { parseArgs } from "node:util";
import { PRIVILEGED_INTENTS, type PrivilegedIntent } from "./gateway-limits.js";
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
    "max-concurrency": { type: "string", default: "1" },
    // Comma-separated: GuildMembers,GuildPresences,MessageContent (none by default, as for a new app).
    "privileged-intents": { type: "string", default: "" },
    "ban-threshold": { type: "string", default: "10000" },
    "ban-window-ms": { type: "string", default: "600000" },
    "ban-duration-ms": { type: "string", default: "3600000" },
    "ban-status": { type: "string", default: "429" },
  },
});

const port = Number(values.port);
const shards = Number(values.shards);
if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error("--port must be 0–65535");
if (!Number.isInteger(shards) || shards < 1) throw new Error("--shards must be a whole number ≥ 1");
const positive = (flag: keyof typeof values): number => {
  const value = Number(values[flag]);
  if (!Number.isInteger(value) || value < 1)
    throw new Error(`--${flag} must be a whole number ≥ 1`);
  return value;
};
const banStatus = Number(values["ban-status"]);
if (banStatus !== 429 && banStatus !== 403) throw new Error("--ban-status must be 429 or 403");
const privileged = String(values["privileged-intents"]).split(",").filter(Boolean);
for (const name of privileged)
  if (!(name in PRIVILEGED_INTENTS))
    throw new Error(
      `--privileged-intents: ${name} is not one of ${Object.keys(PRIVILEGED_INTENTS)}`,
    );

const emulator = await startEmulator({
  port,
  host: values.host,
  token: values.token,
  shards,
  heartbeatIntervalMs: Number(values["heartbeat-ms"]),
  rateLimits: { enabled: !values["no-rate-limits"] },
  maxConcurrency: positive("max-concurrency"),
  privilegedIntents: privileged as PrivilegedIntent[],
  invalidRequests: {
    threshold: positive("ban-threshold"),
    windowMs: positive("ban-window-ms"),
    durationMs: positive("ban-duration-ms"),
    status: banStatus,
  },
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
