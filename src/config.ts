import { dirname, join } from "node:path";
import { config as loadDotenv } from "dotenv";
import { checkSchedule, isValidCron, isValidTimeZone } from "./delivery/schedule.js";

const LOG_LEVELS = ["fatal", "error", "warn", "info", "debug", "trace", "silent"] as const;
/** What one process does: everything (the default), or forward REST requests for the others. */
const ROLES = ["all", "gateway", "worker", "scheduler", "rest-proxy"] as const;

type Env = Record<string, string | undefined>;

/** A key's value, trimmed; undefined when unset or blank. */
function text(env: Env, key: string): string | undefined {
  const value = env[key]?.trim();
  return value === "" ? undefined : value;
}

/** A key's value when `valid` accepts it (undefined when unset); else a `ConfigError`. */
function checked(
  env: Env,
  key: string,
  valid: (value: string) => boolean,
  expected: string,
): string | undefined {
  const value = text(env, key);
  if (value !== undefined && !valid(value)) throw new ConfigError(key, expected);
  return value;
}

/** One of `allowed`, `fallback` when unset; the error names them as `a or b` (or lists more). */
function oneOf<T extends string>(env: Env, key: string, allowed: readonly T[], fallback: T): T {
  const expected =
    allowed.length === 2 ? `${allowed[0]} or ${allowed[1]}` : `one of ${allowed.join(", ")}`;
  const value = checked(env, key, (v) => (allowed as readonly string[]).includes(v), expected);
  return (value ?? fallback) as T;
}

/** A whole number from `min` to `max` (`unit` names it in the error), `fallback` when unset. */
function whole(env: Env, key: string, range: [number, number, string], fallback: number): number {
  const [min, max, unit] = range;
  const expected = `a whole number${unit} from ${min} to ${max}`;
  const inRange = (v: string) => /^\d+$/.test(v) && Number(v) >= min && Number(v) <= max;
  return Number(checked(env, key, inRange, expected) ?? fallback);
}

const SNOWFLAKE = (value: string) => /^\d{17,20}$/.test(value);
const DISCORD_ID = "a Discord id (17 to 20 digits)";

function isHttpUrl(value: string): boolean {
  try {
    return /^https?:$/.test(new URL(value).protocol);
  } catch {
    return false;
  }
}

/** `0-7` or `0,2,4` (or both: `0-3,8`), ascending and without repeats; null if not such a list. */
function parseShardList(value: string): number[] | null {
  const ids = new Set<number>();
  for (const part of value.split(",")) {
    const match = /^\s*(\d{1,6})\s*(?:-\s*(\d{1,6})\s*)?$/.exec(part);
    if (!match) return null;
    const from = Number(match[1]);
    const to = Number(match[2] ?? match[1]);
    if (to < from || to - from >= 100_000) return null;
    for (let id = from; id <= to; id++) ids.add(id);
  }
  return [...ids].sort((a, b) => a - b);
}

/** Which gateway shards this process runs, from SHARD_COUNT and SHARDS. */
function shardPlan(count: string, shards: string): ShardPlan {
  if (shards === "none") return { count: "none" };
  if (shards === "all") return count === "auto" ? { count: "auto" } : { count: Number(count) };
  if (count === "auto")
    throw new ConfigError(
      "SHARD_COUNT",
      "a number when SHARDS names some shards (every process must agree on the count)",
    );
  const ids = parseShardList(shards) as number[];
  const total = Number(count);
  if ((ids.at(-1) as number) >= total)
    throw new ConfigError("SHARDS", `shard ids below SHARD_COUNT (${total}): 0 to ${total - 1}`);
  return { count: total, ids };
}

/** The HTTP interactions endpoint, which needs the key its requests are signed with. */
function interactionsHttp(
  port: string | undefined,
  publicKey: string | undefined,
): Config["interactionsHttp"] {
  if (port === undefined) return null;
  if (publicKey === undefined)
    throw new ConfigError(
      "DISCORD_PUBLIC_KEY",
      "set when INTERACTIONS_HTTP_PORT is: the application's public key, 64 hex characters (Developer Portal → General Information)",
    );
  return { port: Number(port), publicKey };
}

