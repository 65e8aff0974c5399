import type { EmulatorContext } from "../context.js";
import type { Gateway } from "../gateway.js";
import { isObject } from "../validate/common.js";
import { dmControl } from "./dms.js";
import { gatewayControl } from "./gateway.js";
import { interactionControl } from "./interactions.js";
import { operationsControl } from "./operations.js";
import { requestsControl } from "./requests.js";
import { bad, type ControlModule, type ControlResult } from "./types.js";
import { worldControl } from "./world.js";

export type { ControlResult } from "./types.js";

const MODULES: ControlModule[] = [
  worldControl,
  dmControl,
  interactionControl,
  gatewayControl,
  operationsControl,
  requestsControl,
];

/** The `/_emulator/` API that tests and scripts drive the emulator with. */
export function handleControl(
  ctx: EmulatorContext,
  gateway: Gateway,
  method: string,
  path: string,
  body: unknown,
): ControlResult {
  const parts = path.split("/").filter(Boolean).slice(1); // after "_emulator"
  const ids = parts.filter((part) => /^\d+$/.test(part));
  const route = `${method} ${parts.map((part) => (/^\d+$/.test(part) ? ":id" : part)).join("/")}`;
  const request = {
    ctx,
    gateway,
    method,
    route,
    ids,
    id: ids[0] ?? "",
    body: isObject(body) ? body : {},
  };
  for (const module of MODULES) {
    const result = module(request);
    if (result) return result;
  }
  return bad(`no control route ${method} ${path}`, 404);
}
