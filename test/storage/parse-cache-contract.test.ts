import { join } from "node:path";
import { afterAll, describe, expect, test } from "vitest";
import { type DigestCache, SqliteDigestCache } from "../../src/archive/cache.js";
import { type ParseResult, parseDigest } from "../../src/digest/parse.js";
import { openDatabase } from "../../src/storage/database.js";
import { openPostgresStore } from "../../src/storage/postgres-connect.js";
import { PostgresDigestCache } from "../../src/storage/postgres-digests.js";
import { postgresBackend } from "../support/backends.js";
import { digestMarkdown } from "../support/digest-files.js";
import { memoryLogger } from "../support/logger.js";
import { tempDir } from "../support/paths.js";

/** A parse cache as a process opens it, and a way to close it with every write landed. */
interface OpenedCache {
  cache: DigestCache;
  close(): Promise<void>;
}

interface CacheBackend {
  name: string;
  available: boolean;
  /** A fresh place for a cache; `open` opens it again as a restarted process would. */
  place(): Promise<string>;
  open(place: string): Promise<OpenedCache>;
}

const postgres = postgresBackend();
afterAll(() => postgres.stop());

const backends: CacheBackend[] = [
  {
    name: "SQLite file",
    available: true,
    place: async () => join(tempDir(), "cache.db"),
    open: async (path) => {
      const db = openDatabase(path);
      return {
        cache: new SqliteDigestCache(db),
        close: async () => {
          db.close();
        },
      };
    },
  },
  {
    name: "PostgreSQL",
    available: postgres.available,
    place: () => postgres.databaseUrl(tempDir()),
    open: async (url) => {
      const connection = await openPostgresStore({ url, poolSize: 2, statementTimeoutMs: 30_000 });
      const cache = await PostgresDigestCache.load(connection.pool, memoryLogger().logger);
      return {
        cache,
        close: async () => {
          await cache.flush();
          cache.close();
          await connection.close();
        },
      };
    },
  },
];

const result = (date: string, n: number): ParseResult =>
  parseDigest(digestMarkdown(date, [{ n, votes: n }]), `${date}.md`);

describe.each(backends)("the parse cache in $name", (backend) => {
  test.skipIf(!backend.available)(
    "a stored result is found again after a restart by its path and content hash, and only then",
    async () => {
      const place = await backend.place();
      const first = await backend.open(place);
      first.cache.putMany([
        { path: "2024-02-20.md", contentHash: "h1", result: result("2024-02-20", 1) },
        { path: "2024-02-21.md", contentHash: "h2", result: result("2024-02-21", 2) },
      ]);
      await first.close();
      const second = await backend.open(place);
      expect(second.cache.get("2024-02-20.md", "h1")).toEqual(result("2024-02-20", 1));
      expect(second.cache.get("2024-02-20.md", "changed")).toBeNull();
      expect(second.cache.get("2024-02-22.md", "h1")).toBeNull();
      second.cache.remove("2024-02-21.md");
      second.cache.putMany([
        { path: "2024-02-20.md", contentHash: "h3", result: result("2024-02-20", 3) },
      ]);
      await second.close();
      const third = await backend.open(place);
      expect(third.cache.get("2024-02-21.md", "h2")).toBeNull();
      expect(third.cache.get("2024-02-20.md", "h1")).toBeNull();
      expect(third.cache.get("2024-02-20.md", "h3")).toEqual(result("2024-02-20", 3));
      await third.close();
    },
    60_000,
  );

  test.skipIf(!backend.available)(
    "a file that is not a digest is cached as such: its error comes back, not a parse",
    async () => {
      const place = await backend.place();
      const first = await backend.open(place);
      const broken = parseDigest("no heading here", "notes.md");
      expect(broken.ok).toBe(false);
      first.cache.putMany([{ path: "notes.md", contentHash: "h", result: broken }]);
      await first.close();
      const second = await backend.open(place);
      expect(second.cache.get("notes.md", "h")).toEqual(broken);
      await second.close();
    },
    60_000,
  );
});
