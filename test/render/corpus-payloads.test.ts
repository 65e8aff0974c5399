import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { REST } from "discord.js";
import { afterAll, describe, expect, test } from "vitest";
import type { Emulator } from "../../emulator/server.js";
import { validateMessageBody } from "../../emulator/validate/message.js";
import { checkSchema, type SchemaName } from "../../emulator/validate/schema.js";
import type { Digest } from "../../src/digest/model.js";
import { parseDigest } from "../../src/digest/parse.js";
import { IS_COMPONENTS_V2 } from "../../src/discord/limits.js";
import { type DeliveryMode, layoutDigest, layoutUpdate } from "../../src/render/digest-messages.js";
import { packCards, renderPaperCard } from "../../src/render/paper-card.js";
import { embedSize, renderPaperEmbed } from "../../src/render/paper-embed.js";
import { NO_FILTER, selectPapers } from "../../src/render/select.js";
import { emulatorWithGuild } from "../support/emulator-world.js";
import { CORPUS_DIR, hasCorpus } from "../support/paths.js";

const MODES: DeliveryMode[] = ["embeds", "thread", "forum"];
const LANGUAGE_STYLES = [
  ["ko", "embeds"],
  ["en", "embeds"],
  ["ko", "cards"],
  ["en", "cards"],
] as const;
let emulator: Emulator | undefined;
afterAll(() => emulator?.close());

function corpus(): Digest[] {
  return readdirSync(CORPUS_DIR)
    .filter((name) => name.endsWith(".md"))
    .flatMap((name) => {
      const result = parseDigest(readFileSync(join(CORPUS_DIR, name), "utf8"), name);
      return result.ok ? [result.digest] : [];
    });
}

/** Every body delivery would send for one layout, with the official schema it must pass. */
function requestBodies(layout: ReturnType<typeof layoutDigest>, mode: DeliveryMode) {
  // As src/delivery/rest-sender.ts sends them: a message with its nonce, the thread or the post.
  const send = (message: object) => ({
    ...message,
    nonce: "1234567890123456789",
    enforce_nonce: true,
  });
  const thread = { name: layout.threadName, auto_archive_duration: 1440 };
  const bodies: [SchemaName, unknown][] = layout.papers.map((m) => [
    "MessageCreateRequest",
    send(m),
  ]);
  if (mode === "forum")
    bodies.push([
      "CreateForumThreadRequest",
      { ...thread, message: layout.header, applied_tags: ["123456789012345679"] },
    ]);
  else bodies.push(["MessageCreateRequest", send(layout.header)]);
  if (mode === "thread") bodies.push(["CreateTextThreadWithMessageRequest", thread]);
  return bodies;
}

describe.skipIf(!hasCorpus)("every payload of the real corpus", () => {
  const digests = hasCorpus ? corpus() : [];

  test("passes Discord's official schema, strictly, in every mode and language", () => {
    const failures: string[] = [];
    let bodies = 0;
    for (const digest of digests) {
      const papers = selectPapers(digest, NO_FILTER);
      for (const mode of MODES) {
        for (const [language, style] of LANGUAGE_STYLES) {
          const layout = layoutDigest(digest, papers, {
            language,
            mode,
            mentionRoleId: "123456789012345678",
            style,
          });
          // A later update of the same digest (papers added after delivery) goes out too.
          const update = layoutUpdate(digest, papers, { language, mode, style });
          const sent = [
            ...requestBodies(layout, mode),
            ...[update.header, ...update.papers].map((m): [SchemaName, unknown] => [
              "MessageCreateRequest",
              m,
            ]),
          ];
          for (const [schema, body] of sent) {
            const verdict = checkSchema(schema, body);
            if (!verdict.ok)
              failures.push(
                `${digest.date} ${mode} ${language} ${style} ${schema}: ${verdict.fields.join(", ")}`,
              );
            bodies++;
          }
        }
      }
    }
    expect(failures).toEqual([]);
    expect(bodies).toBeGreaterThan(357 * 6 * 4);
    console.info(`corpus sweep: ${bodies} request bodies checked against the schema`);
  }, 240_000); // 357 digests × 3 modes × 2 styles × 2 languages: slow on a loaded machine

  test("passes the emulator's validation in every mode and language", () => {
    let messages = 0;
    for (const digest of digests) {
      const papers = selectPapers(digest, NO_FILTER);
      for (const mode of MODES) {
        for (const [language, style] of LANGUAGE_STYLES) {
          const layout = layoutDigest(digest, papers, {
            language,
            mode,
            mentionRoleId: null,
            style,
          });
          for (const message of [layout.header, ...layout.papers]) {
            expect(
              () => validateMessageBody({ ...message }, { requireSomething: true }),
              `${digest.date} ${mode} ${style}`,
            ).not.toThrow();
            messages++;
          }
        }
      }
    }
    expect(messages).toBeGreaterThan(357 * 6 * 4);
  }, 240_000); // 357 digests × 3 modes × 2 styles × 2 languages: slow on a loaded machine

  test("the ten longest entries are accepted by the emulator over real HTTP", async () => {
    const world = await emulatorWithGuild({ rateLimits: { enabled: false } });
    emulator = world.emulator;
    const rest = new REST({ version: "10", api: emulator.apiUrl }).setToken(emulator.token);
    const embeds = digests
      .flatMap((digest) =>
        digest.papers.map((paper, i) =>
          renderPaperEmbed(
            paper,
            { date: digest.date, rank: i + 1, total: digest.papers.length },
            "ko",
          ),
        ),
      )
      .sort((a, b) => embedSize(b) - embedSize(a))
      .slice(0, 10);
    expect(embedSize(embeds[0] ?? {})).toBeGreaterThan(2000);
    for (const embed of embeds) {
      await rest.post(`/channels/${world.guild.text}/messages`, {
        body: { embeds: [embed], allowed_mentions: { parse: [] } },
      });
    }
  });

  test("the ten longest entries as cards are accepted by the emulator over real HTTP, one card a message at most", async () => {
    const world = await emulatorWithGuild({ rateLimits: { enabled: false } });
    const rest = new REST({ version: "10", api: world.emulator.apiUrl }).setToken(
      world.emulator.token,
    );
    try {
      const cards = digests
        .flatMap((digest) =>
          digest.papers.map((paper, i) =>
            renderPaperCard(
              paper,
              { date: digest.date, rank: i + 1, total: digest.papers.length },
              "ko",
            ),
          ),
        )
        .sort((a, b) => b.text - a.text)
        .slice(0, 10);
      expect(cards[0]?.text).toBeGreaterThan(1500);
      for (const group of packCards(cards)) {
        await rest.post(`/channels/${world.guild.text}/messages`, {
          body: { components: group, flags: IS_COMPONENTS_V2, allowed_mentions: { parse: [] } },
        });
      }
      expect(world.emulator.ctx.world.messages.size).toBeGreaterThanOrEqual(3);
    } finally {
      await world.emulator.close();
    }
  });
});
