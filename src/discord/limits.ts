/** Discord's limits, in one place. Lengths are in code points, as Discord counts them. */
export const DISCORD_LIMITS = {
  content: 2000,
  embedsPerMessage: 10,
  embedTitle: 256,
  embedDescription: 4096,
  embedFields: 25,
  fieldName: 256,
  fieldValue: 1024,
  footerText: 2048,
  authorName: 256,
  embedsTotal: 6000,
  nonce: 25,
  threadName: 100,
  customId: 100,
  autocompleteChoices: 25,
  choiceName: 100,
  selectOptions: 25,
  selectOptionText: 100,
  buttonsPerRow: 5,
  actionRows: 5,
  /** Components V2: components in one message, nested ones counted. */
  componentsV2Total: 40,
  /** Components V2: characters of Text Display content in one message. */
  textDisplayTotal: 4000,
  thumbnailDescription: 1024,
  buttonLabel: 80,
} as const;

/** The message flag that makes a message's components its whole body (Components V2). */
export const IS_COMPONENTS_V2 = 1 << 15;

const segmenter = new Intl.Segmenter(undefined, { granularity: "grapheme" });
const ELLIPSIS = "…";

/** Length as Discord counts it: code points. */
export function discordLength(text: string): number {
  let count = 0;
  for (const _ of text) count++;
  return count;
}

/** Cuts at a grapheme boundary so that no character (Korean syllable, emoji sequence) is split. */
function cutGraphemes(text: string, max: number): string {
  let out = "";
  let length = 0;
  for (const { segment } of segmenter.segment(text)) {
    const size = discordLength(segment);
    if (length + size > max) break;
    out += segment;
    length += size;
  }
  return out;
}

/**
 * Fits text into `max` code points. A cut ends at the last bullet line, else the last sentence,
 * else the last word that fits, and gets an ellipsis; characters are never split.
 */
export function truncate(text: string, max: number): string {
  if (discordLength(text) <= max) return text;
  if (max <= 1) return cutGraphemes(text, max);
  const room = cutGraphemes(text, max - 1);
  const floor = Math.floor(room.length * 0.5);
  const lineBreak = room.lastIndexOf("\n");
  if (lineBreak >= floor) return `${room.slice(0, lineBreak).trimEnd()}\n${ELLIPSIS}`;
  const sentence = Math.max(
    ...[". ", "! ", "? ", "。"].map((mark) => {
      const at = room.lastIndexOf(mark);
      return at === -1 ? -1 : at + mark.trimEnd().length;
    }),
  );
  if (sentence >= floor) return `${room.slice(0, sentence)} ${ELLIPSIS}`;
  const space = room.lastIndexOf(" ");
  if (space >= floor) return `${room.slice(0, space)}${ELLIPSIS}`;
  return `${room}${ELLIPSIS}`;
}
