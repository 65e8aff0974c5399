import { ApiError, type FormErrorCollector } from "./errors.js";
import type { SnowflakeFactory } from "./snowflake.js";
import { isSnowflake } from "./snowflake.js";
import { isObject, type Json } from "./validate/common.js";

/** Thread and forum limits from docs: resources/channel (kept here: validate/limits.ts is not ours). */
export const THREAD_LIMITS = {
  autoArchiveDurations: [60, 1440, 4320, 10080],
  rateLimitPerUserMax: 21_600,
  availableTags: 20,
  tagName: 20,
  appliedTags: 5,
} as const;

/** Channel flag REQUIRE_TAG (docs: resources/channel#channel-object-channel-flags). */
export const REQUIRE_TAG = 1 << 4;

export interface ForumTag {
  id: string;
  name: string;
  moderated: boolean;
  emoji_id: string | null;
  emoji_name: string | null;
}

/** Forum (15) and media (16) channels hold tags and posts. */
export function isForumType(type: number): boolean {
  return type === 15 || type === 16;
}

/** `auto_archive_duration` and `rate_limit_per_user` of a thread create, as Discord checks them. */
export function checkThreadOptions(
  errors: FormErrorCollector,
  body: Json,
): { autoArchiveDuration?: number; rateLimitPerUser?: number } {
  const out: { autoArchiveDuration?: number; rateLimitPerUser?: number } = {};
  const archive = body.auto_archive_duration;
  if (archive !== undefined && archive !== null) {
    if (!(THREAD_LIMITS.autoArchiveDurations as readonly unknown[]).includes(archive))
      errors.add(
        ["auto_archive_duration"],
        "BASE_TYPE_CHOICES",
        `Value must be one of {${THREAD_LIMITS.autoArchiveDurations.join(", ")}}.`,
      );
    else out.autoArchiveDuration = archive as number;
  }
  const slow = body.rate_limit_per_user;
  if (slow !== undefined && slow !== null) {
    if (typeof slow !== "number" || !Number.isInteger(slow))
      errors.add(["rate_limit_per_user"], "NUMBER_TYPE_COERCE", `Value "${slow}" is not int.`);
    else if (slow < 0)
      errors.add(
        ["rate_limit_per_user"],
        "NUMBER_TYPE_MIN",
        "int value should be greater than or equal to 0.",
      );
    else if (slow > THREAD_LIMITS.rateLimitPerUserMax)
      errors.add(
        ["rate_limit_per_user"],
        "NUMBER_TYPE_MAX",
        `int value should be less than or equal to ${THREAD_LIMITS.rateLimitPerUserMax}.`,
      );
    else out.rateLimitPerUser = slow;
  }
  return out;
}

/**
 * A forum post's `applied_tags`: at most 5, each one of the forum's tags (docs:
 * resources/channel#thread-only-channel-fields). Collects form errors; the REQUIRE_TAG check
 * (40067) runs after them in `requireTag`.
 */
export function checkAppliedTags(
  errors: FormErrorCollector,
  value: unknown,
  tags: readonly ForumTag[],
): string[] {
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value)) {
    errors.add(["applied_tags"], "BASE_TYPE_ARRAY", "Must be an array.");
    return [];
  }
  if (value.length > THREAD_LIMITS.appliedTags)
    errors.add(
      ["applied_tags"],
      "BASE_TYPE_MAX_LENGTH",
      `Must be ${THREAD_LIMITS.appliedTags} or fewer in length.`,
    );
  value.forEach((id, index) => {
    if (!tags.some((tag) => tag.id === id))
      errors.add(
        ["applied_tags", index],
        "TAG_INVALID",
        `Tag ${String(id)} is not available in this channel.`,
      );
  });
  return [...new Set(value as string[])];
}

/** A REQUIRE_TAG forum refuses a post without a tag (docs: topics/opcodes-and-status-codes, 40067). */
export function requireTag(flags: number, applied: readonly string[]): void {
  if ((flags & REQUIRE_TAG) !== 0 && applied.length === 0)
    throw new ApiError(400, 40067, "A tag is required to create a forum post in this channel");
}

/**
 * Tags from a control body: `[{name, moderated?, emoji_id?, emoji_name?, id?}]`, ≤ 20, names
 * 1–20 (the docs allow 0–20; an empty tag name is refused here on purpose). Throws a message.
 */
export function parseTags(value: unknown, ids: SnowflakeFactory): ForumTag[] {
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value)) throw new Error("available_tags must be an array");
  if (value.length > THREAD_LIMITS.availableTags)
    throw new Error(`available_tags holds at most ${THREAD_LIMITS.availableTags} tags`);
  return value.map((raw, index) => {
    const tag = isObject(raw) ? raw : {};
    const name = tag.name;
    if (typeof name !== "string" || name.length < 1 || [...name].length > THREAD_LIMITS.tagName)
      throw new Error(
        `available_tags[${index}].name must be 1–${THREAD_LIMITS.tagName} characters`,
      );
    const emojiId = tag.emoji_id ?? null;
    const emojiName = tag.emoji_name ?? null;
    if (emojiId !== null && emojiName !== null)
      throw new Error(`available_tags[${index}]: at most one of emoji_id and emoji_name`);
    if (emojiId !== null && !isSnowflake(emojiId))
      throw new Error(`available_tags[${index}].emoji_id must be a snowflake`);
    return {
      id: isSnowflake(tag.id) ? tag.id : ids.next(),
      name,
      moderated: tag.moderated === true,
      emoji_id: emojiId as string | null,
      emoji_name: emojiName as string | null,
    };
  });
}

/** A control body's channel `flags`: a non-negative integer. */
export function parseFlags(value: unknown): number {
  if (value === undefined || value === null) return 0;
  if (typeof value !== "number" || !Number.isInteger(value) || value < 0)
    throw new Error("flags must be a non-negative integer");
  return value;
}
