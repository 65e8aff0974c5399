import pino, { type Logger } from "pino";

export type { Logger } from "pino";

/** Paths pino removes from every log line, wherever a secret could travel. */
export const REDACTED_PATHS = [
  "token",
  "*.token",
  "*.*.token",
  "discordToken",
  "*.discordToken",
  "authorization",
  "*.authorization",
  "headers.authorization",
  "*.headers.authorization",
  "req.headers.authorization",
  "DISCORD_TOKEN",
  "*.DISCORD_TOKEN",
  // A PostgreSQL DATABASE_URL holds its password.
  "DATABASE_URL",
  "*.DATABASE_URL",
  "postgres.url",
  "*.postgres.url",
  "password",
  "*.password",
];

export interface LoggerOptions {
  level: string;
  /** Pretty, coloured lines for a person at a terminal; JSON lines otherwise. */
  pretty?: boolean;
  destination?: pino.DestinationStream;
}

/** Creates the root logger; subsystems take `logger.child({ subsystem })`. */
export function createLogger(options: LoggerOptions): Logger {
  const base: pino.LoggerOptions = {
    level: options.level,
    base: { app: "paperboy" },
    redact: { paths: REDACTED_PATHS, censor: "[redacted]" },
    serializers: { err: pino.stdSerializers.err, error: pino.stdSerializers.err },
  };
  if (options.destination) return pino(base, options.destination);
  const pretty = options.pretty ?? process.stdout.isTTY === true;
  if (pretty) {
    return pino({
      ...base,
      transport: { target: "pino-pretty", options: { colorize: true, ignore: "pid,hostname,app" } },
    });
  }
  return pino(base);
}

/** A child logger for one subsystem (`archive`, `delivery`, `commands`…). */
export function subsystemLogger(root: Logger, subsystem: string): Logger {
  return root.child({ subsystem });
}
