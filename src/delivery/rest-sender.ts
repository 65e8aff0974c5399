import { type REST, Routes } from "discord.js";
import type { OutgoingMessage } from "../render/digest-messages.js";
import type { SendBody, Sender } from "./sender.js";

interface ChannelJson {
  id: string;
  guild_id?: string;
  parent_id?: string | null;
  name?: string;
  owner_id?: string;
}

/** `Sender` over Discord's REST API (works without a gateway connection). */
export class RestSender implements Sender {
  constructor(
    private readonly rest: REST,
    private readonly botUserId: () => string | null,
  ) {}

  async createMessage(channelId: string, body: SendBody): Promise<{ id: string }> {
    const message = (await this.rest.post(Routes.channelMessages(channelId), { body })) as {
      id: string;
    };
    return { id: message.id };
  }

  async startThread(channelId: string, messageId: string, name: string): Promise<{ id: string }> {
    const thread = (await this.rest.post(Routes.threads(channelId, messageId), {
      body: { name, auto_archive_duration: 1440 },
    })) as ChannelJson;
    return { id: thread.id };
  }

  async createForumPost(
    forumId: string,
    name: string,
    message: OutgoingMessage,
  ): Promise<{ id: string }> {
    const post = (await this.rest.post(Routes.threads(forumId), {
      body: { name, auto_archive_duration: 1440, message },
    })) as ChannelJson;
    return { id: post.id };
  }

  async findForumPost(
    guildId: string,
    forumId: string,
    name: string,
  ): Promise<{ id: string } | null> {
    const active = (await this.rest.get(Routes.guildActiveThreads(guildId))) as {
      threads: ChannelJson[];
    };
    const bot = this.botUserId();
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
}
