import type { Sender } from "./sender.js";

/**
 * The sender as a deliverer may use it: every send checks the lease right before it goes out,
 * so a holding that ran out while a send waited in the queue sends nothing more.
 */
export function fencedSender(sender: Sender, canSend: () => boolean): Sender {
  const guard = <T>(send: () => Promise<T>): Promise<T> =>
    canSend() ? send() : Promise.reject(new Error("lost the lease or claim to send it; not sent"));
  return {
    createMessage: (channelId, body) => guard(() => sender.createMessage(channelId, body)),
    startThread: (channelId, messageId, name) =>
      guard(() => sender.startThread(channelId, messageId, name)),
    createForumPost: (forumId, name, message, tags) =>
      guard(() => sender.createForumPost(forumId, name, message, tags)),
    openDm: (userId) => guard(() => sender.openDm(userId)),
    findForumPost: (guildId, forumId, name) => sender.findForumPost(guildId, forumId, name),
    systemChannel: (guildId) => sender.systemChannel(guildId),
    channelGuild: (channelId) => sender.channelGuild(channelId),
  };
}
