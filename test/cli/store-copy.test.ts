import { existsSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import Database from "better-sqlite3";
import pg from "pg";
import { afterAll, afterEach, beforeAll, describe, expect, test } from "vitest";
import { main } from "../../src/cli/main.js";
import type { DeliveryPlan } from "../../src/delivery/model.js";
import type { Store } from "../../src/delivery/store.js";
import { openDatabase } from "../../src/storage/database.js";
import { openPostgresStore, type PostgresConnection } from "../../src/storage/postgres-connect.js";
import { SqliteStore } from "../../src/storage/sqlite-store.js";
import { CopyMismatchError, copyStore, TABLES } from "../../src/storage/store-copy.js";
import {
  openSide,
  parseLocation,
  type Side,
  sameDatabase,
} from "../../src/storage/store-copy-sides.js";
import { postgresBackend } from "../support/backends.js";
import { tempDir } from "../support/paths.js";
import { freePort } from "../support/ports.js";
import { POSTGRES_SKIP_LINE, postgresBinDir, REQUIRE_POSTGRES } from "../support/postgres.js";

const postgresAvailable = postgresBinDir() !== null;

const postgres = postgresBackend();
afterAll(() => postgres.stop());
const freshDatabase = (): Promise<string> => postgres.databaseUrl("");

/** What a test opened, closed after it. */
const opened: { close(): unknown }[] = [];
afterEach(async () => {
  for (const handle of opened.splice(0)) await handle.close();
});

/** `paperboy store …` with its output captured. */
async function paperboy(...args: string[]) {
  let out = "";
  let err = "";
  const code = await main(["store", ...args], {
    out: (text) => {
      out += text;
    },
    err: (text) => {
      err += text;
    },
  });
  return { code, out, err };
}

const GUILD = "900000000000000001";
const GUILD_2 = "900000000000000002";
const [A, B, C] = ["100000000000000001", "100000000000000002", "100000000000000003"];

function plan(channelId: string, digestDate: string, kind: DeliveryPlan["kind"]): DeliveryPlan {
  return {
    channelId,
    guildId: GUILD,
    digestDate,
    kind,
    mode: "thread",
    language: "ko",
    paperKeys: ["2401.00001", "2401.00002"],
    steps: [0, 1, 2].map((i) => ({
      role: i === 0 ? "header" : "papers",
      payload: { content: `part ${i}`, embeds: [], allowed_mentions: { parse: [] } },
    })),
  };
}

/** A SQLite file as a bot that ran for a while leaves it; returns its delivery ids. */
async function buildSource(path: string, small = false): Promise<number[]> {
  const db = openDatabase(path);
  const store = new SqliteStore(db);
  const subscription = {
    guildId: GUILD,
    minVotes: null,
    topN: null,
    includeKeywords: [] as string[],
    excludeKeywords: [] as string[],
    mentionRoleId: null,
    forumTagId: null,
    style: "embeds" as const,
    createdBy: "700000000000000001",
  };
  await store.saveGuildSettings(GUILD, {
    language: "en",
    timezone: "Asia/Seoul",
    schedule: "30 8 * * *",
    lastRunAt: "2024-02-20T00:00:00.000Z",
  });
  await store.saveSubscription({ ...subscription, channelId: A, mode: "embeds" });
  const id = async (p: DeliveryPlan) => (await store.createDelivery(p))?.id ?? 0;
  const done = await id(plan(A, "2024-02-19", "scheduled"));
  for (const seq of [0, 1, 2]) {
    await store.recordAttempt(done, seq, 1_708_400_000_000 + seq);
    await store.markStep(done, seq, "sent", `80000000000000000${seq}`);
  }
  await store.finishDelivery(done, "done", null);
  if (small) {
    db.close();
    return [done];
  }
  await store.saveGuildSettings(GUILD_2, { language: "ko" });
  await store.saveSubscription({
    ...subscription,
    channelId: B,
    mode: "thread",
    minVotes: 5,
    topN: 10,
    includeKeywords: ["diffusion", "LLM"],
    excludeKeywords: ["survey"],
    mentionRoleId: "600000000000000001",
  });
  await store.saveSubscription({
    ...subscription,
    channelId: C,
    mode: "forum",
    forumTagId: "500000000000000001",
    style: "cards",
  });
  await store.pauseSubscription(C, "Missing Access");
  await store.markPauseNotified(C);
  // Half sent: a thread, a skipped step, a pending one that failed once.
  const pending = await id(plan(B, "2024-02-20", "scheduled"));
  await store.markStep(pending, 0, "sent", "810000000000000000");
  await store.setThread(pending, "820000000000000000");
  await store.markStep(pending, 1, "skipped", null, "50035: too long");
  await store.recordAttempt(pending, 2, 1_708_400_100_000);
  await store.stepError(pending, 2, "503 Service Unavailable");
  const update = await id({
    ...plan(B, "2024-02-20", "update"),
    update: { of: pending, threadId: "820000000000000000", key: "2401.00003" },
  });
  const failed = await id(plan(A, "2024-02-20", "manual"));
  await store.finishDelivery(failed, "failed", "Missing Permissions");
  const paused = await id(plan(C, "2024-02-20", "scheduled"));
  await store.finishDelivery(paused, "paused", "Missing Access");
  await store.acquireLease("deliverer", "host-1:4242", 60_000);
  const cache = db.prepare(
    "INSERT INTO digest_cache (path, content_hash, parser_version, result_json) VALUES (?, ?, 2, ?)",
  );
  // A digest's date is its parsed date, whatever the file is called; a failed parse has none.
  const parsed = (date: string) => ({ ok: true, digest: { date, papers: [], warnings: [] } });
  cache.run("2024-02-19.md", "h1", JSON.stringify(parsed("2024-02-19")));
  cache.run("2024/02/20.md", "h2", JSON.stringify(parsed("2024-02-20")));
  cache.run("notes/undated.md", "h3", JSON.stringify(parsed("2024-02-18")));
  cache.run("broken.md", "h4", JSON.stringify({ ok: false, error: { file: "broken.md" } }));
  db.close();
  return [done, pending, update, failed, paused];
}

/** Everything a store tells about the ledger, for comparing two stores. */
async function reads(store: Store, ids: readonly number[]) {
  return {
    subscriptions: await store.subscriptions(),
    settings: [await store.guildSettings(GUILD), await store.guildSettings(GUILD_2)],
    deliveries: await Promise.all([...ids, 999].map((id) => store.delivery(id))),
    steps: await Promise.all(ids.map((id) => store.steps(id))),
    unfinished: await store.unfinishedDeliveries(),
    last: await store.lastDeliveries(100),
    lastDeliveredAt: await store.lastDeliveredAt(),
    lease: await store.lease("deliverer"),
  };
}

async function sqliteReads(path: string, ids: readonly number[]) {
  const db = openDatabase(path);
  try {
    return await reads(new SqliteStore(db), ids);
  } finally {
    db.close();
  }
}

/** Every row of every copied table of a SQLite file, every column, in key order. */
function dump(path: string): Record<string, unknown[]> {
  const db = new Database(path, { readonly: true });
  try {
    return Object.fromEntries(
      TABLES.map((t) => [
        t.sqlite,
        db.prepare(`SELECT * FROM ${t.sqlite} ORDER BY ${t.key.join(", ")}`).all(),
      ]),
    );
  } finally {
    db.close();
  }
}

async function connect(url: string): Promise<PostgresConnection> {
  const connection = await openPostgresStore({ url, poolSize: 2, statementTimeoutMs: 30_000 });
  opened.push(connection);
  return connection;
}

const counted = (out: string, table: string): number =>
  Number(new RegExp(`^${table}\\s+(\\d+)$`, "m").exec(out)?.[1]);

test("PostgreSQL binaries are present when CI requires them", () => {
  if (!postgresAvailable) console.log(POSTGRES_SKIP_LINE);
  if (REQUIRE_POSTGRES) expect(postgresAvailable, POSTGRES_SKIP_LINE).toBe(true);
});

describe("paperboy store copy between SQLite files", () => {
  test("TABLES names every column of every SQLite table but health_probe", () => {
    const db = openDatabase(":memory:");
    const tables = db
      .prepare<[], { name: string }>(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name",
      )
      .all()
      .map((row) => row.name);
    expect(tables).toEqual([...TABLES.map((t) => t.sqlite), "health_probe"].sort());
    for (const table of TABLES) {
      const columns = db.pragma(`table_info(${table.sqlite})`) as { name: string }[];
      expect(columns.map((c) => c.name).sort()).toEqual([...table.columns].sort());
    }
    db.close();
  });

  test("copies every row and column, prints the counts, and the copy hands out new ids", async () => {
    const dir = tempDir();
    const [from, to] = [join(dir, "from.db"), join(dir, "sub", "to.db")];
    const ids = await buildSource(from);
    const result = await paperboy("copy", "--from", from, "--to", `sqlite:${to}`);
    expect(result.err).toBe("");
    expect(result.code).toBe(0);
    expect(counted(result.out, "deliveries")).toBe(5);
    expect(counted(result.out, "delivery_steps")).toBe(15);
    expect(counted(result.out, "digest_cache")).toBe(4);
    expect(result.out).toMatch(/^copied 30 rows from .* \(highest delivery id 5, 4 sent steps\)$/m);
    expect(result.out.trim().split("\n")).toHaveLength(TABLES.length + 1);
    expect(dump(to)).toEqual(dump(from));
    const db = openDatabase(to);
    const next = await new SqliteStore(db).createDelivery(plan(A, "2024-02-21", "scheduled"));
    db.close();
    expect(next?.id).toBe(Math.max(...ids) + 1);
  });

  test("refuses a target that holds rows unless --force, which replaces them", async () => {
    const dir = tempDir();
    const [big, small, to] = ["big.db", "small.db", "to.db"].map((name) => join(dir, name)) as [
      string,
      string,
      string,
    ];
    await buildSource(big);
    await buildSource(small, true);
    expect((await paperboy("copy", "--from", big, "--to", to)).code).toBe(0);
    const refused = await paperboy("copy", "--from", small, "--to", to);
    expect(refused.code).toBe(1);
    expect(refused.out).toBe("");
    expect(refused.err).toMatch(/already holds rows \(.*deliveries 5.*\).*--force/);
    expect(refused.err.trim().split("\n")).toHaveLength(1);
    expect(dump(to)).toEqual(dump(big));
    const forced = await paperboy("copy", "--from", small, "--to", to, "--force");
    expect(forced.code, forced.err).toBe(0);
    expect(counted(forced.out, "deliveries")).toBe(1);
    expect(dump(to)).toEqual(dump(small));
  });

  test("a target holding someone else's tables is left alone unless --force", async () => {
    const dir = tempDir();
    const from = join(dir, "from.db");
    await buildSource(from, true);
    const other = join(dir, "other.db");
    const foreign = new Database(other);
    foreign.exec("CREATE TABLE users (id INTEGER PRIMARY KEY); INSERT INTO users VALUES (1)");
    foreign.close();
    const refused = await paperboy("copy", "--from", from, "--to", other);
    expect(refused.code).toBe(1);
    expect(refused.err).toMatch(
      /^--to: .*other\.db: holds tables but is not a Paperboy database; give --force/,
    );
    const peek = new Database(other, { readonly: true });
    const names = peek.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").all();
    peek.close();
    expect(names).toEqual([{ name: "users" }]);
    const forced = await paperboy("copy", "--from", from, "--to", other, "--force");
    expect(forced.code, forced.err).toBe(0);
  });

  test("a copy that does not match its source is rolled back", async () => {
    const dir = tempDir();
    await buildSource(join(dir, "from.db"));
    const from = await openSide(parseLocation(join(dir, "from.db")), true);
    const real = await openSide(parseLocation(join(dir, "to.db")), false);
    // A target that loses the first step of every batch.
    const lossy: Side = {
      ...real,
      transaction: (mode, work) =>
        real.transaction(mode, (session) =>
          work({
            ...session,
            insert: (table, columns, rows) =>
              session.insert(table, columns, table === "delivery_steps" ? rows.slice(1) : rows),
          }),
        ),
    };
    const error = await copyStore(from, lossy).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CopyMismatchError);
    const { report } = error as CopyMismatchError;
    expect(report.tables.find((t) => t.name === "delivery_steps")).toEqual({
      name: "delivery_steps",
      source: "15",
      target: "14",
    });
    expect(report.checks.find((t) => t.name === "sent steps")).toEqual({
      name: "sent steps",
      source: "4",
      target: "3",
    });
    await Promise.all([from.close(), real.close()]);
    expect(Object.values(dump(join(dir, "to.db"))).flat()).toEqual([]);
  });

  test("source and target are the same database when their file or server and database match", () => {
    const same = (a: string, b: string) => sameDatabase(parseLocation(a), parseLocation(b));
    const dir = tempDir();
    expect(same(join(dir, "x.db"), `sqlite:${join(dir, ".", "x.db")}`)).toBe(true);
    expect(same(join(dir, "x.db"), join(dir, "y.db"))).toBe(false);
    expect(same("postgres://u@localhost:5433/db", "postgresql://v:pw@127.0.0.1:5433/db")).toBe(
      true,
    );
    expect(same("postgres://u@db.example.org/db", "postgres://u@db.example.org:5432/db")).toBe(
      true,
    );
    expect(same("postgres://u@h/db", "postgres://u@h/other")).toBe(false);
    expect(same("postgres://u@h/db", "postgres://u@h/db?host=elsewhere")).toBe(false);
    expect(same("postgres://u@h/db", join(dir, "db"))).toBe(false);
  });

  test("usage errors exit 2; a missing or foreign source exits 1 naming --from", async () => {
    const dir = tempDir();
    const db = join(dir, "a.db");
    await buildSource(db, true);
    const usage = [
      [],
      ["move"],
      ["copy"],
      ["copy", "--from", db],
      ["copy", "--to", db],
      ["copy", "--from", db, "--to", `sqlite:${db}`],
      ["copy", "--from", db, "--to", join(dir, "b.db"), "--bogus"],
      ["copy", "--from", db, "--to", join(dir, "b.db"), "extra"],
    ];
    for (const args of usage) {
      const result = await paperboy(...args);
      expect(result.code, args.join(" ")).toBe(2);
      expect(result.err).toContain("usage: paperboy store copy");
    }
    expect(existsSync(join(dir, "b.db"))).toBe(false);
    const missing = await paperboy(
      "copy",
      "--from",
      join(dir, "nope.db"),
      "--to",
      join(dir, "c.db"),
    );
    expect(missing.code).toBe(1);
    expect(missing.err).toMatch(/^--from: .*nope\.db: no such file\n$/);
    expect(existsSync(join(dir, "nope.db"))).toBe(false);
    writeFileSync(join(dir, "empty.db"), "");
    const foreign = await paperboy(
      "copy",
      "--from",
      join(dir, "empty.db"),
      "--to",
      join(dir, "c.db"),
    );
    expect(foreign.code).toBe(1);
    expect(foreign.err).toMatch(/^--from: .* is not a Paperboy database/);
  });
});

