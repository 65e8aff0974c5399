import type { Warning } from "../digest/model.js";

const strict = new TextDecoder("utf-8", { fatal: true });
const lenient = new TextDecoder("utf-8");

/** A digest file's bytes as text; invalid UTF-8 is replaced (U+FFFD) and reported, never fatal. */
export function decodeDigest(
  bytes: Uint8Array,
  file: string,
): { text: string; warning: Warning | null } {
  try {
    return { text: strict.decode(bytes), warning: null };
  } catch {
    const text = lenient.decode(bytes);
    const at = text.indexOf("\uFFFD");
    const line = at < 0 ? 1 : text.slice(0, at).split("\n").length;
    return {
      text,
      warning: { file, line, message: "not valid UTF-8; the invalid bytes were replaced with �" },
    };
  }
}
