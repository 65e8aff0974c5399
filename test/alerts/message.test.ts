import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import type { APIActionRowComponent, APIButtonComponentWithCustomId } from "discord.js";
import { describe, expect, test } from "vitest";
import { validateMessageBody } from "../../emulator/validate/message.js";
import { checkSchema } from "../../emulator/validate/schema.js";
import type { PaperMatch } from "../../src/alerts/match.js";
import { renderAlert } from "../../src/alerts/message.js";
import type { Paper } from "../../src/digest/model.js";
import { parseDigest } from "../../src/digest/parse.js";
import { DISCORD_LIMITS, discordLength } from "../../src/discord/limits.js";
import { CORPUS_DIR, hasCorpus } from "../support/paths.js";

const LONG = "긴 요약 문장입니다. ".repeat(100);
const paper = (n: number): Paper => ({
  id: `2402.${String(n).padStart(5, "0")}`,
  title: `Paper number ${n} with a title long enough to matter ${"x".repeat(150)}`,
  url: `https://arxiv.org/abs/2402.${String(n).padStart(5, "0")}`,
  votes: n,
  authors: ["Ada Lovelace", "@everyone"],
  authorsTruncated: false,
  media: null,
  summary: [{ label: "What's New", text: `${LONG}\n두 번째 줄` }],
});
const match = (n: number, extra: Partial<PaperMatch> = {}): PaperMatch => ({
  position: n,
  paper: paper(n),
  authors: ["Ada Lovelace"],
  topics: ["diffusion 영상"],
  ...extra,
});

type Rows = APIActionRowComponent<APIButtonComponentWithCustomId>[];

describe("a reader's alert", () => {
  test("lists what fits in Discord's limits, counts the rest, and has a button per listed paper", () => {
    const matches = Array.from({ length: 60 }, (_, i) => match(i + 1));
    for (const language of ["ko", "en"] as const) {
      const message = renderAlert("2024-02-20", matches, language);
      const embed = message.embeds[0];
      const description = embed?.description ?? "";
      expect(discordLength(description)).toBeLessThanOrEqual(DISCORD_LIMITS.embedDescription);
      const rows = (message.components ?? []) as Rows;
      const buttons = rows.flatMap((r) => r.components);
      expect(rows.length).toBeLessThanOrEqual(DISCORD_LIMITS.actionRows);
      expect(buttons.length).toBeGreaterThan(3);
      // Every listed paper has its button, and the count of the others is said.
      const listed = description.match(/^\*\*\d+\.\*\*/gm) ?? [];
      expect(listed).toHaveLength(buttons.length);
      expect(description).toContain(String(60 - buttons.length));
      expect(buttons[0]?.custom_id).toBe("follow:card:2024-02-20:1:2402.00001");
      for (const b of buttons) expect(discordLength(b.label ?? "")).toBeLessThanOrEqual(80);
      expect(message.allowed_mentions).toEqual({ parse: [] });
      expect(() =>
        validateMessageBody({ ...message } as never, { requireSomething: true }),
      ).not.toThrow();
      expect(checkSchema("MessageCreateRequest", message).ok).toBe(true);
    }
  });

  test("shows what matched in bold and the first summary line only", () => {
    const message = renderAlert("2024-02-20", [match(7)], "en");
    const description = message.embeds[0]?.description ?? "";
    expect(description).toContain("Author: **Ada Lovelace**");
    expect(description).toContain("Topic: **diffusion 영상**");
    expect(description).not.toContain("두 번째 줄");
    expect(message.embeds[0]?.title).toBe("📬 1 paper you follow · Daily Papers 2024-02-20");
  });

  test.skipIf(!hasCorpus)(
    "every paper of the corpus, as an alert of its whole digest, passes the schema and the emulator",
    () => {
      let alerts = 0;
      for (const file of readdirSync(CORPUS_DIR).filter((f) => f.endsWith(".md"))) {
        const parsed = parseDigest(readFileSync(join(CORPUS_DIR, file), "utf8"), file);
        if (!parsed.ok || parsed.digest.papers.length === 0) continue;
        const matches = parsed.digest.papers.map((p, i) => ({
          position: i + 1,
          paper: p,
          authors: p.authors.slice(0, 2),
          topics: ["모델"],
        }));
        for (const language of ["ko", "en"] as const) {
          const message = renderAlert(parsed.digest.date, matches, language);
          expect(checkSchema("MessageCreateRequest", message).fields, file).toEqual([]);
          expect(
            () => validateMessageBody({ ...message } as never, { requireSomething: true }),
            file,
          ).not.toThrow();
          alerts++;
        }
      }
      expect(alerts).toBeGreaterThan(600);
    },
    120_000,
  );
});
