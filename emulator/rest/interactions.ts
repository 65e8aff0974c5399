import type { EmulatorContext } from "../context.js";
import { BUCKETS, type Route } from "../router.js";

/** Interaction callbacks and the interaction webhook routes (no bot token needed, as on Discord). */
export function interactionRoutes(ctx: EmulatorContext): Route[] {
  const interactions = ctx.interactions;
  const hook = (params: Record<string, string>) =>
    interactions.forWebhook(params.app ?? "", params.token ?? "");
  const byToken = (params: Record<string, string>) => params.token ?? params.interaction ?? "";
  const messageRoutes = ["GET", "PATCH", "DELETE"].map(
    (method): Route => ({
      method,
      template: "/webhooks/:app/:token/messages/:message",
      auth: false,
      ...(method === "PATCH"
        ? { schema: "IncomingWebhookUpdateForInteractionCallbackRequestPartial" }
        : {}),
      bucket: BUCKETS.interaction(`${method} /webhooks/:app/:token/messages/:message`),
      major: byToken,
      handle: (req) => {
        const interaction = hook(req.params);
        const id = req.params.message ?? "";
        if (method === "GET") return { body: interactions.webhookMessage(interaction, id).data };
        if (method === "PATCH")
          return { body: interactions.editWebhookMessage(interaction, id, req.body).data };
        ctx.world.deleteMessage(interactions.webhookMessage(interaction, id));
        return {};
      },
    }),
  );
  return [
    {
      method: "POST",
      template: "/interactions/:interaction/:token/callback",
      auth: false,
      schema: "InteractionCallbackRequest",
      bucket: BUCKETS.interaction("POST /interactions/:interaction/:token/callback"),
      major: byToken,
      handle: (req) => {
        const withResponse = req.query.get("with_response") === "true";
        const body = interactions.callback(
          req.params.interaction ?? "",
          req.params.token ?? "",
          req.body,
          withResponse,
        );
        return body === undefined ? {} : { body };
      },
    },
    {
      method: "POST",
      template: "/webhooks/:app/:token",
      auth: false,
      schema: "IncomingWebhookInteractionRequest",
      bucket: BUCKETS.interaction("POST /webhooks/:app/:token"),
      major: byToken,
      handle: (req) => {
        // docs: Create Followup Message "functions the same as Execute Webhook, but wait is always true".
        return { body: interactions.followUp(hook(req.params), req.body).data };
      },
    },
    ...messageRoutes,
  ];
}
