import { Writable } from "node:stream";
import { describe, expect, test } from "vitest";
import { ConfigError, parseConfig } from "../src/config.js";
import { createLogger } from "../src/logger.js";

describe("configuration", () => {
  test("applies the documented defaults to an empty environment", () => {
    expect(parseConfig({})).toEqual({
      discordToken: undefined,
      applicationId: undefined,
      discordApiUrl: undefined,
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
    });
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
    ["DISCORD_APPLICATION_ID", "12ab", /DISCORD_APPLICATION_ID must be a Discord id/],
    ["DATABASE_URL", "postgres://db/paperboy", /DATABASE_URL must be a SQLite file path/],
    ["DEFAULT_TIMEZONE", "Mars/Olympus", /DEFAULT_TIMEZONE must be an IANA time zone/],
    ["DEFAULT_SCHEDULE", "every day", /DEFAULT_SCHEDULE must be a cron expression/],
    ["DEFAULT_LANGUAGE", "fr", /DEFAULT_LANGUAGE must be ko or en/],
    ["CATCH_UP", "yes", /CATCH_UP must be true or false/],
    ["SEND_RATE_PER_SECOND", "80", /SEND_RATE_PER_SECOND must be a whole number from 1 to 50/],
    ["DELIVERY_LEASE_SECONDS", "1", /DELIVERY_LEASE_SECONDS must be a whole number of seconds/],
    ["CATCH_UP_DAYS", "-1", /CATCH_UP_DAYS must be a whole number of days from 0 to 60/],
    ["DELIVERY_RETRY_SECONDS", "0", /DELIVERY_RETRY_SECONDS must be a whole number of seconds/],
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
});