/** Every key Paperboy reads, with its rule and default, checked in this order. */
function readEnv(env: Env) {
  const seconds = (min: number, max: number): [number, number, string] => [min, max, " of seconds"];
  const port = checked(
    env,
    "HTTP_PORT",
    (v) => /^\d{1,5}$/.test(v) && Number(v) <= 65535,
    "a port number from 0 to 65535",
  );
  return {
    ROLE: oneOf(env, "ROLE", ROLES, "all"),
    DISCORD_TOKEN: text(env, "DISCORD_TOKEN"),
    DISCORD_APPLICATION_ID: checked(env, "DISCORD_APPLICATION_ID", SNOWFLAKE, DISCORD_ID),
    DISCORD_API_URL: checked(
      env,
      "DISCORD_API_URL",
      (v) => isHttpUrl(v) && /\/api\/?$/.test(new URL(v).pathname),
      "an http(s) URL ending in /api, such as https://discord.com/api or http://127.0.0.1:3000/api (the API version is added by Paperboy)",
    ),
    REST_PROXY_URL: checked(
      env,
      "REST_PROXY_URL",
      isHttpUrl,
      "the http(s) URL of the rest-proxy process, such as http://10.0.0.5:8080",
    ),
    REST_PROXY_PORT: whole(env, "REST_PROXY_PORT", [0, 65535, ""], 8080),
    INTERACTIONS_HTTP_PORT: checked(
      env,
      "INTERACTIONS_HTTP_PORT",
      (v) => /^\d{1,5}$/.test(v) && Number(v) <= 65535,
      "a port number from 0 to 65535",
    ),
    DISCORD_PUBLIC_KEY: checked(
      env,
      "DISCORD_PUBLIC_KEY",
      (v) => /^[0-9a-f]{64}$/i.test(v),
      "the application's public key: 64 hex characters (Developer Portal → General Information)",
    ),
    SHARD_COUNT:
      checked(
        env,
        "SHARD_COUNT",
        (v) => v === "auto" || (/^\d{1,6}$/.test(v) && Number(v) >= 1),
        "auto or a whole number of shards from 1",
      ) ?? "auto",
    SHARDS:
      checked(
        env,
        "SHARDS",
        (v) => v === "all" || v === "none" || parseShardList(v) !== null,
        "all, none (commands over HTTP only), a range such as 0-7, or a list such as 0,2,4",
      ) ?? "all",
    DEV_GUILD_ID: checked(env, "DEV_GUILD_ID", SNOWFLAKE, DISCORD_ID),
    OWNER_IDS: checked(
      env,
      "OWNER_IDS",
      (v) => v.split(",").every((id) => SNOWFLAKE(id.trim())),
      "Discord user ids (17 to 20 digits) separated by commas",
    ),
    HTTP_PORT: port === undefined ? undefined : Number(port),
    HTTP_HOST: text(env, "HTTP_HOST") ?? "127.0.0.1",
    DIGESTS_DIR: text(env, "DIGESTS_DIR") ?? "./digests",
    DIGESTS_SOURCE: oneOf(env, "DIGESTS_SOURCE", ["folder", "database"], "folder"),
    DIGESTS_POLL_SECONDS: whole(env, "DIGESTS_POLL_SECONDS", seconds(1, 3600), 10),
    DIGESTS_GIT_URL: checked(
      env,
      "DIGESTS_GIT_URL",
      (v) => !v.startsWith("-") && !/\s/.test(v),
      "a git repository URL, such as https://github.com/l-yohai/daily_papers_ko.git",
    ),
    DIGESTS_GIT_BRANCH:
      checked(
        env,
        "DIGESTS_GIT_BRANCH",
        (v) => /^[A-Za-z0-9._/-]+$/.test(v) && !v.startsWith("-"),
        "a branch name such as main",
      ) ?? "main",
    DIGESTS_GIT_PATH:
      checked(
        env,
        "DIGESTS_GIT_PATH",
        (v) => !v.split(/[\\/]/).includes(".."),
        "a folder inside the repository (no ..), such as paper_logs",
      ) ?? "paper_logs",
    DIGESTS_SYNC_CRON:
      checked(env, "DIGESTS_SYNC_CRON", isValidCron, 'a cron expression such as "0 * * * *"') ??
      "0 * * * *",
    DATABASE_URL: text(env, "DATABASE_URL") ?? "./data/paperboy.db",
    DATABASE_POOL_SIZE: whole(env, "DATABASE_POOL_SIZE", [1, 100, " of connections"], 10),
    DATABASE_STATEMENT_TIMEOUT_SECONDS: whole(
      env,
      "DATABASE_STATEMENT_TIMEOUT_SECONDS",
      seconds(1, 3600),
      30,
    ),
    DEFAULT_LANGUAGE: oneOf(env, "DEFAULT_LANGUAGE", ["ko", "en"], "ko"),
    DEFAULT_TIMEZONE:
      checked(
        env,
        "DEFAULT_TIMEZONE",
        isValidTimeZone,
        "an IANA time zone such as Asia/Seoul or UTC",
      ) ?? "UTC",
    DEFAULT_SCHEDULE:
      checked(env, "DEFAULT_SCHEDULE", isValidCron, 'a cron expression such as "0 9 * * *"') ??
      "0 9 * * *",
    CATCH_UP: oneOf(env, "CATCH_UP", ["true", "false"], "true"),
    POST_ON_ARRIVAL: oneOf(env, "POST_ON_ARRIVAL", ["true", "false"], "false"),
    CATCH_UP_DAYS: whole(env, "CATCH_UP_DAYS", [0, 60, " of days"], 3),
    DELIVERY_RETRY_SECONDS: whole(env, "DELIVERY_RETRY_SECONDS", seconds(1, 3600), 30),
    DELIVERY_RETRY_MAX_SECONDS: whole(env, "DELIVERY_RETRY_MAX_SECONDS", seconds(1, 86_400), 1800),
    SEND_RATE_PER_SECOND: whole(env, "SEND_RATE_PER_SECOND", [1, 1000, ""], 50),
    DELIVERY_LEASE_SECONDS: whole(env, "DELIVERY_LEASE_SECONDS", seconds(2, 3600), 30),
    WORKER_CONCURRENCY: whole(env, "WORKER_CONCURRENCY", [1, 10_000, " of deliveries"], 50),
    // Levels are names, not spellings: INFO and Info are info.
    LOG_LEVEL: oneOf(
      { ...env, LOG_LEVEL: env.LOG_LEVEL?.toLowerCase() },
      "LOG_LEVEL",
      LOG_LEVELS,
      "info",
    ),
  };
}

