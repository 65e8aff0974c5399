import type { Emulator } from "../../emulator/server.js";
import { control } from "./discord.js";

export interface InteractionView {
  callbacks: { type: number; data: Record<string, unknown> | null; at_ms: number }[];
  original:
    | (Record<string, unknown> & {
        content: string;
        ephemeral: boolean;
        embeds: Record<string, unknown>[];
        components: Record<string, unknown>[];
      })
    | null;
  followups: Record<string, unknown>[];
}

/** Sends an interaction through the emulator and waits for its first answer (and an edit, if deferred). */
export async function interact(
  emulator: Emulator,
  body: Record<string, unknown>,
  until: (view: InteractionView) => boolean = (v) =>
    v.callbacks.length > 0 &&
    (v.callbacks[0]?.type !== 5 ||
      (v.original?.flags as number) === 0 ||
      ((v.original?.flags as number) & 128) === 0),
): Promise<InteractionView & { id: string }> {
  const { id } = await control<{ id: string }>(emulator, "POST", "interactions", body);
  const start = Date.now();
  for (;;) {
    const view = await control<InteractionView>(emulator, "GET", `interactions/${id}`);
    if (until(view)) return { ...view, id };
    if (Date.now() - start > 5000) throw new Error(`no answer: ${JSON.stringify(view)}`);
    await new Promise((resolve) => setTimeout(resolve, 15));
  }
}

/** The `data` of a slash command interaction. */
export function slash(
  name: string,
  options: Record<string, unknown>[] = [],
): Record<string, unknown> {
  return { id: "123456789012345678", name, type: 1, options };
}
