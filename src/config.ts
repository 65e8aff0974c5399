import { config as loadDotenv } from "dotenv";
import { z } from "zod";
import { checkSchedule, isValidCron, isValidTimeZone } from "./delivery/schedule.js";

const LOG_LEVELS = ["fatal", "error", "warn", "info", "debug", "trace", "silent"] as const;

const optionalText = z
  .string()
  .trim()
  .transform((value) => (value === "" ? undefined : value))
  .optional();

const snowflake = z
  .string()
  .trim()
  .regex(/^\d{17,20}$/, "a Discord id (17 to 20 digits)");

/** A whole number from `min` to `max` (`unit` names it in the error). */
const wholeNumber = (min: number, max: number, unit: string) => {
  const rule = `a whole number${unit} from ${min} to ${max}`;
  return optionalText.pipe(
    z
      .string()
      .regex(/^\d+$/, rule)
      .transform(Number)
      .pipe(z.number().min(min, rule).max(max, rule))
      .optional(),
  );
};

/** Every configuration key Paperboy reads, with its rule and default. */
const schema = z.object({
  DISCORD_TOKEN: optionalText,
  DISCORD_APPLICATION_ID: optionalText.pipe(snowflake.optional()),
  DISCORD_API_URL: optionalText.pipe(
    z
      .url({ protocol: /^https?$/, error: "an http(s) URL such as http://127.0.0.1:3000/api" })
      .optional(),
  ),
  DEV_GUILD_ID: optionalText.pipe(snowflake.optional()),
  HTTP_PORT: optionalText.pipe(
    z
      .string()
      .regex(/^\d{1,5}$/, "a port number from 0 to 65535")
      .transform(Number)
      .pipe(z.number().max(65535, "a port number from 0 to 65535"))
      .optional(),
  ),
  HTTP_HOST: optionalText.default("127.0.0.1"),
  DIGESTS_DIR: optionalText.default("./digests"),
  DIGESTS_SOURCE: optionalText
    .pipe(z.enum(["folder", "database"], { error: "folder or database" }).optional())
    .default("folder"),
  DIGESTS_POLL_SECONDS: wholeNumber(1, 3600, " of seconds").default(10),
  DATABASE_URL: optionalText.default("./data/paperboy.db"),
  DATABASE_POOL_SIZE: wholeNumber(1, 100, " of connections").default(10),
  DATABASE_STATEMENT_TIMEOUT_SECONDS: wholeNumber(1, 3600, " of seconds").default(30),
  DEFAULT_LANGUAGE: optionalText
    .pipe(z.enum(["ko", "en"], { error: "ko or en" }).optional())
    .default("ko"),
  DEFAULT_TIMEZONE: optionalText
    .pipe(
      z.string().refine(isValidTimeZone, "an IANA time zone such as Asia/Seoul or UTC").optional(),
    )
    .default("UTC"),
  DEFAULT_SCHEDULE: optionalText
    .pipe(z.string().refine(isValidCron, 'a cron expression such as "0 9 * * *"').optional())
    .default("0 9 * * *"),
  CATCH_UP: optionalText
    .pipe(z.enum(["true", "false"], { error: "true or false" }).optional())
    .default("true"),
  POST_ON_ARRIVAL: optionalText
    .pipe(z.enum(["true", "false"], { error: "true or false" }).optional())
    .default("false"),
  CATCH_UP_DAYS: wholeNumber(0, 60, " of days").default(3),
  DELIVERY_RETRY_SECONDS: wholeNumber(1, 3600, " of seconds").default(30),
  DELIVERY_RETRY_MAX_SECONDS: wholeNumber(1, 86_400, " of seconds").default(1800),
  SEND_RATE_PER_SECOND: optionalText
    .pipe(
      z
        .string()
        .regex(/^\d+$/, "a whole number from 1 to 50")
        .transform(Number)
        .pipe(
          z.number().min(1, "a whole number from 1 to 50").max(50, "a whole number from 1 to 50"),
        )
        .optional(),
    )
    .default(50),
  DELIVERY_LEASE_SECONDS: wholeNumber(2, 3600, " of seconds").default(30),
  LOG_LEVEL: optionalText
    .pipe(z.enum(LOG_LEVELS, { error: `one of ${LOG_LEVELS.join(", ")}` }).optional())
    .default("info"),
});

