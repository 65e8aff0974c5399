import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { FormErrorCollector } from "../../emulator/errors.js";
import type { Emulator } from "../../emulator/server.js";
import { validateEmbeds } from "../../emulator/validate/embeds.js";
import { validateMessageBody } from "../../emulator/validate/message.js";
import { validateNonce } from "../../emulator/validate/message-fields.js";
import { rest } from "../support/discord.js";
import { emulatorWithGuild, type TestGuild } from "../support/emulator-world.js";

let emulator: Emulator;
let guild: TestGuild;
beforeAll(async () => {
  ({ emulator, guild } = await emulatorWithGuild({ rateLimits: { enabled: false } }));
});
afterAll(() => emulator.close());

const x = (n: number) => "x".repeat(n);
const quiet = { allowed_mentions: { parse: [] } };
const post = (body: Record<string, unknown>) =>
  rest(emulator, "POST", `/channels/${guild.text}/messages`, { ...quiet, ...body });

/** Follows an error path through Discord's nested `errors` object to its `_errors` list. */
function errorsAt(body: Record<string, unknown>, path: (string | number)[]) {
  let node: unknown = body.errors;
  for (const key of path) node = (node as Record<string, unknown> | undefined)?.[String(key)];
  return (node as { _errors?: { code: string }[] } | undefined)?._errors;
}

const REFUSED: [string, Record<string, unknown>, (string | number)[]][] = [
  // docs: resources/message#embed-object-embed-limits (limits count the trimmed text)
  [
    "a field value of only spaces",
    { embeds: [{ fields: [{ name: "n", value: "   " }] }] },
    ["embeds", 0, "fields", 0, "value"],
  ],
  // docs: resources/message#embed-object (timestamp is an ISO 8601 timestamp)
  [
    "a timestamp on February 30th",
    { embeds: [{ title: "t", timestamp: "2024-02-30T00:00:00Z" }] },
    ["embeds", 0, "timestamp"],
  ],
  [
    "a date that does not exist",
    { embeds: [{ title: "t", timestamp: "2024-02-30" }] },
    ["embeds", 0, "timestamp"],
  ],
  // deliberately strict: a date without a time is not an instant
  [
    "a timestamp that is a date alone",
    { embeds: [{ title: "t", timestamp: "2024-02-20" }] },
    ["embeds", 0, "timestamp"],
  ],
  [
    "a timestamp in English",
    { embeds: [{ title: "t", timestamp: "Feb 20 2024" }] },
    ["embeds", 0, "timestamp"],
  ],
  // docs: resources/message#embed-object-embed-image-structure and …-author-structure, …-footer-structure
  [
    "an ftp thumbnail",
    { embeds: [{ thumbnail: { url: "ftp://a.example/i.png" } }] },
    ["embeds", 0, "thumbnail", "url"],
  ],
  [
    "a data: author icon",
    { embeds: [{ author: { name: "a", icon_url: "data:image/png;base64,AA" } }] },
    ["embeds", 0, "author", "icon_url"],
  ],
  [
    "an attachment author url",
    { embeds: [{ author: { name: "a", url: "attachment://a.png" } }] },
    ["embeds", 0, "author", "url"],
  ],
  [
    "a footer icon that is a bare path",
    { embeds: [{ footer: { text: "f", icon_url: "/i.png" } }] },
    ["embeds", 0, "footer", "icon_url"],
  ],
  [
    "an embed url over 2,048",
    { embeds: [{ title: "t", url: `https://a.example/${x(2040)}` }] },
    ["embeds", 0, "url"],
  ],
  [
    "an image url over 2,048",
    { embeds: [{ image: { url: `https://a.example/${x(2040)}` } }] },
    ["embeds", 0, "image", "url"],
  ],
  [
    "a footer icon url over 2,048",
    { embeds: [{ footer: { text: "f", icon_url: `https://a.example/${x(2040)}` } }] },
    ["embeds", 0, "footer", "icon_url"],
  ],
  // docs: resources/message#allowed-mentions-object (arrays of snowflakes, max 100)
  [
    "a user id that is not a snowflake",
    { content: "c", allowed_mentions: { users: ["alice"] } },
    ["allowed_mentions", "users", 0],
  ],
  [
    "a role id of 16 digits",
    { content: "c", allowed_mentions: { roles: ["1234567890123456"] } },
    ["allowed_mentions", "roles", 0],
  ],
  [
    "101 user ids",
    {
      content: "c",
      allowed_mentions: {
        users: Array.from({ length: 101 }, (_, i) => `${100000000000000000n + BigInt(i)}`),
      },
    },
    ["allowed_mentions", "users"],
  ],
  // docs: resources/message#create-message (nonce: integer or string up to 25 characters)
  ["an integer nonce beyond int64", { content: "c", nonce: 2 ** 64 }, ["nonce"]],
  ["a fractional nonce", { content: "c", nonce: 1.5 }, ["nonce"]],
  ["a 26-character string nonce", { content: "c", nonce: x(26) }, ["nonce"]],
];

