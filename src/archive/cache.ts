import type { ParseResult } from "../digest/parse.js";
import { PARSER_VERSION } from "../digest/parse.js";
import type { SqliteDatabase } from "../storage/database.js";

/** One parse result to remember; `json` is the result already as JSON, when at hand. */
export interface CacheEntry {
  path: string;
  contentHash: string;
  result: ParseResult;
  json?: string | undefined;
}

/** Remembers parse results by file and content hash, so a restart skips unchanged files. */
export interface DigestCache {
  /** The cached result when `path` was last parsed with exactly this content. */
  get(path: string, contentHash: string): ParseResult | null;
  putMany(entries: readonly CacheEntry[]): void;
  remove(path: string): void;
}

/** `DigestCache` in the SQLite state file. */
export class SqliteDigestCache implements DigestCache {
  private readonly selectStmt;
  private readonly upsertStmt;
  private readonly deleteStmt;

  constructor(private readonly db: SqliteDatabase) {
    this.selectStmt = db.prepare<[string, string, number], { result_json: string }>(
      "SELECT result_json FROM digest_cache WHERE path = ? AND content_hash = ? AND parser_version = ?",
    );
    this.upsertStmt = db.prepare(
      `INSERT INTO digest_cache (path, content_hash, parser_version, result_json) VALUES (?, ?, ?, ?)
       ON CONFLICT(path) DO UPDATE SET content_hash = excluded.content_hash,
         parser_version = excluded.parser_version, result_json = excluded.result_json,
         updated_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now')`,
    );
    this.deleteStmt = db.prepare("DELETE FROM digest_cache WHERE path = ?");
  }

  get(path: string, contentHash: string): ParseResult | null {
    const row = this.selectStmt.get(path, contentHash, PARSER_VERSION);
    if (!row) return null;
    try {
      return JSON.parse(row.result_json) as ParseResult;
    } catch {
      return null; // a damaged row is parsed again
    }
  }

  putMany(entries: readonly CacheEntry[]): void {
    if (entries.length === 0) return;
    this.db.transaction(() => {
      for (const entry of entries) {
        this.upsertStmt.run(
          entry.path,
          entry.contentHash,
          PARSER_VERSION,
          entry.json ?? JSON.stringify(entry.result),
        );
      }
    })();
  }

  remove(path: string): void {
    this.deleteStmt.run(path);
  }
}
