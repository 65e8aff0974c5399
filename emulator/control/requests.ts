import { requestLog } from "../requests.js";
import { type ControlModule, ok } from "./types.js";

/**
 * `GET requests?route=&in_flight=` lists recorded REST requests; `GET contract` lists bodies
 * that failed the official schema. The query string arrives in `body` (see below).
 */
export const requestsControl: ControlModule = (request) => {
  const log = requestLog(request.ctx);
  if (request.route === "GET requests") {
    const { route, in_flight: flight } = request.body;
    return ok({
      requests: log.list({
        ...(typeof route === "string" ? { route } : {}),
        ...(flight === undefined ? {} : { inFlight: flight === true || flight === "true" }),
      }),
    });
  }
  if (request.route === "GET contract") return ok({ violations: log.violations() });
  return null;
};
