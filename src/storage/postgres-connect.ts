import pg from "pg";
import { migratePostgres } from "./postgres-schema.js";
import { PostgresStore } from "./postgres-store.js";

export { isPostgresUrl } from "../config.js";

/** Where the password of `user:password@` is in `url`: after the scheme, up to the last `@`. */
function passwordSpan(url: string): [number, number] | null {
  const scheme = url.indexOf("://");
  const start = scheme >= 0 ? scheme + 3 : 0;
  const at = url.lastIndexOf("@");
  if (at <= start) return null;
  const colon = url.indexOf(":", start);
  return colon >= 0 && colon < at ? [colon + 1, at] : null;
}

const PASSWORD_PARAMETER = /((?:^|[?&\s])(?:ssl)?password=)([^&\s]*)/gi;

/**
 * The URL with its password replaced by `***`, for logs, errors and status pages. Never throws.
 * Read as text, not by a URL parser: a password holding `/`, `?` or `#` unencoded is parsed as a
 * host, port or query and would be printed whole. Any `password=` parameter (which `pg` also
 * reads) is hidden too. A `@` later in the URL than the password's hides more than needed.
 */
export function redactUrl(url: string): string {
  const span = passwordSpan(url);
  const redacted = span ? `${url.slice(0, span[0])}***${url.slice(span[1])}` : url;
  return redacted.replace(PASSWORD_PARAMETER, "$1***");
}

/** `message` with every form of the URL's passwords (as written, and decoded) hidden. */
export function hidePassword(message: string, url: string): string {
  const span = passwordSpan(url);
  const written = [
    ...(span ? [url.slice(span[0], span[1])] : []),
    ...[...url.matchAll(PASSWORD_PARAMETER)].map((match) => match[2] ?? ""),
  ].filter((secret) => secret !== "");
  const secrets = new Set(written);
  for (const secret of written) {
    try {
      secrets.add(decodeURIComponent(secret));
    } catch {
      // Not percent-encoded after all: hidden as written.
    }
  }
  let scrubbed = message;
  // Longest first, so a password containing another is hidden whole.
  for (const secret of [...secrets].sort((a, b) => b.length - a.length)) {
    scrubbed = scrubbed.split(secret).join("***");
  }
  return scrubbed;
}

export interface PostgresOptions {
  url: string;
  poolSize: number;
  /** Any one statement running longer is cancelled by the server. */
  statementTimeoutMs: number;
}

export interface PostgresConnection {
  store: PostgresStore;
  pool: pg.Pool;
  /** The last error an idle pooled connection reported (the server restarted, the network
   * dropped); null when none has. The pool replaces such a connection by itself. */
  lastPoolError(): Error | null;
  /** Ends every pooled connection; calling it again does nothing. */
  close(): Promise<void>;
}

/**
 * An unreachable server (packets dropped, not refused) otherwise keeps a connection attempt
 * waiting for the operating system's TCP timeout, minutes: start-up should fail in seconds.
 */
const CONNECT_TIMEOUT_MS = 10_000;

/**
 * Connects to the database in `url`, checks that it answers, and brings its schema up to date.
 * Errors never carry the password: a connection error is rethrown naming DATABASE_URL, the
 * redacted URL and the cause's message (scrubbed), without the cause itself.
 */
export async function openPostgresStore(options: PostgresOptions): Promise<PostgresConnection> {
  const pool = new pg.Pool({
    connectionString: options.url,
    max: options.poolSize,
    statement_timeout: options.statementTimeoutMs,
    // The server enforces statement_timeout; this bounds a call whose server stopped answering
    // (frozen, or packets dropped), which would otherwise wait for TCP to give up: hours.
    query_timeout: options.statementTimeoutMs + 5000,
    application_name: "paperboy",
    connectionTimeoutMillis: CONNECT_TIMEOUT_MS,
    keepAlive: true,
  });
  // An idle client's error is emitted on the pool; with no listener it would crash the process.
  let lastError: Error | null = null;
  pool.on("error", (error) => {
    lastError = error;
  });
  let ended: Promise<void> | undefined;
  const close = (): Promise<void> => {
    ended ??= pool.end();
    return ended;
  };
  try {
    await pool.query("SELECT 1");
  } catch (error) {
    await close().catch(() => {});
    const cause = error instanceof Error ? error.message : String(error);
    const wrapped = new Error(
      `cannot connect to the PostgreSQL database in DATABASE_URL (${redactUrl(options.url)}): ${hidePassword(cause, options.url)}`,
    );
    // The code (ECONNREFUSED, 28P01, …) tells a caller whether retrying may help.
    const code = (error as { code?: unknown } | null)?.code;
    if (typeof code === "string") Object.assign(wrapped, { code });
    throw wrapped;
  }
  try {
    await migratePostgres(pool);
  } catch (error) {
    await close().catch(() => {});
    throw error;
  }
  return { store: new PostgresStore(pool), pool, lastPoolError: () => lastError, close };
}
