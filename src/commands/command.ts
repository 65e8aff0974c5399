import type {
  AutocompleteInteraction,
  ChatInputCommandInteraction,
  MessageComponentInteraction,
  RESTPostAPIChatInputApplicationCommandsJSONBody,
} from "discord.js";
import type { Catalog } from "../archive/catalog.js";
import type { SyncState } from "../archive/digest-sync.js";
import type { Config } from "../config.js";
import type { Scheduler } from "../delivery/scheduler.js";
import type { DeliveryService } from "../delivery/service.js";
import type { Store } from "../delivery/store.js";
import type { DigestError } from "../digest/model.js";
import type { Language } from "../i18n.js";
import type { Logger } from "../logger.js";
import type { PaperIndex } from "../search/paper-index.js";

/** What a command handler may use; nothing here needs the client except `ping`. */
export interface CommandContext {
  catalog(): Catalog;
  /** Files in the digests folder that could not be read as digests. */
  archiveErrors?(): DigestError[];
  index(): PaperIndex;
  store: Store;
  service: DeliveryService;
  scheduler: Scheduler | null;
  config: Config;
  logger: Logger;
  /** Gateway latency in ms, or -1 before the first heartbeat. */
  ping(): number;
  /** How digest sync from a git repository stands, when one is configured. */
  digestSync?(): SyncState;
  /** The commands this process answers (set by the dispatcher; `/help` lists them). */
  commands?(): readonly Command[];
  /** This process's part in a deployment, shown to the bot's owners (OWNER_IDS) in `/status`. */
  processState?(): Promise<ProcessState>;
}

/** What `/status` tells the bot's owners about the process that answers. */
export interface ProcessState {
  role: string;
  /** Whether this process holds the deliverer lease, and the lease's fencing token. */
  delivering: boolean;
  leaseToken: number | null;
  shards: { id: number; ready: boolean; pingMs: number }[];
  /** host:port of the REST proxy this process sends through, or null (straight to Discord). */
  restProxy: string | null;
  pendingDeliveries: number;
  /** Deliveries workers hold claims on now, per worker (its holder name), and those none holds. */
  claims: { holders: Record<string, number>; unclaimed: number };
  /** Sends held back by this process's queue, and by Discord or the proxy, since it started. */
  rateLimitWaits: { queue: number; discord: number };
}

/** One slash command: its API data (the single source for deploying) and its handlers. */
export interface Command {
  data: RESTPostAPIChatInputApplicationCommandsJSONBody;
  /** Admin commands: checked in code as well as by `default_member_permissions`. */
  requiredPermission?: bigint;
  execute(
    interaction: ChatInputCommandInteraction,
    ctx: CommandContext,
    language: Language,
  ): Promise<void>;
  autocomplete?(
    interaction: AutocompleteInteraction,
    ctx: CommandContext,
    language: Language,
  ): Promise<void>;
  /** Buttons and menus whose custom id starts with `<command name>:`. */
  component?(
    interaction: MessageComponentInteraction,
    ctx: CommandContext,
    language: Language,
  ): Promise<void>;
}

/** A mistake of the user's (a bad date, no match): answered with an explanation, not logged as a bug. */
export class UserError extends Error {
  constructor(readonly text: Record<Language, string>) {
    super(text.en);
    this.name = "UserError";
  }
}

/** The interface language for a Discord locale: Korean for `ko`, English otherwise. */
export function languageOf(locale: string | null | undefined): Language {
  return locale?.startsWith("ko") ? "ko" : "en";
}
