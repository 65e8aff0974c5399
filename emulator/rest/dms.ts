import type { EmulatorContext } from "../context.js";
import { BUCKETS, type Route } from "../router.js";

/**
 * Create DM (docs: resources/user#create-dm). Messages in the DM channel it returns go through
 * the channel routes, as in a guild channel.
 */
export function dmRoutes(ctx: EmulatorContext): Route[] {
  const world = ctx.world;
  return [
    {
      method: "POST",
      template: "/users/@me/channels",
      auth: true,
      schema: "CreatePrivateChannelRequest",
      bucket: BUCKETS.general("POST /users/@me/channels"),
      major: () => "",
      handle: (req) => ({ status: 200, body: world.channelPayload(world.dms.open(req.body)) }),
    },
  ];
}
