import { type REST, Routes } from "discord.js";
import type { OutgoingMessage } from "../render/digest-messages.js";
import { cardHeads } from "../render/paper-card.js";
import type {
  Created,
  DiscordReader,
  SeenMessage,
  SeenThread,
  SendBody,
  Sender,
} from "./sender.js";

interface MessageJson {
  id: string;
  author?: { id: string };
  content?: string;
  embeds?: { title?: string | null; url?: string | null }[];
}

interface ChannelJson {
  id: string;
  guild_id?: string;
  parent_id?: string | null;
  name?: string;
  owner_id?: string;
}

/** `Sender` and `DiscordReader` over Discord's REST API (works without a gateway connection). */
export class RestSender implements Sender, DiscordReader {
  private me: string | null = null;

  /**
   * `once`: a REST client that never resends by itself (`retries: 0`), for forum posts, which
   * carry no nonce: a blind resend after a timeout would open a second post.
   */
  constructor(
    private readonly rest: REST,
    private readonly botUserId_: () => string | null,
    private readonly once: REST = rest,
  ) {}

  async createMessage(channelId: string, body: SendBody): Promise<Created> {
    const message = (await this.rest.post(Routes.channelMessages(channelId), {
      body,
    })) as MessageJson;
    return { id: message.id, embedCount: message.embeds?.length ?? 0 };
  }

  async startThread(channelId: string, messageId: string, name: string): Promise<{ id: string }> {
    const thread = (await this.rest.post(Routes.threads(channelId, messageId), {
      body: { name, auto_archive_duration: 1440 },
    })) as ChannelJson;
    return { id: thread.id };
  }

  async openDm(userId: string): Promise<{ id: string }> {
    const channel = (await this.rest.post(Routes.userChannels(), {
      body: { recipient_id: userId },
    })) as ChannelJson;
    return { id: channel.id };
  }

  async createForumPost(
    forumId: string,
    name: string,
    message: OutgoingMessage,
    tags: string[] = [],
  ): Promise<Created> {
    const post = (await this.once.post(Routes.threads(forumId), {
      body: {
        name,
        auto_archive_duration: 1440,
        message,
        ...(tags.length > 0 ? { applied_tags: tags } : {}),
      },
    })) as ChannelJson & { message?: MessageJson };
    return post.message
      ? { id: post.id, embedCount: post.message.embeds?.length ?? 0 }
      : { id: post.id };
  }

  async findForumPost(
    guildId: string,
    forumId: string,
    name: string,
  ): Promise<{ id: string } | null> {
    const active = (await this.rest.get(Routes.guildActiveThreads(guildId))) as {
      threads: ChannelJson[];
    };
    const bot = this.botUserIdOf();
    const found = active.threads.find(
      (thread) =>
        thread.parent_id === forumId &&
        thread.name === name &&
        (bot === null || thread.owner_id === bot),
    );
    return found ? { id: found.id } : null;
  }

  async systemChannel(guildId: string): Promise<string | null> {
    const guild = (await this.rest.get(Routes.guild(guildId))) as {
      system_channel_id?: string | null;
    };
    return guild.system_channel_id ?? null;
  }

  async channelGuild(channelId: string): Promise<string | null> {
    const channel = (await this.rest.get(Routes.channel(channelId))) as ChannelJson;
    return channel.guild_id ?? null;
  }

  async botUserId(): Promise<string> {
    const known = this.botUserIdOf();
    if (known) return known;
    const me = (await this.rest.get(Routes.user("@me"))) as { id: string };
    this.me = me.id;
    return me.id;
  }

  async threadsIn(guildId: string, parentId: string, archivedToo: boolean): Promise<SeenThread[]> {
    const active = (await this.rest.get(Routes.guildActiveThreads(guildId))) as {
      threads: ChannelJson[];
    };
    const all = [...active.threads];
    if (archivedToo) {
      // A post left for hours may have auto-archived; a forum without the route just has none.
      try {
        const archived = (await this.rest.get(Routes.channelThreads(parentId, "public"), {
          query: new URLSearchParams({ limit: "100" }),
        })) as { threads: ChannelJson[] };
        all.push(...archived.threads);
      } catch {
        // Reading archived posts is a best effort: the active list is the usual case.
      }
    }
    return all
      .filter((thread) => thread.parent_id === parentId)
      .map((thread) => ({
        id: thread.id,
        parentId: thread.parent_id ?? null,
        name: thread.name ?? "",
        ownerId: thread.owner_id ?? null,
      }));
  }

  async messagesAfter(channelId: string, afterId: string, limit: number): Promise<SeenMessage[]> {
    const list = (await this.rest.get(Routes.channelMessages(channelId), {
      query: new URLSearchParams({ after: afterId, limit: String(Math.min(100, limit)) }),
    })) as MessageJson[];
    return list
      .map((m) => ({
        id: m.id,
        authorId: m.author?.id ?? "",
        content: m.content ?? "",
        embeds: (m.embeds ?? []).map((e) => ({ title: e.title ?? null, url: e.url ?? null })),
        cards: cardHeads((m as { components?: unknown[] }).components),
      }))
      .sort((a, b) => (BigInt(a.id) < BigInt(b.id) ? -1 : 1));
  }

  private botUserIdOf(): string | null {
    return this.botUserId_() ?? this.me;
  }
}
