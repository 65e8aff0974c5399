import type { CreateInteraction } from "../interactions.js";
import { bad, type ControlModule, ok } from "./types.js";

/** Interactions as a user would trigger them, and the commands the bot registered. */
export const interactionControl: ControlModule = ({ ctx, route, id, body }) => {
  switch (route) {
    case "GET commands":
      return ok(Object.fromEntries(ctx.commands));
    case "POST interactions": {
      try {
        const interaction = ctx.interactions.create(
          body as unknown as CreateInteraction,
          ctx.commands,
        );
        return ok({ id: interaction.id, token: interaction.token });
      } catch (error) {
        return bad((error as Error).message);
      }
    }
    case "POST interactions/endpoint": {
      if (!ctx.interactions.endpoint)
        return bad("the emulator was started without interactionsUrl");
      if (typeof body.in_use !== "boolean") return bad("in_use must be true or false");
      ctx.interactions.endpointInUse = body.in_use;
      return ok({ in_use: body.in_use });
    }
    case "GET interactions/:id": {
      const view = ctx.interactions.view(id);
      return view ? ok(view) : bad("unknown interaction", 404);
    }
    default:
      return null;
  }
};
