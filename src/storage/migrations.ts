/**
 * Schema steps, applied in order; the file's `user_version` counts how many ran.
 * Never edit a shipped step: append a new one, so existing files upgrade safely.
 */
export const MIGRATIONS: readonly string[] = [
  // 1: parsed digests cached by the SHA-256 of the file's bytes.
  `CREATE TABLE digest_cache (
     path TEXT PRIMARY KEY,
     content_hash TEXT NOT NULL,
     parser_version INTEGER NOT NULL,
     result_json TEXT NOT NULL,
     updated_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
   );`,
];
