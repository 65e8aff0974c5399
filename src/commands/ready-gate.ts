import {
  type AutocompleteInteraction,
  type ChatInputCommandInteraction,
  type InteractionEditReplyOptions,
  type MessageComponentInteraction,
  MessageFlags,
} from "discord.js";

/** Whether the archive is loaded, and a way to wait until it is. */
export interface ReadyGate {
  isReady(): boolean;
  /** Settles once ready (never rejects). */
  ready: Promise<void>;
}

export const ALWAYS_READY: ReadyGate = { isReady: () => true, ready: Promise.resolve() };

/** Autocomplete must be answered within 3 s: this long it waits, then suggests nothing. */
export const AUTOCOMPLETE_WAIT_MS = 2_000;

/** Waits for `gate` up to `ms`; true when ready. */
export async function readyWithin(gate: ReadyGate, ms: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<void>((resolve) => {
    timer = setTimeout(resolve, ms);
  });
  await Promise.race([gate.ready, late]);
  clearTimeout(timer);
  return gate.isReady();
}

/** The options of a reply, as an edit of the deferred one takes them (no create-only flags). */
function asEdit(options: unknown): string | InteractionEditReplyOptions {
  if (typeof options === "string") return options;
  const { flags: _flags, ephemeral: _ephemeral, ...rest } = options as Record<string, unknown>;
  return rest as InteractionEditReplyOptions;
}

/**
 * The same interaction, for a command run after its deferral: `reply` edits the deferred
 * reply, `update` edits the message the component is on, and whatever is not answered that
 * way stays the interaction's own.
 */
function deferredView<T extends object>(interaction: T, overrides: Record<string, unknown>): T {
  return new Proxy(interaction, {
    get(target, key) {
      if (typeof key === "string" && key in overrides) return overrides[key];
      const value = Reflect.get(target, key, target);
      return typeof value === "function" ? value.bind(target) : value;
    },
  });
}

/**
 * Acknowledges a slash command that arrived before the archive was ready ("thinking…", only for
 * the one who asked, since the command's own reply may be only for them), waits until it is, and
 * gives the command a view of the interaction whose `reply` fills that answer in.
 */
export async function deferCommand(
  interaction: ChatInputCommandInteraction,
  gate: ReadyGate,
): Promise<ChatInputCommandInteraction> {
  await interaction.deferReply({ flags: MessageFlags.Ephemeral });
  await gate.ready;
  return deferredView(interaction, {
    reply: (options: unknown) => interaction.editReply(asEdit(options)),
  });
}

/**
 * Acknowledges a button or menu that arrived before the archive was ready (its message stays as
 * it is), waits, and gives the command a view whose `update` edits that message and whose
 * `reply` follows up.
 */
export async function deferComponent<T extends MessageComponentInteraction>(
  interaction: T,
  gate: ReadyGate,
): Promise<T> {
  await interaction.deferUpdate();
  await gate.ready;
  return deferredView(interaction, {
    update: (options: unknown) => interaction.editReply(asEdit(options)),
    reply: (options: unknown) =>
      interaction.followUp({
        ...(typeof options === "string" ? { content: options } : (options as object)),
        flags: MessageFlags.Ephemeral,
      }),
  });
}

/** Suggests nothing to an autocomplete that came before the archive was ready and could not wait. */
export async function answerAutocompleteEarly(
  interaction: AutocompleteInteraction,
  gate: ReadyGate,
): Promise<boolean> {
  if (await readyWithin(gate, AUTOCOMPLETE_WAIT_MS)) return false;
  await interaction.respond([]);
  return true;
}
