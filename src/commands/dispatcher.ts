import { randomBytes } from "node:crypto";
import {
  type ChatInputCommandInteraction,
  type Interaction,
  MessageFlags,
  type RepliableInteraction,
} from "discord.js";
import { ta } from "../alerts/text.js";
import { isDatabaseError } from "../delivery/store.js";
import { t } from "../i18n.js";
import type { Logger } from "../logger.js";
import { type Command, type CommandContext, languageOf, UserError } from "./command.js";
import {
  ALWAYS_READY,
  answerAutocompleteEarly,
  deferCommand,
  deferComponent,
  type ReadyGate,
} from "./ready-gate.js";

/**
 * discord.js's complaint that an option is missing or of another type: the interaction was built
 * from a command registered by another version (Discord itself checks options against the
 * registration), so the admin should deploy the commands again.
 */
function isOptionMismatch(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return (
    typeof code === "string" &&
    /^(CommandInteractionOption|AutocompleteInteractionOption)/.test(code)
  );
}

/**
 * Answers with an ephemeral message, whatever state the interaction is in. A deferred reply that
 * is still "thinking…" is edited instead, and stays as ephemeral as the deferral made it: Discord
 * would turn a follow-up into that edit anyway and ignore its ephemeral flag
 * (docs: receiving-and-responding#create-followup-message). Every deferral here is ephemeral.
 */
async function tell(interaction: RepliableInteraction, content: string): Promise<void> {
  const message = { content, allowedMentions: { parse: [] } } as const;
  if (interaction.deferred && !interaction.replied) await interaction.editReply(message);
  else if (interaction.replied)
    await interaction.followUp({ ...message, flags: MessageFlags.Ephemeral });
  else await interaction.reply({ ...message, flags: MessageFlags.Ephemeral });
}

/**
 * Routes every interaction to its command. No interaction is left unanswered: unknown commands,
 * user mistakes and refused permissions get an ephemeral explanation in the user's language, and a
 * bug gets an ephemeral reference that is logged with the error. One that arrives before the
 * archive is loaded is acknowledged at once and answered once it is (see `ready-gate.ts`).
 */
export class Dispatcher {
  private readonly ctx: CommandContext;

  constructor(
    private readonly commands: ReadonlyMap<string, Command>,
    ctx: CommandContext,
    private readonly logger: Logger,
    private readonly timing: (command: string, kind: string, seconds: number) => void = () => {},
    private readonly gate: ReadyGate = ALWAYS_READY,
  ) {
    const all = [...commands.values()];
    this.ctx = { ...ctx, commands: () => all };
  }

  /** Handles one interaction and records how long it took. */
  async handle(interaction: Interaction): Promise<void> {
    const start = performance.now();
    await this.route(interaction);
    const command =
      interaction.isCommand() || interaction.isAutocomplete()
        ? interaction.commandName
        : interaction.isMessageComponent()
          ? (interaction.customId.split(":")[0] ?? "")
          : "other";
    const kind = interaction.isAutocomplete()
      ? "autocomplete"
      : interaction.isMessageComponent()
        ? "component"
        : "command";
    this.timing(command, kind, (performance.now() - start) / 1000);
    if (interaction.isChatInputCommand()) await this.tellRefusedAlert(interaction);
  }

  /**
   * A reader whose alert Discord refused (their DMs are closed to the bot) is told once, after
   * their next command's answer, with how to allow DMs; a reader's language follows their
   * commands. Never throws.
   */
  private async tellRefusedAlert(interaction: ChatInputCommandInteraction): Promise<void> {
    try {
      const { store } = this.ctx;
      if (!interaction.replied && !interaction.deferred) return;
      const reader = await store.reader(interaction.user.id);
      if (!reader) return;
      // A reader's alerts are written in the language of their last command.
      const language = languageOf(interaction.locale);
      if (reader.language !== language) await store.setReaderLanguage(reader.userId, language);
      if (!reader.closedNotice) return;
      const date = await store.takeClosedNotice(interaction.user.id);
      if (date === null) return;
      await interaction.followUp({
        content: `${ta(language, "dmsClosed")(date)}\n${ta(language, "dmHowTo")}`,
        flags: MessageFlags.Ephemeral,
        allowedMentions: { parse: [] },
      });
    } catch (error) {
      this.logger.warn({ err: error }, "could not tell a reader their alert was refused");
    }
  }

  private async route(arrived: Interaction): Promise<void> {
    const language = languageOf(arrived.locale);
    let interaction = arrived;
    try {
      if (!this.gate.isReady()) {
        if (interaction.isAutocomplete() && (await answerAutocompleteEarly(interaction, this.gate)))
          return;
        if (interaction.isChatInputCommand())
          interaction = await deferCommand(interaction, this.gate);
        else if (interaction.isMessageComponent())
          interaction = await deferComponent(interaction, this.gate);
      }
      if (interaction.isAutocomplete()) {
        const command = this.commands.get(interaction.commandName);
        if (command?.autocomplete) await command.autocomplete(interaction, this.ctx, language);
        else await interaction.respond([]);
        return;
      }
      if (interaction.isChatInputCommand()) {
        const command = this.commands.get(interaction.commandName);
        if (!command) return await tell(interaction, t(language, "unknownCommand"));
        if (command.requiredPermission !== undefined) {
          if (!interaction.inGuild()) return await tell(interaction, t(language, "guildOnly"));
          if (!interaction.memberPermissions.has(command.requiredPermission))
            return await tell(interaction, t(language, "notAllowed"));
        }
        await command.execute(interaction, this.ctx, language);
        return;
      }
      if (interaction.isMessageComponent()) {
        const command = this.commands.get(interaction.customId.split(":")[0] ?? "");
        if (!command?.component) return await tell(interaction, t(language, "unknownCommand"));
        if (
          command.requiredPermission !== undefined &&
          !interaction.memberPermissions?.has(command.requiredPermission)
        ) {
          return await tell(interaction, t(language, "notAllowed"));
        }
        await command.component(interaction, this.ctx, language);
      }
    } catch (error) {
      await this.fail(interaction, error, language);
    }
  }

  private async fail(
    interaction: Interaction,
    error: unknown,
    language: "ko" | "en",
  ): Promise<void> {
    try {
      if (interaction.isAutocomplete()) {
        if (isOptionMismatch(error))
          this.logger.warn(
            { command: interaction.commandName, error: String(error) },
            "autocomplete options do not match this version's commands",
          );
        else
          this.logger.error(
            { err: error, command: interaction.commandName },
            "autocomplete failed",
          );
        if (!interaction.responded) await interaction.respond([]);
        return;
      }
      if (!interaction.isRepliable()) return;
      if (error instanceof UserError) return await tell(interaction, error.text[language]);
      if (isOptionMismatch(error)) {
        this.logger.warn(
          {
            command: interaction.isCommand() ? interaction.commandName : null,
            error: String(error),
          },
          "an interaction's options do not match this version's commands; deploy them again",
        );
        return await tell(interaction, t(language, "outdatedOptions"));
      }
      if (isDatabaseError(error)) return await tell(interaction, t(language, "databaseTrouble"));
      const ref = randomBytes(3).toString("hex").toUpperCase();
      this.logger.error({ err: error, ref, interaction: interaction.id }, "command failed");
      await tell(interaction, t(language, "somethingWrong")(ref));
    } catch (secondary) {
      this.logger.error(
        { err: secondary, first: String(error) },
        "could not report a command failure",
      );
    }
  }
}