/** The validated configuration, passed to whatever needs it. */
export type Config = {
  discordToken: string | undefined;
  applicationId: string | undefined;
  discordApiUrl: string | undefined;
  /** Serves /healthz and /metrics on this port when set. */
  httpPort: number | undefined;
  httpHost: string;
  /** Commands are registered to this server only (instant, for development) when set. */
  devGuildId: string | undefined;
  digestsDir: string;
  /**
   * Where digests come from: the folder (whose process also stores them in PostgreSQL), or, on
   * PostgreSQL only, the digests another process stored there (no folder needed).
   */
  digestsSource: "folder" | "database";
  /** With `digestsSource` database: how often the stored digests are checked for changes. */
  digestsPollMs: number;
  /** The SQLite file; "" when `postgres` is set. */
  databasePath: string;
  /** A PostgreSQL server instead of the SQLite file (DATABASE_URL=postgres://…). */
  postgres: PostgresConfig | null;
  logLevel: (typeof LOG_LEVELS)[number];
  defaults: { language: "ko" | "en"; timezone: string; schedule: string };
  catchUp: boolean;
  postOnArrival: boolean;
  /** A scheduled run sends every digest a channel missed back to this many days before the newest. */
  catchUpDays: number;
  /** Waits before a delivery left pending is tried again: the first, doubling up to the last. */
  deliveryRetry: { baseMs: number; maxMs: number };
  /** Requests per second the bot allows itself (Discord's global limit is 50). */
  sendRatePerSecond: number;
  /** How long the deliverer lease lasts unless renewed (every third of it); a standby waits this long after a crash. */
  deliveryLeaseMs: number;
};

/** Where a PostgreSQL store connects; `url` holds the password, so it is never logged whole. */
export interface PostgresConfig {
  url: string;
  poolSize: number;
  statementTimeoutMs: number;
}

/** A configuration value is missing or invalid; the message names the key. */
export class ConfigError extends Error {
  constructor(
    readonly key: string,
    expected: string,
  ) {
    super(`Invalid configuration: ${key} must be ${expected}`);
    this.name = "ConfigError";
  }
}

/** True for a `postgres://` or `postgresql://` URL: PostgreSQL instead of a SQLite file. */
export function isPostgresUrl(url: string): boolean {
  return /^postgres(?:ql)?:\/\//i.test(url.trim());
}

/** Turns `DATABASE_URL` (a path, `file:path` or `sqlite:path`) into a file path for SQLite. */
function databasePath(url: string): string {
  if (isPostgresUrl(url)) {
    // Checked by a parser, but never echoed: the URL holds the password.
    try {
      const parsed = new URL(url);
      // A Unix socket is named as `postgres:///db?host=/var/run/postgresql`.
      if (!parsed.hostname && !parsed.searchParams.get("host")) throw new Error("no host");
    } catch {
      throw new ConfigError(
        "DATABASE_URL",
        "a PostgreSQL URL such as postgres://user:password@host:5432/paperboy (percent-encode special characters in the password)",
      );
    }
    return "";
  }
  const match = /^(?:sqlite|file):(?:\/\/)?(.*)$/i.exec(url);
  if (match) {
    if (!match[1])
      throw new ConfigError("DATABASE_URL", "a SQLite file path such as ./data/paperboy.db");
    return match[1];
  }
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(url)) {
    throw new ConfigError(
      "DATABASE_URL",
      "a SQLite file path such as ./data/paperboy.db, or a postgres:// URL",
    );
  }
  return url;
}

