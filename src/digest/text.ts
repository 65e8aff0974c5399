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
