import { type ParseResult, parseDigest } from "../digest/parse.js";
import { decodeDigest } from "./decode.js";

/** Parses a file's bytes; invalid UTF-8 is read anyway, with a warning naming the file. */
export function parseDigestBytes(bytes: Uint8Array, path: string): ParseResult {
  const { text, warning } = decodeDigest(bytes, path);
  const result = parseDigest(text, path);
  if (warning && result.ok) result.digest.warnings.unshift(warning);
  return result;
}
