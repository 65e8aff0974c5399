import type { OutgoingMessage } from "../render/digest-messages.js";
import { cardHeads } from "../render/paper-card.js";
import type { DiscordReader, SeenMessage } from "./sender.js";
import type { Store } from "./store.js";

/** Pages of 100 read at most: a busy channel may bury the message, but never forever. */
const MAX_PAGES = 5;

/** A message that did arrive, found by what it carried. */
export interface Arrived {
  id: string;
  embedCount: number;
}

const embedKey = (e: { title?: string | null; url?: string | null }) =>
  `${e.title ?? ""}\u0000${e.url ?? ""}`;

/**
 * True when `seen` is the message `sent`: same content and the same embeds (titles and urls, in
 * order), or no embeds at all where Discord dropped them (no Embed Links). GET results carry no
 * nonce, so what the message carried is all there is to match on.
 */
export function sameMessage(sent: OutgoingMessage, seen: SeenMessage): boolean {
  if ((sent.content ?? "").trim() !== seen.content.trim()) return false;
  // Cards: the same title lines, in order.
  const cards = cardHeads(sent.components);
  const seenCards = seen.cards ?? [];
  if (cards.length > 0 || seenCards.length > 0)
    return cards.length === seenCards.length && cards.every((head, i) => head === seenCards[i]);
  if (seen.embeds.length === 0) return true;
  const want = sent.embeds.map(embedKey);
  const got = seen.embeds.map(embedKey);
  return want.length === got.length && want.every((key, i) => key === got[i]);
}

/**
 * Looks for a step whose earlier attempt is unconfirmed: the bot's first message in `channelId`
 * after `afterId` (the last confirmed message there, or the first attempt's moment) that matches
 * `sent` and that no delivery has recorded yet. Needed past the nonce window, where a resend would
 * post a copy; throws what Discord answers (403 without Read Message History).
 */
export async function findArrived(
  deps: { reader: DiscordReader; store: Store },
  channelId: string,
  afterId: string,
  sent: OutgoingMessage,
): Promise<Arrived | null> {
  const bot = await deps.reader.botUserId();
  let after = afterId;
  for (let page = 0; page < MAX_PAGES; page++) {
    const batch = await deps.reader.messagesAfter(channelId, after, 100);
    for (const seen of batch) {
      // Steps go out in order, so the first match after the last confirmed message is this
      // step's; another delivery's messages in the same channel are skipped once recorded.
      if (seen.authorId !== bot || !sameMessage(sent, seen)) continue;
      if (await deps.store.messageRecorded(seen.id)) continue;
      return { id: seen.id, embedCount: seen.embeds.length };
    }
    const last = batch.at(-1);
    if (batch.length < 100 || !last) return null;
    after = last.id;
  }
  return null;
}
