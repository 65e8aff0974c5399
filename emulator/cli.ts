import { parseArgs } from "node:util";
import { PRIVILEGED_INTENTS, type PrivilegedIntent } from "./gateway-limits.js";
import { startEmulator } from "./server.js";

const USAGE = `usage: npm run emulator -- [options]

A local Discord (REST, gateway and a control API) for trying Paperboy without Discord.

options:
  --port <n>                  port to listen on (default 3000; 0 picks a free one)
  --host <addr>               address to listen on (default 127.0.0.1)
  --token <t>                 the bot token it accepts (default emulator-token)
  --shards <n>                shards GET /gateway/bot recommends (default 1)
  --heartbeat-ms <n>          gateway heartbeat interval (default 41250)
  --no-rate-limits            answer every request, with no 429s
  --max-concurrency <n>       sessions that may identify at once (default 1)
  --privileged-intents <list> granted privileged intents: GuildMembers,GuildPresences,MessageContent
  --ban-threshold <n>         invalid requests (401, 403, 429) that earn a ban (default 10000)
  --ban-window-ms <n>         ... counted over this window (default 600000)
  --ban-duration-ms <n>       how long a ban lasts (default 3600000)
  --ban-status <429|403>      what a banned client gets (default 429)
  --help                      show this text

The control API and how to send interactions are described in emulator/README.md.
`;

/** A mistake on the command line: one line, then the usage. */
class UsageError extends Error {}

function options() {
  try {
    return parseArgs({
      options: {
        help: { type: "boolean", short: "h", default: false },
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
    }).values;
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
}

/** `npm run emulator -- --port <p> [--token <t>] [--shards <n>]`: runs the emulator until stopped. */
async function main(): Promise<number> {
  const values = options();
  if (values.help) {
    process.stdout.write(USAGE);
    return 0;
  }
  const port = Number(values.port);
  const shards = Number(values.shards);
  if (!/^\d+$/.test(String(values.port)) || port > 65535)
    throw new UsageError(`--port must be a whole number from 0 to 65535 (got "${values.port}")`);
  if (!Number.isInteger(shards) || shards < 1)
    throw new UsageError(`--shards must be a whole number ≥ 1 (got "${values.shards}")`);
  const positive = (flag: keyof typeof values): number => {
    const value = Number(values[flag]);
    if (!Number.isInteger(value) || value < 1)
      throw new UsageError(`--${flag} must be a whole number ≥ 1 (got "${values[flag]}")`);
    return value;
  };
  const banStatus = Number(values["ban-status"]);
  if (banStatus !== 429 && banStatus !== 403)
    throw new UsageError(`--ban-status must be 429 or 403 (got "${values["ban-status"]}")`);
  const privileged = String(values["privileged-intents"]).split(",").filter(Boolean);
  for (const name of privileged)
    if (!(name in PRIVILEGED_INTENTS))
      throw new UsageError(
        `--privileged-intents: ${name} is not one of ${Object.keys(PRIVILEGED_INTENTS).join(", ")}`,
      );

  let emulator: Awaited<ReturnType<typeof startEmulator>>;
  try {
    emulator = await startEmulator({
      port,
      host: String(values.host),
      token: String(values.token),
      shards,
      heartbeatIntervalMs: positive("heartbeat-ms"),
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
  } catch (error) {
    const code = (error as { code?: string }).code;
    if (code === "EADDRINUSE")
      process.stderr.write(
        `emulator: port ${port} on ${values.host} is taken: stop what uses it, or pick another with --port\n`,
      );
    else if (code === "EACCES" || code === "EADDRNOTAVAIL")
      process.stderr.write(
        `emulator: cannot listen on ${values.host}:${port} (${code}): pick another --port or --host\n`,
      );
    else throw error;
    return 1;
  }
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
  return -1; // runs until stopped
}

main().then(
  (code) => {
    if (code >= 0) process.exitCode = code;
  },
  (error: unknown) => {
    if (error instanceof UsageError) {
      process.stderr.write(`emulator: ${error.message}\n${USAGE}`);
      process.exitCode = 2;
      return;
    }
    process.stderr.write(`emulator: ${(error as Error).message ?? error}\n`);
    process.exitCode = 1;
  },
);
