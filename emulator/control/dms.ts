import { isSnowflake } from "../snowflake.js";
import type { World } from "../state.js";
import { bad, type ControlModule, ok } from "./types.js";
import { storedMessageView } from "./views.js";

/** A known user, with whether their DMs are open to the bot and their DM channel if opened. */
function userView(world: World, id: string): Record<string, unknown> {
  return {
    ...world.user(id),
    dms_open: world.dms.isOpen(id),
    dm_channel_id: world.dms.channelOf(id)?.id ?? null,
  };
}

/** A DM channel the bot opened: its recipient and every message the bot sent there. */
function dmView(world: World, userId: string): Record<string, unknown> | null {
  const channel = world.dms.channelOf(userId);
  if (!channel) return null;
  const messages = world.channelMessages(channel.id);
  return {
    id: channel.id,
    type: 1,
    recipient: world.user(userId),
    dms_open: world.dms.isOpen(userId),
    last_message_id: messages.at(-1)?.data.id ?? null,
    refused: world.dms.refused.get(channel.id) ?? 0,
    messages: messages.map(storedMessageView),
  };
}

/** Users the bot may DM, their DM settings, and what the bot sent them. */
export const dmControl: ControlModule = ({ ctx, route, id, body: b }) => {
  const world = ctx.world;
  switch (route) {
    case "POST users": {
      const userId = b.id === undefined ? world.ids.next() : b.id;
      if (!isSnowflake(userId)) return bad("id must be a snowflake (17–19 digits)");
      if (userId === world.botUser.id) return bad("that is the bot's own id");
      if (b.dms_open !== undefined && typeof b.dms_open !== "boolean")
        return bad("dms_open must be true or false");
      world.dms.know(userId, b);
      if (b.dms_open !== undefined) world.dms.setOpen(userId, b.dms_open);
      return ok(userView(world, userId));
    }
    case "GET users/:id":
      return world.dms.user(id) ? ok(userView(world, id)) : bad("unknown user", 404);
    case "POST users/:id/dms": {
      if (typeof b.open !== "boolean") return bad("open must be true or false");
      if (id === world.botUser.id) return bad("that is the bot's own id");
      world.dms.setOpen(id, b.open);
      return ok(userView(world, id));
    }
    case "GET users/:id/dm": {
      const view = dmView(world, id);
      return view ? ok(view) : bad(`the bot has not opened a DM with user ${id}`, 404);
    }
    case "GET dms":
      return ok({
        channels: world.dms
          .channels()
          .map((channel) => dmView(world, channel.recipientId ?? ""))
          .filter((view) => view !== null),
      });
    default:
      return null;
  }
};
