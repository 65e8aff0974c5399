import { isForumType, parseFlags, parseTags } from "../forums.js";
import { deleteChannel, setSystemChannel } from "../moderation.js";
import { bad, type ControlModule, ok } from "./types.js";

/** What a server's moderators do: delete channels, threads and messages; change a guild or forum. */
export const moderationControl: ControlModule = ({ ctx, route, ids, body: b }) => {
  const world = ctx.world;
  switch (route) {
    case "DELETE channels/:id": {
      const channel = world.channels.get(ids[0] ?? "");
      if (!channel) return bad("unknown channel", 404);
      deleteChannel(world, channel);
      return ok();
    }
    case "DELETE channels/:id/messages/:id": {
      const message = world.messages.get(ids[1] ?? "");
      if (!message || message.data.channel_id !== ids[0]) return bad("unknown message", 404);
      world.deleteMessage(message);
      return ok();
    }
    case "PATCH guilds/:id": {
      const guild = world.guilds.get(ids[0] ?? "");
      if (!guild) return bad("unknown guild", 404);
      if (b.system_channel_id !== undefined) {
        const id = b.system_channel_id;
        const channel = typeof id === "string" ? world.channels.get(id) : undefined;
        if (id !== null && (channel?.guildId !== guild.id || channel.type !== 0))
          return bad("system_channel_id must be null or a text channel of this guild");
        setSystemChannel(world, guild, channel?.id ?? null);
      }
      return ok({ id: guild.id, system_channel_id: guild.systemChannelId });
    }
    case "PATCH channels/:id": {
      // Forum and media channels: replace `available_tags` or `flags` (CHANNEL_UPDATE).
      const channel = world.channels.get(ids[0] ?? "");
      if (!channel) return bad("unknown channel", 404);
      if (b.available_tags !== undefined && !isForumType(channel.type))
        return bad("available_tags is for forum (15) and media (16) channels");
      try {
        if (typeof b.name === "string" && b.name.trim() !== "") channel.name = b.name;
        if (b.available_tags !== undefined)
          channel.availableTags = parseTags(b.available_tags, world.ids);
        if (b.flags !== undefined) channel.flags = parseFlags(b.flags);
      } catch (error) {
        return bad((error as Error).message);
      }
      world.updateChannel(channel);
      return ok(world.channelPayload(channel));
    }
    default:
      return null;
  }
};
