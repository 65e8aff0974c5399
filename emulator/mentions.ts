import { isObject, type Json } from "./validate/common.js";

/** Who a message actually pings, given its content and `allowed_mentions`. */
export interface Pinged {
  everyone: boolean;
  users: string[];
  roles: string[];
}

/**
 * What is parsed when a body has no `allowed_mentions` (docs: resources/message#allowed-mentions-
 * object-default-settings-for-allowed-mentions): everything in regular messages, only users in
 * interaction responses and webhook messages.
 */
export const DEFAULT_PARSE = {
  message: ["users", "roles", "everyone"],
  webhook: ["users"],
} as const;

/** What the sender may ping, besides what `allowed_mentions` allows. */
export interface PingRules {
  /** `parse` used when `allowed_mentions` is absent. */
  defaultParse: readonly string[];
  /** Mention Everyone in the channel: needed for @everyone/@here, and for unmentionable roles. */
  canMentionEveryone: boolean;
  /**
   * The guild's roles by id. A role id the emulator does not know counts as unmentionable, so it
   * pings only with Mention Everyone (existing tests mention made-up role ids).
   */
  roles: ReadonlyMap<string, { mentionable: boolean }>;
}

const IS_COMPONENTS_V2 = 1 << 15;

/**
 * The text Discord scans for mentions: the content, and with IS_COMPONENTS_V2 the Text Displays
 * of the components (docs: resources/message#allowed-mentions-object). Embeds never ping.
 */
export function mentionText(body: Json): string {
  const parts = [typeof body.content === "string" ? body.content : ""];
  if ((Number(body.flags ?? 0) & IS_COMPONENTS_V2) !== 0)
    collectTextDisplays(body.components, parts);
  return parts.join("\n");
}

function collectTextDisplays(value: unknown, into: string[]): void {
  if (!Array.isArray(value)) return;
  for (const component of value) {
    if (!isObject(component)) continue;
    if (component.type === 10 && typeof component.content === "string")
      into.push(component.content);
    collectTextDisplays(component.components, into);
  }
}

/**
 * Works out the pings of a message as Discord would: mentions present in the text, filtered by
 * `allowed_mentions` (or the context's default), then by the sender's permissions: @everyone needs
 * Mention Everyone, a role needs to be mentionable or the sender to have Mention Everyone.
 */
export function computePings(text: string, allowed: unknown, rules: PingRules): Pinged {
  const users = [...new Set([...text.matchAll(/<@!?(\d{17,20})>/g)].map((m) => m[1] as string))];
  const roles = [...new Set([...text.matchAll(/<@&(\d{17,20})>/g)].map((m) => m[1] as string))];
  const everyone = /@(everyone|here)\b/.test(text);
  const given = isObject(allowed) ? allowed : { parse: rules.defaultParse };
  const parse = Array.isArray(given.parse) ? (given.parse as string[]) : [];
  const listed = (kind: "users" | "roles") =>
    Array.isArray(given[kind]) ? (given[kind] as string[]) : [];
  const allowedRoles = parse.includes("roles")
    ? roles
    : roles.filter((id) => listed("roles").includes(id));
  return {
    everyone: everyone && parse.includes("everyone") && rules.canMentionEveryone,
    users: parse.includes("users") ? users : users.filter((id) => listed("users").includes(id)),
    roles: allowedRoles.filter((id) => {
      return rules.canMentionEveryone || rules.roles.get(id)?.mentionable === true;
    }),
  };
}
