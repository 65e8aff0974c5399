import type { Catalog } from "../archive/catalog.js";
import { foldName } from "../archive/search-key.js";
import { UserError } from "../commands/command.js";
import type { Store } from "../delivery/store.js";
import { DISCORD_LIMITS, discordLength, truncate } from "../discord/limits.js";
import type { Language } from "../i18n.js";
import { escapeMarkdown } from "../render/markdown.js";
import { followKey } from "./keys.js";
import { type Follow, type FollowKind, MAX_FOLLOWS, MAX_TOPIC_LENGTH } from "./model.js";
import { ALERT_TEXT, ta } from "./text.js";

type Texts = typeof ALERT_TEXT;

const CONTROL = /\p{Cc}/gu;

/** Both languages of an alert text, for a `UserError`. */
function both<K extends keyof Texts>(key: K, ...args: unknown[]): Record<Language, string> {
  const pick = (language: Language) => {
    const value = ALERT_TEXT[key][language] as unknown;
    return typeof value === "function" ? String(value(...args)) : String(value);
  };
  return { ko: pick("ko"), en: pick("en") };
}

/** How a follow reads in a reply: "author **Name**" or "topic **words**". */
export function followWhat(follow: Pick<Follow, "kind" | "value">, language: Language): string {
  const value = escapeMarkdown(follow.value);
  return follow.kind === "author"
    ? ta(language, "authorWhat")(value)
    : ta(language, "topicWhat")(value);
}

/**
 * The author a reader means: the archive's spelling of the name they gave (accents and case
 * ignored), or the one full name whose surname it is. A name the archive does not hold yet is
 * followed as written (the reader is told); a surname shared by several authors is refused
 * with their names, so that no follow silently matches nobody.
 */
export function resolveAuthor(catalog: Catalog, name: string): { name: string; known: boolean } {
  const key = foldName(name);
  if (key === "") throw new UserError(both("followOneOption"));
  const refs = catalog.byAuthor(name);
  const names = new Set<string>();
  for (const ref of refs)
    for (const author of ref.paper.authors) {
      const folded = foldName(author);
      if (folded === key) return { name: author, known: true };
      if (folded.endsWith(` ${key}`)) names.add(author);
    }
  if (names.size === 1) return { name: [...names][0] as string, known: true };
  if (names.size > 1) {
    const listed = [...names].slice(0, 5).join(", ") + (names.size > 5 ? ", …" : "");
    throw new UserError(both("followSeveral", name, listed));
  }
  return { name: name.trim(), known: false };
}

/** `/follow`: adds an author or a topic for the reader; returns the ephemeral answer. */
export async function follow(
  deps: { store: Store; catalog: Catalog },
  input: {
    userId: string;
    author: string | null;
    topic: string | null;
    language: Language;
    /** Asked in the reader's DM with the bot, where the alerts come. */
    inBotDm?: boolean;
  },
): Promise<string> {
  const { language } = input;
  // Control characters (NUL included) match nothing and no database should store them.
  const clean = (value: string | null) => value?.replace(CONTROL, " ").trim() || null;
  const author = clean(input.author);
  const topic = clean(input.topic);
  if ((author === null) === (topic === null)) throw new UserError(both("followOneOption"));
  let kind: FollowKind;
  let value: string;
  let unknownAuthor = false;
  if (author !== null) {
    const resolved = resolveAuthor(deps.catalog, author);
    kind = "author";
    value = resolved.name;
    unknownAuthor = !resolved.known;
  } else {
    kind = "topic";
    value = (topic as string).replace(/\s+/g, " ");
    if (discordLength(value) > MAX_TOPIC_LENGTH)
      throw new UserError(both("followTopicLong", MAX_TOPIC_LENGTH));
  }
  const key = followKey(kind, value);
  if (key === "") throw new UserError(both("followEmptyTopic"));
  const result = await deps.store.addFollow(
    { userId: input.userId, kind, value, key, language },
    MAX_FOLLOWS,
  );
  if (result.status === "full") throw new UserError(both("followFull", MAX_FOLLOWS));
  const what = followWhat(result.follow, language);
  if (result.status === "exists") return ta(language, "followExists")(what);
  const count = (await deps.store.follows(input.userId)).length;
  const lines = [ta(language, "followAdded")(what, count, MAX_FOLLOWS)];
  if (unknownAuthor) lines.push(ta(language, "followUnknownYet"));
  lines.push(ta(language, input.inBotDm ? "dmHowToHere" : "dmHowTo"));
  return lines.join("\n\n");
}

/** The reader's follows as autocomplete choices (for `/unfollow`), best match first. */
export async function followChoices(
  store: Store,
  userId: string,
  typed: string,
  language: Language,
  /** Only follows of this kind (the `author` or `topic` option). */
  kind: FollowKind | null = null,
): Promise<{ name: string; value: string }[]> {
  const wanted = typed.trim().toLowerCase();
  const label = (f: Follow) =>
    truncate(`${f.kind === "author" ? "👤" : "🔎"} ${f.value}`, DISCORD_LIMITS.choiceName) ||
    ta(language, "matchedTopic");
  return (await store.follows(userId))
    .filter((f) => kind === null || f.kind === kind)
    .filter((f) => wanted === "" || f.value.toLowerCase().includes(wanted))
    .slice(0, 25)
    .map((f) => ({ name: label(f), value: String(f.id) }));
}

/** `/unfollow`: removes the follow chosen (its id from the suggestions, or its words typed). */
export async function unfollow(
  store: Store,
  input: { userId: string; choice: string; language: Language },
): Promise<string> {
  const mine = await store.follows(input.userId);
  const typed = input.choice.trim();
  const chosen =
    mine.find((f) => String(f.id) === typed) ??
    mine.find((f) => f.value.toLowerCase() === typed.toLowerCase()) ??
    mine.find((f) => f.key === followKey(f.kind, typed));
  const removed = chosen ? await store.removeFollow(input.userId, chosen.id) : null;
  if (!removed) throw new UserError(both("notFollowing"));
  return ta(input.language, "removed")(followWhat(removed, input.language));
}
