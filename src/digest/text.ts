// Control characters other than newline (and TAB, which markdown needs for indentation
// until the text is extracted). LaTeX escapes such as `\f` of `\frac` reach digests this way.
// biome-ignore lint/suspicious/noControlCharactersInRegex: matching control characters is the point
const SOURCE_CONTROL = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f]/g;
// biome-ignore lint/suspicious/noControlCharactersInRegex: matching control characters is the point
const TEXT_CONTROL = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f]/g;

/** Normalises a digest file's text: drops a BOM, turns CRLF/CR into LF, removes control characters. */
export function normalizeSource(raw: string): string {
  const text = raw.charCodeAt(0) === 0xfeff ? raw.slice(1) : raw;
  return text.replace(/\r\n?/g, "\n").replace(SOURCE_CONTROL, "");
}

/** Container markers (indentation, quotes, list bullets) at the start of a line. */
const CONTAINER_PREFIX = /^(?:[ \t>]|[-*+](?=[ \t])|\d{1,9}[.)](?=[ \t]))+/;
/** Deeper nesting than this is never meaningful in a digest and makes markdown parsing slow. */
export const MAX_CONTAINER_PREFIX = 48;

/**
 * Flattens lines nested deeper than `MAX_CONTAINER_PREFIX` characters of container markers;
 * returns the 1-based line of the first one changed, if any.
 */
export function capNesting(source: string): { text: string; firstCappedLine: number | null } {
  let firstCappedLine: number | null = null;
  const lines = source.split("\n");
  for (let index = 0; index < lines.length; index++) {
    const line = lines[index] as string;
    if (line.length <= MAX_CONTAINER_PREFIX) continue;
    const prefix = CONTAINER_PREFIX.exec(line)?.[0] ?? "";
    if (prefix.length <= MAX_CONTAINER_PREFIX) continue;
    lines[index] = prefix.slice(0, MAX_CONTAINER_PREFIX) + line.slice(prefix.length);
    firstCappedLine ??= index + 1;
  }
  return { text: firstCappedLine === null ? source : lines.join("\n"), firstCappedLine };
}

/** More emphasis or bracket markers than this in one block are taken literally (see `defuseFloods`). */
export const MAX_MARKERS_PER_BLOCK = 1000;
const MARKER_KINDS = [/[*_]/g, /[[\]]/g] as const;

/**
 * Escapes emphasis and link markers in any block (a run of non-blank lines) holding more than
 * `MAX_MARKERS_PER_BLOCK` of them: markdown resolves such floods in quadratic time, so a hostile
 * file could stall the bot for minutes. Real digests hold a few dozen per block. Returns the
 * 1-based line of the first block changed, if any.
 */
export function defuseFloods(source: string): { text: string; firstDefusedLine: number | null } {
  const lines = source.split("\n");
  let firstDefusedLine: number | null = null;
  let start = 0;
  while (start < lines.length) {
    if ((lines[start] ?? "").trim() === "") {
      start++;
      continue;
    }
    let end = start;
    while (end < lines.length && (lines[end] ?? "").trim() !== "") end++;
    const block = lines.slice(start, end).join("\n");
    for (const kind of MARKER_KINDS) {
      if ((block.match(kind) ?? []).length <= MAX_MARKERS_PER_BLOCK) continue;
      firstDefusedLine ??= start + 1;
      for (let index = start; index < end; index++) {
        const line = lines[index] as string;
        const prefix = CONTAINER_PREFIX.exec(line)?.[0] ?? "";
        lines[index] = prefix + line.slice(prefix.length).replace(kind, "\\$&");
      }
    }
    start = end;
  }
  return { text: firstDefusedLine === null ? source : lines.join("\n"), firstDefusedLine };
}

/** Trims a text and removes every control character except newline. */
export function cleanText(text: string): string {
  return text
    .replace(TEXT_CONTROL, "")
    .split("\n")
    .map((line) => line.trimEnd())
    .join("\n")
    .trim();
}

/** True for an absolute http(s) URL. */
export function isHttpUrl(url: string): boolean {
  return /^https?:\/\/[^\s/?#]+/i.test(url);
}
