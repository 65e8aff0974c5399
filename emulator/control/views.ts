import type { EmuMessage } from "../model.js";

/** A stored message as the control API shows it: Discord's object plus what only the emulator knows. */
export function storedMessageView(message: EmuMessage): Record<string, unknown> {
  return {
    ...message.data,
    allowed_mentions: message.allowedMentions,
    nonce: message.nonce,
    thread_id: message.threadId,
    pinged: message.pinged,
    embeds_dropped: message.embedsDropped > 0,
    embeds_dropped_count: message.embedsDropped,
  };
}
