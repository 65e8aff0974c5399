import { Writable } from "node:stream";
import { describe, expect, test } from "vitest";
import { ConfigError, parseConfig } from "../src/config.js";
import { createLogger } from "../src/logger.js";

describe("configuration", () => {
  test("applies the documented defaults to an empty environment", () => {
    expect(parseConfig({})).toEqual({
      role: "all",
      discordToken: undefined,
      applicationId: undefined,
      discordApiUrl: undefined,
      restApiUrl: undefined,
      restProxyPort: 8080,
      shards: { count: "auto" },
      interactionsHttp: null,
      ownerIds: [],
      devGuildId: undefined,
      httpPort: undefined,
      httpHost: "127.0.0.1",
      digestsDir: "./digests",
      databasePath: "./data/paperboy.db",
      logLevel: "info",
      defaults: { language: "ko", timezone: "UTC", schedule: "0 9 * * *" },
      catchUp: true,
      postOnArrival: false,
      catchUpDays: 3,
      deliveryRetry: { baseMs: 30_000, maxMs: 1_800_000 },
      sendRatePerSecond: 50,
      deliveryLeaseMs: 30_000,
      workerConcurrency: 50,
      postgres: null,
      digestsSource: "folder",
      digestsPollMs: 10_000,
      digestSync: null,
    });
  });

  test("a postgres:// or postgresql:// DATABASE_URL selects PostgreSQL with its pool size and statement timeout", () => {
    const url = "postgres://paperboy:s3cret@db.example.org:5432/paperboy";
    expect(parseConfig({ DATABASE_URL: url })).toMatchObject({
      databasePath: "",
      postgres: { url, poolSize: 10, statementTimeoutMs: 30_000 },
    });
    const other = parseConfig({
      DATABASE_URL: "postgresql://db.example.org/paperboy",
      DATABASE_POOL_SIZE: "4",
      DATABASE_STATEMENT_TIMEOUT_SECONDS: "12",
      DIGESTS_SOURCE: "database",
      DIGESTS_POLL_SECONDS: "5",
    });
    expect(other).toMatchObject({
      postgres: { poolSize: 4, statementTimeoutMs: 12_000 },
      digestsSource: "database",
      digestsPollMs: 5000,
    });
  });

  test("a PostgreSQL server on a Unix socket is named by a host parameter", () => {
    const url = "postgres:///paperboy?host=/var/run/postgresql";
    expect(parseConfig({ DATABASE_URL: url })).toMatchObject({ postgres: { url } });
  });

  test("a PostgreSQL URL that cannot be read is named without its password", () => {
    expect(() => parseConfig({ DATABASE_URL: "postgres://paperboy:s3cret@" })).toThrow(
      /DATABASE_URL must be a PostgreSQL URL/,
    );
    try {
      parseConfig({ DATABASE_URL: "postgres://paperboy:s3cret@" });
    } catch (error) {
      expect((error as Error).message).not.toContain("s3cret");
    }
  });

  test("reads every key it documents", () => {
    const config = parseConfig({
      DISCORD_TOKEN: "abc.def.ghi",
      DISCORD_APPLICATION_ID: "123456789012345678",
      DISCORD_API_URL: "http://127.0.0.1:3000/api",
      DIGESTS_DIR: "/srv/digests",
      DATABASE_URL: "sqlite:/var/lib/paperboy/state.db",
      LOG_LEVEL: "debug",
    });
    expect(config).toMatchObject({
      discordToken: "abc.def.ghi",
      applicationId: "123456789012345678",
      discordApiUrl: "http://127.0.0.1:3000/api",
      digestsDir: "/srv/digests",
      databasePath: "/var/lib/paperboy/state.db",
      logLevel: "debug",
    });
  });

  test.each([
    ["LOG_LEVEL", "loud", /LOG_LEVEL must be one of fatal, error/],
    ["DISCORD_API_URL", "127.0.0.1:3000", /DISCORD_API_URL must be an http\(s\) URL/],
    ["DISCORD_API_URL", "http://127.0.0.1:3000", /DISCORD_API_URL must be .* ending in \/api/],
    [
      "DISCORD_API_URL",
      "https://discord.com/api/v10",
      /DISCORD_API_URL must be .* ending in \/api/,
    ],
    ["DISCORD_APPLICATION_ID", "12ab", /DISCORD_APPLICATION_ID must be a Discord id/],
    [
      "DATABASE_URL",
      "mysql://db/paperboy",
      /DATABASE_URL must be a SQLite file path .* or a postgres/,
    ],
    ["DIGESTS_SOURCE", "cloud", /DIGESTS_SOURCE must be folder or database/],
    [
      "DIGESTS_SOURCE",
      "database",
      /DIGESTS_SOURCE must be folder unless DATABASE_URL is a postgres/,
    ],
    ["DATABASE_POOL_SIZE", "0", /DATABASE_POOL_SIZE must be a whole number of connections from 1/],
    [
      "DATABASE_STATEMENT_TIMEOUT_SECONDS",
      "soon",
      /DATABASE_STATEMENT_TIMEOUT_SECONDS must be a whole number of seconds/,
    ],
    ["DEFAULT_TIMEZONE", "Mars/Olympus", /DEFAULT_TIMEZONE must be an IANA time zone/],
    ["DEFAULT_SCHEDULE", "every day", /DEFAULT_SCHEDULE must be a cron expression/],
    ["DEFAULT_LANGUAGE", "fr", /DEFAULT_LANGUAGE must be ko or en/],
    ["CATCH_UP", "yes", /CATCH_UP must be true or false/],
    ["SEND_RATE_PER_SECOND", "1001", /SEND_RATE_PER_SECOND must be a whole number from 1 to 1000/],
    ["DELIVERY_LEASE_SECONDS", "1", /DELIVERY_LEASE_SECONDS must be a whole number of seconds/],
    ["CATCH_UP_DAYS", "-1", /CATCH_UP_DAYS must be a whole number of days from 0 to 60/],
    ["DELIVERY_RETRY_SECONDS", "0", /DELIVERY_RETRY_SECONDS must be a whole number of seconds/],
    ["OWNER_IDS", "123456789012345678,me", /OWNER_IDS must be Discord user ids/],
  ])("a bad %s stops start-up with one line naming the key", (key, value, message) => {
    let error: unknown;
    try {
      parseConfig({ [key]: value });
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).key).toBe(key);
    expect((error as Error).message).toMatch(message);
    expect((error as Error).message).not.toContain("\n");
  });

  test("REST_PROXY_URL sends every REST request of the process through the proxy's /api", () => {
    const config = parseConfig({
      DISCORD_API_URL: "http://127.0.0.1:3000/api",
      REST_PROXY_URL: "http://10.0.0.5:8080/",
    });
    expect(config.restApiUrl).toBe("http://10.0.0.5:8080/api");
    expect(config.discordApiUrl).toBe("http://127.0.0.1:3000/api");
    expect(parseConfig({ DISCORD_API_URL: "http://e/api" }).restApiUrl).toBe("http://e/api");
    expect(parseConfig({ DISCORD_API_URL: "http://e/api/" }).restApiUrl).toBe("http://e/api");
    expect(() => parseConfig({ REST_PROXY_URL: "10.0.0.5:8080" })).toThrow(
      "REST_PROXY_URL must be the http(s) URL of the rest-proxy process",
    );
  });

  test("ROLE names what the process does, and the proxy itself takes no REST_PROXY_URL", () => {
    expect(parseConfig({ ROLE: "rest-proxy", REST_PROXY_PORT: "9000" })).toMatchObject({
      role: "rest-proxy",
      restProxyPort: 9000,
    });
    for (const role of ["all", "gateway", "worker", "scheduler"] as const)
      expect(parseConfig({ ROLE: role }).role).toBe(role);
    expect(() => parseConfig({ ROLE: "proxy" })).toThrow(
      "ROLE must be one of all, gateway, worker, scheduler, rest-proxy",
    );
    expect(() => parseConfig({ WORKER_CONCURRENCY: "0" })).toThrow(
      "WORKER_CONCURRENCY must be a whole number of deliveries from 1 to 10000",
    );
    expect(() =>
      parseConfig({ ROLE: "rest-proxy", REST_PROXY_URL: "http://127.0.0.1:8080" }),
    ).toThrow("REST_PROXY_URL must be unset on the rest-proxy process itself");
    expect(() => parseConfig({ REST_PROXY_PORT: "70000" })).toThrow(
      "REST_PROXY_PORT must be a whole number from 0 to 65535",
    );
  });

  test("SHARD_COUNT and SHARDS say which gateway shards this process runs", () => {
    expect(parseConfig({ SHARD_COUNT: "8" }).shards).toEqual({ count: 8 });
    expect(parseConfig({ SHARD_COUNT: "8", SHARDS: "0-3" }).shards).toEqual({
      count: 8,
      ids: [0, 1, 2, 3],
    });
    expect(parseConfig({ SHARD_COUNT: "8", SHARDS: "6, 1-2,1" }).shards).toEqual({
      count: 8,
      ids: [1, 2, 6],
    });
    expect(() => parseConfig({ SHARDS: "0-3" })).toThrow(
      "SHARD_COUNT must be a number when SHARDS names some shards",
    );
    expect(() => parseConfig({ SHARD_COUNT: "4", SHARDS: "2-4" })).toThrow(
      "SHARDS must be shard ids below SHARD_COUNT (4): 0 to 3",
    );
    expect(() => parseConfig({ SHARD_COUNT: "4", SHARDS: "3-1" })).toThrow(
      "SHARDS must be all, none (commands over HTTP only), a range such as 0-7, or a list such as 0,2,4",
    );
    expect(() => parseConfig({ SHARD_COUNT: "0" })).toThrow(
      "SHARD_COUNT must be auto or a whole number of shards from 1",
    );
  });

  test("INTERACTIONS_HTTP_PORT needs the application's public key to check signatures", () => {
    const key = "ab".repeat(32);
    expect(
      parseConfig({ INTERACTIONS_HTTP_PORT: "8443", DISCORD_PUBLIC_KEY: key }).interactionsHttp,
    ).toEqual({ port: 8443, publicKey: key });
    expect(() => parseConfig({ INTERACTIONS_HTTP_PORT: "8443" })).toThrow(
      "DISCORD_PUBLIC_KEY must be set when INTERACTIONS_HTTP_PORT is",
    );
    expect(() =>
      parseConfig({ INTERACTIONS_HTTP_PORT: "8443", DISCORD_PUBLIC_KEY: "abc" }),
    ).toThrow("DISCORD_PUBLIC_KEY must be the application's public key: 64 hex characters");
  });

  test("DIGESTS_GIT_URL keeps the digests folder fed from a repository, with the upstream layout by default", () => {
    expect(parseConfig({}).digestSync).toBeNull();
    expect(
      parseConfig({
        DIGESTS_GIT_URL: "https://github.com/l-yohai/daily_papers_ko.git",
        DATABASE_URL: "/var/lib/paperboy/state.db",
      }).digestSync,
    ).toEqual({
      url: "https://github.com/l-yohai/daily_papers_ko.git",
      branch: "main",
      path: "paper_logs",
      cron: "0 * * * *",
      cloneDir: "/var/lib/paperboy/digests-repository",
    });
    expect(() => parseConfig({ DIGESTS_GIT_URL: "--upload-pack=x" })).toThrow(
      /DIGESTS_GIT_URL must be a git repository URL/,
    );
    expect(() =>
      parseConfig({ DIGESTS_GIT_URL: "file:///r", DIGESTS_SYNC_CRON: "hourly" }),
    ).toThrow(/DIGESTS_SYNC_CRON must be a cron expression/);
    expect(() => parseConfig({ DIGESTS_GIT_URL: "file:///r", DIGESTS_GIT_PATH: "../etc" })).toThrow(
      /DIGESTS_GIT_PATH must be a folder inside the repository/,
    );
  });

  test("LOG_LEVEL is a level's name in any case", () => {
    expect(parseConfig({ LOG_LEVEL: "INFO" }).logLevel).toBe("info");
    expect(parseConfig({ LOG_LEVEL: "Debug" }).logLevel).toBe("debug");
  });

  test("treats an empty value as unset", () => {
    expect(parseConfig({ DIGESTS_DIR: "", LOG_LEVEL: " " })).toMatchObject({
      digestsDir: "./digests",
      logLevel: "info",
    });
  });
});

describe("logger", () => {
  test("never writes a token, wherever it sits in the logged object", () => {
    const lines: string[] = [];
    const sink = new Writable({
      write(chunk, _encoding, done) {
        lines.push(String(chunk));
        done();
      },
    });
    const log = createLogger({ level: "info", destination: sink }).child({ subsystem: "test" });
    const secret = "MTIzNDU2.secret.token";
    log.info(
      {
        token: secret,
        config: { discordToken: secret },
        req: { headers: { authorization: `Bot ${secret}` } },
      },
      "hello",
    );
    const output = lines.join("");
    expect(output).toContain('"subsystem":"test"');
    expect(output).toContain("[redacted]");
    expect(output).not.toContain(secret);
  });

  test("never writes a PostgreSQL password that travels in a URL or a config object", () => {
    const lines: string[] = [];
    const sink = new Writable({
      write(chunk, _encoding, done) {
        lines.push(String(chunk));
        done();
      },
    });
    const log = createLogger({ level: "info", destination: sink });
    const url = "postgres://paperboy:pg-s3cret@db/paperboy";
    log.info({ DATABASE_URL: url, config: { postgres: { url } }, password: "pg-s3cret" }, "hi");
    expect(lines.join("")).not.toContain("pg-s3cret");
  });
});
