import type { Emulator } from "../../emulator/server.js";
import { rest } from "./discord.js";

/** Bodies and calls for the application-command rule tests. */
export type Body = Record<string, unknown>;
export const str = (name: string, extra: Body = {}) => ({
  type: 3,
  name,
  description: "d",
  ...extra,
});
export const chat = (options: unknown[], extra: Body = {}) => ({
  name: "paper",
  description: "d",
  options,
  ...extra,
});
export const sub = (name: string, options: unknown[] = []) => ({
  type: 1,
  name,
  description: "d",
  options,
});
export const group = (name: string, options: unknown[]) => ({
  type: 2,
  name,
  description: "d",
  options,
});
export const many = (n: number, make: (i: number) => Body) =>
  Array.from({ length: n }, (_, i) => make(i));

export const putCommands = (
  emulator: Emulator,
  guildId: string,
  body: unknown,
  scope: "global" | "guild" = "global",
) =>
  rest(
    emulator,
    "PUT",
    scope === "global"
      ? `/applications/${emulator.ctx.world.applicationId}/commands`
      : `/applications/${emulator.ctx.world.applicationId}/guilds/${guildId}/commands`,
    body,
  );

/** Follows an error path through Discord's nested `errors` object to its `_errors` list. */
export function errorsAt(body: Body, path: (string | number)[]): { code: string }[] | undefined {
  let node: unknown = body.errors;
  for (const key of path) node = (node as Body | undefined)?.[String(key)];
  return (node as { _errors?: { code: string }[] } | undefined)?._errors;
}
