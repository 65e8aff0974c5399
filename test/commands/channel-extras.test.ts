import { describe, expect, test } from "vitest";
import {
  checkRoleMention,
  resolveForumTag,
  tagChoices,
} from "../../src/commands/channel-extras.js";

const forum = (requiresTag: boolean) => ({
  requiresTag,
  tags: [
    { id: "111111111111111111", name: "Papers" },
    { id: "222222222222222222", name: "News" },
  ],
});

describe("forum tags", () => {
  test("a typed name or an autocompleted id picks the tag, ignoring case", () => {
    expect(resolveForumTag(forum(true), "papers")).toBe("111111111111111111");
    expect(resolveForumTag(forum(false), "222222222222222222")).toBe("222222222222222222");
  });

  test("no tag is fine where the forum does not require one, and refused where it does", () => {
    expect(resolveForumTag(forum(false), null)).toBeNull();
    expect(() => resolveForumTag(forum(true), " ")).toThrow(/requires a tag/);
  });

  test("an unknown tag and a tag on a channel that is not a forum are explained", () => {
    expect(() => resolveForumTag(forum(false), "Memes")).toThrow(
      /no tag "Memes". Pick one of its tags with the tag option: Papers, News/,
    );
    expect(() => resolveForumTag(null, "Papers")).toThrow(/forum channels only/);
    expect(resolveForumTag(null, null)).toBeNull();
  });

  test("autocomplete offers the tags whose name contains what was typed", () => {
    expect(tagChoices(forum(false), "a")).toEqual([
      { name: "Papers", value: "111111111111111111" },
    ]);
    expect(tagChoices(null, "")).toEqual([]);
  });
});

describe("role mentions", () => {
  test("a mentionable role, or any role when the bot has Mention Everyone, passes", () => {
    expect(() => checkRoleMention({ id: "1", mentionable: true }, false)).not.toThrow();
    expect(() => checkRoleMention({ id: "1", mentionable: false }, true)).not.toThrow();
    expect(() => checkRoleMention(null, false)).not.toThrow();
  });

  test("a role nobody would be notified for is refused with both fixes named", () => {
    expect(() => checkRoleMention({ id: "1", mentionable: false }, false)).toThrow(
      /not mentionable.*Allow anyone to @mention this role.*Mention @everyone, @here and All Roles/,
    );
  });
});