describe.skipIf(!postgresAvailable)("paperboy store copy with PostgreSQL", () => {
  beforeAll(() => postgres.databaseUrl(""), 120_000);

  test("TABLES names every column of every PostgreSQL table but health_probe", async () => {
    const { pool } = await connect(await freshDatabase());
    const { rows } = await pool.query<{ table_name: string; column_name: string }>(
      `SELECT table_name, column_name FROM information_schema.columns
       WHERE table_schema = 'public' AND table_name NOT IN ('health_probe', 'schema_version')`,
    );
    for (const table of TABLES) {
      const columns = rows.filter((r) => r.table_name === table.postgres).map((r) => r.column_name);
      const expected = [...table.columns, ...(table.postgresOnly ? ["digest_date"] : [])];
      expect(columns.sort(), table.postgres).toEqual(expected.sort());
    }
    expect(new Set(rows.map((r) => r.table_name)).size).toBe(TABLES.length);
  });

  test("SQLite → PostgreSQL → SQLite keeps every read, row and column; new ids follow the copied ones", async () => {
    const dir = tempDir();
    const [from, back] = [join(dir, "from.db"), join(dir, "back.db")];
    const ids = await buildSource(from);
    const url = await freshDatabase();
    const there = await paperboy("copy", "--from", from, "--to", url);
    expect(there.err).toBe("");
    expect(there.code).toBe(0);
    expect(counted(there.out, "digest_cache → digests")).toBe(4);
    const { store, pool } = await connect(url);
    const original = await sqliteReads(from, ids);
    expect(await reads(store, ids)).toEqual(original);
    const dates = await pool.query(
      'SELECT path, digest_date FROM digests ORDER BY path COLLATE "C"',
    );
    expect(dates.rows).toEqual([
      { path: "2024-02-19.md", digest_date: "2024-02-19" },
      { path: "2024/02/20.md", digest_date: "2024-02-20" },
      { path: "broken.md", digest_date: null },
      { path: "notes/undated.md", digest_date: "2024-02-18" },
    ]);

    const home = await paperboy("copy", "--from", url, "--to", back);
    expect(home.err).toBe("");
    expect(home.code).toBe(0);
    expect(counted(home.out, "digests → digest_cache")).toBe(4);
    expect(await sqliteReads(back, ids)).toEqual(original);
    expect(dump(back)).toEqual(dump(from));

    const next = await store.createDelivery(plan(A, "2024-02-21", "scheduled"));
    expect(next?.id).toBe(Math.max(...ids) + 1);
  });

  test("PostgreSQL → PostgreSQL keeps every read and the parse cache's dates", async () => {
    const dir = tempDir();
    const ids = await buildSource(join(dir, "from.db"));
    const [first, second] = [await freshDatabase(), await freshDatabase()];
    expect((await paperboy("copy", "--from", join(dir, "from.db"), "--to", first)).code).toBe(0);
    // PostgreSQL → PostgreSQL keeps a digest's date as it was, not worked out again.
    const a = await connect(first);
    await a.pool.query(
      "UPDATE digests SET digest_date = '2024-01-01' WHERE path = 'notes/undated.md'",
    );
    const result = await paperboy("copy", "--from", first, "--to", `postgresql${second.slice(8)}`);
    expect(result.code, result.err).toBe(0);
    const b = await connect(second);
    expect(await reads(b.store, ids)).toEqual(await reads(a.store, ids));
    const digests = "SELECT * FROM digests ORDER BY path";
    expect((await b.pool.query(digests)).rows).toEqual((await a.pool.query(digests)).rows);
    expect((await b.store.createDelivery(plan(A, "2024-02-21", "scheduled")))?.id).toBe(6);
  });

  test("refuses a PostgreSQL target that holds rows unless --force, which replaces them", async () => {
    const dir = tempDir();
    const [big, small] = [join(dir, "big.db"), join(dir, "small.db")];
    const ids = await buildSource(big);
    await buildSource(small, true);
    const url = await freshDatabase();
    expect((await paperboy("copy", "--from", big, "--to", url)).code).toBe(0);
    const { store } = await connect(url);
    const before = await reads(store, ids);
    const refused = await paperboy("copy", "--from", small, "--to", url);
    expect(refused.code).toBe(1);
    expect(refused.err).toMatch(/^--to postgres:\/\/.* already holds rows .*--force.*\n$/);
    expect(await reads(store, ids)).toEqual(before);
    const forced = await paperboy("copy", "--from", small, "--to", url, "--force");
    expect(forced.code, forced.err).toBe(0);
    expect(await reads(store, ids)).toEqual(await sqliteReads(small, ids));
    // The identity restarts after the copied ids, not after the replaced ones' or at 1.
    expect((await store.createDelivery(plan(B, "2024-02-21", "scheduled")))?.id).toBe(2);
  });

  test("a PostgreSQL password is never printed, and a connection error names its side", async () => {
    const dir = tempDir();
    await buildSource(join(dir, "from.db"), true);
    const secret = "S3cret-Pass";
    const url = (await freshDatabase()).replace("paperboy@", `paperboy:${secret}@`);
    const copied = await paperboy("copy", "--from", join(dir, "from.db"), "--to", url);
    expect(copied.code, copied.err).toBe(0);
    expect(copied.out).toContain("paperboy:***@");
    const refused = await paperboy("copy", "--from", join(dir, "from.db"), "--to", url);
    expect(refused.code).toBe(1);
    const back = await paperboy("copy", "--from", url, "--to", join(dir, "back.db"));
    expect(back.code, back.err).toBe(0);
    const closed = `postgres://paperboy:${secret}@127.0.0.1:${await freePort()}/x?password=${secret}`;
    const unreachable = await paperboy("copy", "--from", join(dir, "from.db"), "--to", closed);
    expect(unreachable.code).toBe(1);
    expect(unreachable.err).toMatch(/^--to: cannot connect to postgres:\/\/paperboy:\*\*\*@.*\n$/);
    for (const result of [copied, refused, back, unreachable]) {
      expect(result.out + result.err).not.toContain(secret);
    }
  });

  test("a PostgreSQL target holding someone else's tables is left alone unless --force", async () => {
    const from = join(tempDir(), "from.db");
    await buildSource(from, true);
    const url = await freshDatabase();
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    await client.query("CREATE TABLE users (id int PRIMARY KEY); INSERT INTO users VALUES (1)");
    const refused = await paperboy("copy", "--from", from, "--to", url);
    expect(refused.code).toBe(1);
    expect(refused.err).toMatch(
      /^--to: .* holds tables but is not a Paperboy database; give --force/,
    );
    const before = await client.query("SELECT to_regclass('deliveries') AS t");
    expect(before.rows[0].t).toBeNull();
    const forced = await paperboy("copy", "--from", from, "--to", url, "--force");
    expect(forced.code, forced.err).toBe(0);
    const after = await client.query("SELECT count(*)::int AS n FROM users");
    expect(after.rows[0].n).toBe(1);
    await client.end();
  });

  test("a PostgreSQL source must already be a Paperboy database, and is not given tables", async () => {
    const url = await freshDatabase();
    const result = await paperboy("copy", "--from", url, "--to", join(tempDir(), "to.db"));
    expect(result.code).toBe(1);
    expect(result.err).toMatch(/^--from: .* is not a Paperboy database/);
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    const tables = await client.query("SELECT to_regclass('deliveries') AS t");
    await client.end();
    expect(tables.rows[0].t).toBeNull();
  });

  test("copies 100,000 steps in batches, and NUL in text arrives as U+FFFD", async () => {
    const from = join(tempDir(), "from.db");
    await buildSource(from, true);
    const db = openDatabase(from);
    db.prepare("UPDATE deliveries SET error = ?").run("bad\u0000byte");
    const step = db.prepare(
      "INSERT INTO delivery_steps (delivery_id, seq, role, nonce, payload, status) VALUES (?, ?, 'papers', ?, '{}', ?)",
    );
    const delivery = db.prepare(
      "INSERT INTO deliveries (id, channel_id, digest_date, kind, mode, language) VALUES (?, ?, '2024-02-21', 'manual', 'embeds', 'ko')",
    );
    db.transaction(() => {
      for (let id = 2; id <= 1001; id++) {
        delivery.run(id, A);
        for (let seq = 0; seq < 100; seq++) {
          step.run(id, seq, `n${id}.${seq}`, seq % 2 ? "sent" : "pending");
        }
      }
    })();
    db.close();
    const url = await freshDatabase();
    const result = await paperboy("copy", "--from", from, "--to", url);
    expect(result.code, result.err).toBe(0);
    expect(counted(result.out, "delivery_steps")).toBe(100_003);
    expect(result.out).toContain("(highest delivery id 1001, 50003 sent steps)");
    const { store } = await connect(url);
    expect((await store.delivery(1))?.error).toBe("bad\uFFFDbyte");
    expect((await store.steps(1001)).map((s) => s.seq)).toEqual([...Array(100).keys()]);
  }, 120_000);
});
