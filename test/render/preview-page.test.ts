import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, test } from "vitest";
import { parseDigest } from "../../src/digest/parse.js";
import { PAPERBOY_AVATAR } from "../../src/preview/avatar.js";
import { embedHtml, inlinePositions, previewPage } from "../../src/preview/page.js";
import { ROOT } from "../support/paths.js";

function sample() {
  const path = join(ROOT, "digests", "2024-02-20.md");
  const parsed = parseDigest(readFileSync(path, "utf8"), path);
  if (!parsed.ok) throw new Error(parsed.error.message);
  return parsed.digest;
}

describe("the preview page", () => {
  test("inline fields sit side by side, up to three a row, as Discord lays them out", () => {
    const fields = [true, true, true, true, false, true, true].map((inline) => ({ inline }));
    expect(inlinePositions(fields)).toEqual([1, 2, 3, 1, null, 1, 2]);
    const html = embedHtml({
      title: "t",
      fields: [
        { name: "Votes", value: "1", inline: true },
        { name: "Authors", value: "A", inline: true },
        { name: "Summary", value: "s" },
      ],
    });
    expect(html).toContain('field-title="Votes" inline inline-index="1"');
    expect(html).toContain('field-title="Authors" inline inline-index="2"');
    expect(html).toMatch(/field-title="Summary">/);
  });

  test("a Korean page has its title, heading and counts in Korean", () => {
    const page = previewPage(sample(), "ko", "thread", "");
    expect(page).toContain('<html lang="ko">');
    expect(page).toContain("<title>Paperboy 미리 보기 — Daily Papers 2024-02-20</title>");
    expect(page).toContain("#daily-papers — 2024-02-20 · 논문 14편 · 방식: 스레드");
    expect(page).not.toMatch(/papers · mode|Paperboy preview/);
  });

  test("an English page words the same in English", () => {
    const page = previewPage(sample(), "en", "embeds", "");
    expect(page).toContain("<title>Paperboy preview — Daily Papers 2024-02-20</title>");
    expect(page).toContain("#daily-papers — 2024-02-20 · 14 papers · mode: embeds");
  });

  test("the bot's avatar is bundled into the page, so it shows offline", () => {
    const page = previewPage(sample(), "ko", "embeds", "");
    expect(PAPERBOY_AVATAR).toMatch(/^data:image\/svg\+xml;base64,/);
    expect(Buffer.from(PAPERBOY_AVATAR.split(",")[1] ?? "", "base64").toString()).toMatch(/^<svg /);
    expect(page).toContain(`avatar="${PAPERBOY_AVATAR}"`);
    expect(page).not.toContain("cdn.discordapp.com");
  });

  test("--style cards shows every paper as a card, with its thumbnail beside the text and link buttons", () => {
    const page = previewPage(sample(), "ko", "thread", "", "cards");
    expect(page.match(/<div class="card" /g)).toHaveLength(14);
    const thumbs = page.match(/<img class="card-thumb" /g)?.length ?? 0;
    const videos = page.match(/<div class="card-gallery"><video /g)?.length ?? 0;
    expect(thumbs).toBeGreaterThan(0);
    expect(thumbs + videos).toBe(14);
    expect(page).toContain('<discord-button type="secondary" url="https://arxiv.org/abs/');
    expect(page).not.toContain("<discord-embed ");
  });
});
