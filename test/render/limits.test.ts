import { describe, expect, test } from "vitest";
import { discordLength, truncate } from "../../src/discord/limits.js";

describe("truncate", () => {
  test("leaves text that fits alone", () => {
    expect(truncate("짧은 글", 10)).toBe("짧은 글");
  });

  test("cuts at the last bullet line and marks the cut", () => {
    const text = `• first bullet\n• second bullet\n• third bullet that is long`;
    expect(truncate(text, 40)).toBe("• first bullet\n• second bullet\n…");
  });

  test("cuts at a sentence end when no bullet fits", () => {
    const text = "첫 문장입니다. 두 번째 문장입니다. 세 번째 문장은 아주 깁니다";
    const cut = truncate(text, 24);
    expect(cut).toBe("첫 문장입니다. 두 번째 문장입니다. …");
    expect(discordLength(cut)).toBeLessThanOrEqual(24);
  });

  test("never splits an emoji or a Korean syllable, and counts code points", () => {
    const text = `${"👩‍👩‍👧‍👦".repeat(5)}가나다라마바사`;
    for (let max = 1; max < discordLength(text); max++) {
      const cut = truncate(text, max);
      expect(discordLength(cut)).toBeLessThanOrEqual(max);
      expect(cut).not.toMatch(/\uFFFD/);
      expect(cut.replace(/…$/, "")).toSatisfy((s: string) => text.startsWith(s));
    }
  });
});