/** Validates an environment; throws `ConfigError` naming the first bad key. */
export function parseConfig(env: Record<string, string | undefined>): Config {
  const result = schema.safeParse(env);
  if (!result.success) {
    const issue = result.error.issues[0];
    const key = String(issue?.path[0] ?? "configuration");
    throw new ConfigError(key, issue?.message ?? "valid");
  }
  const value = result.data;
  checkDefaultSchedule(value.DEFAULT_SCHEDULE, value.DEFAULT_TIMEZONE);
  if (value.DIGESTS_SOURCE === "database" && !isPostgresUrl(value.DATABASE_URL))
    throw new ConfigError(
      "DIGESTS_SOURCE",
      "folder unless DATABASE_URL is a postgres:// URL (only PostgreSQL stores digests for other processes)",
    );
  return {
    discordToken: value.DISCORD_TOKEN,
    applicationId: value.DISCORD_APPLICATION_ID,
    discordApiUrl: value.DISCORD_API_URL,
    devGuildId: value.DEV_GUILD_ID,
    httpPort: value.HTTP_PORT,
    httpHost: value.HTTP_HOST,
    digestsDir: value.DIGESTS_DIR,
    digestsSource: value.DIGESTS_SOURCE,
    digestsPollMs: value.DIGESTS_POLL_SECONDS * 1000,
    databasePath: databasePath(value.DATABASE_URL),
    postgres: isPostgresUrl(value.DATABASE_URL)
      ? {
          url: value.DATABASE_URL.trim(),
          poolSize: value.DATABASE_POOL_SIZE,
          statementTimeoutMs: value.DATABASE_STATEMENT_TIMEOUT_SECONDS * 1000,
        }
      : null,
    logLevel: value.LOG_LEVEL,
    defaults: {
      language: value.DEFAULT_LANGUAGE,
      timezone: value.DEFAULT_TIMEZONE,
      schedule: value.DEFAULT_SCHEDULE,
    },
    catchUp: value.CATCH_UP === "true",
    postOnArrival: value.POST_ON_ARRIVAL === "true",
    catchUpDays: value.CATCH_UP_DAYS,
    deliveryRetry: {
      baseMs: value.DELIVERY_RETRY_SECONDS * 1000,
      maxMs: Math.max(value.DELIVERY_RETRY_SECONDS, value.DELIVERY_RETRY_MAX_SECONDS) * 1000,
    },
    sendRatePerSecond: value.SEND_RATE_PER_SECOND,
    deliveryLeaseMs: value.DELIVERY_LEASE_SECONDS * 1000,
  };
}

/**
 * The default schedule must run in the default zone as `/config schedule` would accept it: not
 * never, and not at a local time a daylight-saving change skips or repeats.
 */
function checkDefaultSchedule(schedule: string, zone: string): void {
  const { problem } = checkSchedule(schedule, zone);
  if (problem === null) return;
  const where = `in DEFAULT_TIMEZONE ${zone}`;
  if (problem.kind === "never" || problem.kind === "invalid-cron")
    throw new ConfigError("DEFAULT_SCHEDULE", `a schedule that runs within a year ${where}`);
  if (problem.kind === "skipped" || problem.kind === "repeated") {
    const day = new Date(problem.at).toISOString().slice(0, 16).replace("T", " ");
    throw new ConfigError(
      "DEFAULT_SCHEDULE",
      `a time that exists once every day ${where}: ${day} is ${problem.kind} by a daylight-saving change (pick a time outside ${String(problem.from).padStart(2, "0")}:00–${String(problem.to).padStart(2, "0")}:00)`,
    );
  }
}

/** Loads the configuration, or gives the one-line reason it is unusable (for start-up messages). */
export function tryLoadConfig(): { ok: true; config: Config } | { ok: false; message: string } {
  try {
    return { ok: true, config: loadConfig() };
  } catch (error) {
    if (error instanceof ConfigError) return { ok: false, message: error.message };
    throw error;
  }
}

/** Reads `.env` (if present) over the process environment and validates it. */
export function loadConfig(): Config {
  loadDotenv({ quiet: true });
  return parseConfig(process.env);
}