describe("message and embed rules Discord enforces", () => {
  test.each(REFUSED)("refuses %s with 400/50035 naming the field", async (_name, body, path) => {
    const response = await post(body);
    expect(response.status).toBe(400);
    expect(response.body).toMatchObject({ code: 50035 });
    expect(errorsAt(response.body, path)?.[0]?.code).toEqual(expect.any(String));
  });

  test("trims whitespace before counting the 6,000 total (docs: resources/message#embed-object-embed-limits)", async () => {
    const pad = " ".repeat(90);
    const response = await post({
      embeds: [{ description: `${x(4000)}${pad}` }, { description: `${pad}${x(2000)}` }],
    });
    expect(response.status).toBe(200);
    const over = await post({
      embeds: [{ description: x(4000) }, { description: `${x(2001)}${pad}` }],
    });
    expect(errorsAt(over.body, ["embeds"])?.[0]?.code).toBe("MAX_EMBED_SIZE_EXCEEDED");
  });

  // The schema gate in front measures raw lengths, so per-field trimming is checked here directly.
  test("trims whitespace before measuring each embed text (docs: resources/message#embed-object-embed-limits)", () => {
    const padded = (n: number) => `   ${x(n)}\n\n  `;
    expect(() =>
      validateMessageBody(
        {
          embeds: [
            { title: padded(256), description: padded(4096), footer: { text: padded(100) } },
            { description: padded(1547), author: { name: `${padded(0)}a` } },
          ],
        },
        { requireSomething: true },
      ),
    ).not.toThrow();
  });

  test("an embed timestamp must be a real ISO 8601 instant (docs: resources/message#embed-object)", () => {
    const refused = (timestamp: string) => {
      const errors = new FormErrorCollector();
      validateEmbeds(errors, ["embeds"], [{ title: "t", timestamp }]);
      return errors.errors.embeds ? JSON.stringify(errors.errors) : "";
    };
    for (const bad of [
      "2024-02-30T00:00:00Z",
      "2024-02-30",
      "Feb 20 2024",
      "2024-02-20",
      "2024-13-01T00:00:00Z",
    ])
      expect(refused(bad)).toContain("DATE_TIME_TYPE_PARSE");
    for (const good of [
      "2024-02-20T00:00:00.000Z",
      "2024-02-29T23:59:59+09:00",
      "2024-02-20T10:00",
    ])
      expect(refused(good)).toBe("");
  });

  test("accepts real ISO 8601 instants, attachment images and 2,048-character URLs (docs: resources/message#embed-object)", async () => {
    const url = `https://a.example/${x(2048 - 18)}`;
    const response = await post({
      embeds: [
        { title: "t", timestamp: "2024-02-20T00:00:00.000Z", url, image: { url } },
        {
          title: "u",
          timestamp: "2024-02-29T23:59:59Z",
          thumbnail: { url: "attachment://t.png" },
        },
        {
          author: { name: "a", icon_url: "attachment://a.png", url },
          footer: { text: "f", icon_url: url },
        },
      ],
    });
    expect(response.status).toBe(200);
  });

  test("accepts snowflake ids and signed 64-bit integer nonces (docs: resources/message#create-message)", async () => {
    const response = await post({
      content: "<@123456789012345678>",
      nonce: -(2 ** 63),
      allowed_mentions: { users: ["123456789012345678"], roles: ["12345678901234567890"] },
    });
    expect(response.status).toBe(200);
    expect((await post({ content: "c", nonce: 2 ** 62 })).status).toBe(200);
  });

  test("refuses an integer nonce of 2^63, the first value beyond int64", () => {
    const errors = new FormErrorCollector();
    validateNonce(errors, 2 ** 63);
    validateNonce(errors, 2 ** 63 - 1024); // the largest double below 2^63: still int64
    expect(errors.count).toBe(1);
  });
});
