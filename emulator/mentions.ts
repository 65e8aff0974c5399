import { isObject, type Json } from "./validate/common.js";

/** Who a message actually pings, given its content and `allowed_mentions`. */
export interface Pinged {
  everyone: boolean;
  users: string[];
  roles: string[];
}

/** Works out the pings of a message's content as Discord would (embeds never ping). */
export function computePings(content: unknown, allowed: unknown): Pinged {
  const text = typeof content === "string" ? content : "";
  const users = [...new Set([...text.matchAll(/<@!?(\d{17,20})>/g)].map((m) => m[1] as string))];
  const roles = [...new Set([...text.matchAll(/<@&(\d{17,20})>/g)].map((m) => m[1] as string))];
  const everyone = /@(everyone|here)\b/.test(text);
  if (!isObject(allowed)) return { everyone, users, roles };
  const rules = allowed as Json;
  const parse = Array.isArray(rules.parse) ? (rules.parse as string[]) : [];
  const listed = (kind: "users" | "roles") =>
    Array.isArray(rules[kind]) ? (rules[kind] as string[]) : [];
  return {
    everyone: everyone && parse.includes("everyone"),
    users: parse.includes("users") ? users : users.filter((id) => listed("users").includes(id)),
    roles: parse.includes("roles") ? roles : roles.filter((id) => listed("roles").includes(id)),
  };
}
