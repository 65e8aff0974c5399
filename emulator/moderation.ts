import { type EmuChannel, type EmuGuild, INTENTS, isThread, type World } from "./state.js";

/**
 * Deletes a channel or thread as a moderator would: CHANNEL_DELETE with the channel object, or
 * THREAD_DELETE with id, guild_id, parent_id and type (docs: events/gateway-events#thread-delete).
 * A channel's threads and every message in them go too, without MESSAGE_DELETE events.
 */
export function deleteChannel(world: World, channel: EmuChannel): void {
  const payload = world.channelPayload(channel);
  const threads = [...world.channels.values()].filter((c) => c.parentId === channel.id);
  for (const gone of [channel, ...threads]) world.dropChannel(gone.id);
  if (isThread(channel.type)) {
    // The starter message keeps no link to a thread that is gone.
    const starter = channel.starterMessageId
      ? world.messages.get(channel.starterMessageId)
      : undefined;
    if (starter) {
      starter.threadId = null;
      delete starter.data.thread;
    }
    const { id, guildId: guild_id, parentId: parent_id, type } = channel;
    world.dispatch(
      channel.guildId,
      "THREAD_DELETE",
      { id, guild_id, parent_id, type },
      INTENTS.Guilds,
    );
    return;
  }
  world.dispatch(channel.guildId, "CHANNEL_DELETE", payload, INTENTS.Guilds);
  const guild = world.guilds.get(channel.guildId);
  if (guild?.systemChannelId === channel.id) setSystemChannel(world, guild, null);
}

/** Sets (or clears) the guild's system channel and dispatches GUILD_UPDATE with the guild object. */
export function setSystemChannel(world: World, guild: EmuGuild, channelId: string | null): void {
  guild.systemChannelId = channelId;
  const { members: _m, channels: _c, threads: _t, ...update } = world.guildPayload(guild);
  world.dispatch(guild.id, "GUILD_UPDATE", update, INTENTS.Guilds);
}