/**
 * The gateway shards of this process: every shard (`ids` absent) of Discord's recommended count
 * (`auto`) or of a fixed one, or some of a fixed count (the others run in other processes).
 */
export type ShardPlan =
  | { count: "auto" }
  | { count: number; ids?: number[] }
  /** No gateway session at all: a `gateway` process answering commands over HTTP only. */
  | { count: "none" };

/** The validated configuration, passed to whatever needs it. */
export type Config = {
  role: (typeof ROLES)[number];
  discordToken: string | undefined;
  applicationId: string | undefined;
  /** Discord's REST API when not the default (an emulator); the REST proxy's upstream. */
  discordApiUrl: string | undefined;
  /** Where this process's REST requests go: the REST proxy's `/api` when one is set, else Discord's. */
  restApiUrl: string | undefined;
  /** The `rest-proxy` role listens here (on `httpHost`). */
  restProxyPort: number;
  shards: ShardPlan;
  /** Users who see this process's state (shards, lease, proxy, queue) in `/status`. */
  ownerIds: string[];
  /** Commands over HTTP: Discord POSTs interactions to this port, signed with `publicKey`. */
  interactionsHttp: { port: number; publicKey: string } | null;
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
  /** Keeps `digestsDir` fed from a git repository (DIGESTS_GIT_URL), on a schedule (UTC). */
  digestSync: {
    url: string;
    branch: string;
    path: string;
    cron: string;
    /** The clone, next to the SQLite file (or in ./data with PostgreSQL). */
    cloneDir: string;
  } | null;
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
  /** The `worker` role: how many deliveries (each one channel) it sends at once. */
  workerConcurrency: number;
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
  const value = readEnv(env);
  checkDefaultSchedule(value.DEFAULT_SCHEDULE, value.DEFAULT_TIMEZONE);
  if (value.DIGESTS_SOURCE === "database" && !isPostgresUrl(value.DATABASE_URL))
    throw new ConfigError(
      "DIGESTS_SOURCE",
      "folder unless DATABASE_URL is a postgres:// URL (only PostgreSQL stores digests for other processes)",
    );
  if (
    value.SHARDS === "none" &&
    (value.ROLE !== "gateway" || value.INTERACTIONS_HTTP_PORT === undefined)
  )
    throw new ConfigError(
      "SHARDS",
      "none only with ROLE=gateway and INTERACTIONS_HTTP_PORT (a process without a gateway session answers commands over HTTP)",
    );
  if (value.ROLE === "rest-proxy" && value.REST_PROXY_URL !== undefined)
    throw new ConfigError(
      "REST_PROXY_URL",
      "unset on the rest-proxy process itself (it sends to DISCORD_API_URL, or Discord)",
    );
  const discordApiUrl = value.DISCORD_API_URL?.replace(/\/+$/, "");
  return {
    role: value.ROLE,
    discordToken: value.DISCORD_TOKEN,
    applicationId: value.DISCORD_APPLICATION_ID,
    discordApiUrl,
    restApiUrl: value.REST_PROXY_URL
      ? `${value.REST_PROXY_URL.replace(/\/+$/, "")}/api`
      : discordApiUrl,
    restProxyPort: value.REST_PROXY_PORT,
    shards: shardPlan(value.SHARD_COUNT, value.SHARDS),
    ownerIds: value.OWNER_IDS ? value.OWNER_IDS.split(",").map((id) => id.trim()) : [],
    interactionsHttp: interactionsHttp(value.INTERACTIONS_HTTP_PORT, value.DISCORD_PUBLIC_KEY),
    devGuildId: value.DEV_GUILD_ID,
    httpPort: value.HTTP_PORT,
    httpHost: value.HTTP_HOST,
    digestsDir: value.DIGESTS_DIR,
    digestsSource: value.DIGESTS_SOURCE,
    digestsPollMs: value.DIGESTS_POLL_SECONDS * 1000,
    digestSync: value.DIGESTS_GIT_URL
      ? {
          url: value.DIGESTS_GIT_URL,
          branch: value.DIGESTS_GIT_BRANCH,
          path: value.DIGESTS_GIT_PATH,
          cron: value.DIGESTS_SYNC_CRON,
          cloneDir: join(
            isPostgresUrl(value.DATABASE_URL)
              ? "./data"
              : dirname(databasePath(value.DATABASE_URL)),
            "digests-repository",
          ),
        }
      : null,
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
    workerConcurrency: value.WORKER_CONCURRENCY,
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
  const config = parseConfig(process.env);
  // discord.js's client reads SHARDS and SHARD_COUNT again, in the JSON form its own
  // ShardingManager gives child processes (`[0,1]`, a number): read here, they go no further.
  delete process.env.SHARDS;
  delete process.env.SHARD_COUNT;
  return config;
}
