import { DISCORD_LIMITS, discordLength, truncate } from "../discord/limits.js";

/** Room kept for a list's closing "… and N more" line. */
const MORE_ROOM = 120;

/** Length of lines joined with newlines. */
export const joinedLength = (lines: readonly string[]) =>
  lines.reduce((sum, line) => sum + discordLength(line), 0) + Math.max(lines.length - 1, 0);

/**
 * Packs lines into pages whose text (with `reserved` code points kept for a header and footer)
 * fits one message's content; a line too long for a page is truncated. Always one page at least.
 */
export function pagesOf(lines: readonly string[], reserved: number): string[][] {
  const room = DISCORD_LIMITS.content - reserved - MORE_ROOM;
  const pages: string[][] = [[]];
  let used = 0;
  for (const raw of lines) {
    const line = truncate(raw, room);
    const size = discordLength(line) + 1;
    const page = pages[pages.length - 1] as string[];
    if (page.length > 0 && used + size > room) {
      pages.push([line]);
      used = size;
    } else {
      page.push(line);
      used += size;
    }
  }
  return pages;
}

/**
 * The first lines of a list that fit in `room` code points (newlines counted), followed by
 * `more(count)` when some were left out.
 */
export function takeLines(
  lines: readonly string[],
  room: number,
  more: (count: number) => string,
): string[] {
  const kept: string[] = [];
  let used = 0;
  for (const [index, line] of lines.entries()) {
    const size = discordLength(line) + 1;
    const last = index === lines.length - 1;
    if (used + size + (last ? 0 : MORE_ROOM) > room) {
      return [...kept, more(lines.length - kept.length)];
    }
    kept.push(line);
    used += size;
  }
  return kept;
}

/** Cuts a finished text to one message's content, never mid-character (a last resort). */
export function fitContent(text: string): string {
  return truncate(text, DISCORD_LIMITS.content);
}
