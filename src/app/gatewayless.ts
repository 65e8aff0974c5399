import { type APIUser, type Client, ClientUser, Routes } from "discord.js";
import type { Logger } from "../logger.js";

/** How long a server's channels and the bot's roles, read over REST, are trusted. */
const FRESH_MS = 60_000;

/**
 * A client that never opens a gateway session (`SHARDS=none`: commands arrive over HTTP only):
 * it gets the token and knows its own user, as a login would give it.
 */
export async function withoutGateway(client: Client, token: string): Promise<void> {
  client.token = token;
  client.rest.setToken(token);
  const me = (await client.rest.get(Routes.user())) as APIUser;
  // What the gateway's READY sets; ClientUser's constructor is not typed as public.
  (client as { user: ClientUser | null }).user = new (
    ClientUser as unknown as new (
      c: Client,
      data: APIUser,
    ) => ClientUser
  )(client, me);
}

/**
 * Without a gateway, nothing fills the cache the commands read (a server's channels, the bot's
 * member and roles): each server's is read over REST when one of its interactions comes, and
 * again once it is a minute old. Concurrent interactions of one server share one read.
 */
export class GuildHydrator {
  private readonly readAt = new Map<string, number>();
  private readonly reading = new Map<string, Promise<void>>();

  constructor(
    private readonly client: Client,
    private readonly logger: Logger,
    private readonly now: () => number = Date.now,
  ) {}

  /** Resolves once `guildId`'s server is in the cache (never rejects: a failed read is logged). */
  ensure(guildId: string | undefined): Promise<void> {
    if (!guildId) return Promise.resolve();
    const at = this.readAt.get(guildId);
    if (at !== undefined && this.now() - at < FRESH_MS) return Promise.resolve();
    let read = this.reading.get(guildId);
    if (!read) {
      read = this.read(guildId).finally(() => this.reading.delete(guildId));
      this.reading.set(guildId, read);
    }
    return read;
  }

  private async read(guildId: string): Promise<void> {
    try {
      const guild = await this.client.guilds.fetch({ guild: guildId, force: true });
      await Promise.all([
        guild.channels.fetch(undefined, { force: true }),
        guild.members.fetchMe(),
      ]);
      this.readAt.set(guildId, this.now());
    } catch (error) {
      this.logger.warn({ err: error, guildId }, "could not read a server's channels over REST");
    }
  }
}
