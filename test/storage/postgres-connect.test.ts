import { describe, expect, test } from "vitest";
import { isDatabaseError } from "../../src/delivery/store.js";
import { isPostgresUrl, openPostgresStore, redactUrl } from "../../src/storage/postgres-connect.js";
import { freePort } from "../support/ports.js";

describe("a PostgreSQL URL", () => {
  test("is told apart from a SQLite path by its scheme", () => {
    expect(isPostgresUrl("postgres://u@h/db")).toBe(true);
    expect(isPostgresUrl("postgresql://u@h/db")).toBe(true);
    expect(isPostgresUrl("POSTGRES://u@h/db")).toBe(true);
    expect(isPostgresUrl("data/paperboy.db")).toBe(false);
    expect(isPostgresUrl("/var/lib/postgres://x.db")).toBe(false);
    expect(isPostgresUrl("mysql://u@h/db")).toBe(false);
  });

  test.each([
    [
      "postgres://bot:hunter2@db.example:5432/paperboy",
      "postgres://bot:***@db.example:5432/paperboy",
      ["hunter2"],
    ],
    ["postgresql://:hunter2@db/paperboy", "postgresql://:***@db/paperboy", ["hunter2"]],
    [
      "postgres://bot:p%40ss%2Fw0rd@db/paperboy",
      "postgres://bot:***@db/paperboy",
      ["p%40ss", "p@ss", "w0rd"],
    ],
    // Unencoded `/`, `?` and `#`: a URL parser would read them as a path, query or port.
    ["postgres://bot:pa/ss@db/paperboy", "postgres://bot:***@db/paperboy", ["pa/ss"]],
    ["postgres://bot:1234?x@db/paperboy", "postgres://bot:***@db/paperboy", ["1234"]],
    ["postgres://bot:a@b#c@db/paperboy", "postgres://bot:***@db/paperboy", ["a@b#c"]],
    [
      "postgres://bot:hunter2@[unclosed/paperboy",
      "postgres://bot:***@[unclosed/paperboy",
      ["hunter2"],
    ],
    [
      "postgres://bot@db/paperboy?password=hunter2&sslmode=require",
      "postgres://bot@db/paperboy?password=***&sslmode=require",
      ["hunter2"],
    ],
    ["host=db user=bot password=hunter2", "host=db user=bot password=***", ["hunter2"]],
    ["postgres://bot@db:5432/paperboy", "postgres://bot@db:5432/paperboy", []],
    ["data/paperboy.db", "data/paperboy.db", []],
    ["", "", []],
  ])("is shown without its password: %s", (url, shown, secrets) => {
    expect(redactUrl(url)).toBe(shown);
    for (const secret of secrets) expect(redactUrl(url)).not.toContain(secret);
  });

  test("that cannot be reached fails naming DATABASE_URL and the cause, never the password", async () => {
    const port = await freePort();
    for (const url of [
      `postgres://paperboy:Sw0rdfish-42@127.0.0.1:${port}/paperboy`,
      `postgres://paperboy:Sw0rdfish%2D42@127.0.0.1:${port}/paperboy`,
      "postgres://paperboy:Sw0rdfish-42@[::1/paperboy",
    ]) {
      const error = (await openPostgresStore({ url, poolSize: 1, statementTimeoutMs: 1000 }).then(
        () => null,
        (caught: unknown) => caught,
      )) as Error;
      expect(error).toBeInstanceOf(Error);
      expect(error.message).toContain("DATABASE_URL");
      expect(error.message).toContain(redactUrl(url));
      expect(`${error.message} ${error.stack} ${JSON.stringify(error)}`).not.toMatch(/Sw0rdfish/);
      expect(error.message.split("\n")).toHaveLength(1);
    }
    const refused = await openPostgresStore({
      url: `postgres://paperboy:Sw0rdfish-42@127.0.0.1:${port}/paperboy`,
      poolSize: 1,
      statementTimeoutMs: 1000,
    }).catch((caught: unknown) => caught);
    expect(refused).toMatchObject({ code: "ECONNREFUSED" });
    expect(isDatabaseError(refused)).toBe(true);
  });
});
