import { afterAll, beforeAll, describe, expect, test } from "vitest";
import type { ApiError } from "../../emulator/errors.js";
import type { Emulator } from "../../emulator/server.js";
import { validateMessageBody } from "../../emulator/validate/message.js";
import { rest } from "../support/discord.js";
import { emulatorWithGuild, type TestGuild } from "../support/emulator-world.js";

let emulator: Emulator;
let guild: TestGuild;
beforeAll(async () => {
  ({ emulator, guild } = await emulatorWithGuild({ rateLimits: { enabled: false } }));
});
afterAll(() => emulator.close());

const V2 = 1 << 15;
const text = (content = "hi") => ({ type: 10, content });
const thumb = (url = "https://a.example/t.png") => ({ type: 11, media: { url } });
const button = (custom_id: string) => ({ type: 2, style: 1, label: "b", custom_id });
const section = (components: unknown[], accessory: unknown = thumb()) => ({
  type: 9,
  components,
  accessory,
});
const container = (components: unknown[], extra = {}) => ({ type: 17, components, ...extra });
const post = (body: Record<string, unknown>) =>
  rest(emulator, "POST", `/channels/${guild.text}/messages`, {
    allowed_mentions: { parse: [] },
    ...body,
  });
const v2 = (...components: unknown[]) => post({ flags: V2, components });

/** The error codes Discord reports at `path` or below it (the schema gate may name a deeper field). */
function codesUnder(body: Record<string, unknown>, path: (string | number)[]): string[] {
  let node: unknown = body.errors;
  for (const key of path) node = (node as Record<string, unknown> | undefined)?.[String(key)];
  const codes: string[] = [];
  const walk = (n: unknown) => {
    if (typeof n !== "object" || n === null) return;
    for (const [key, value] of Object.entries(n)) {
      if (key === "_errors") codes.push(...(value as { code: string }[]).map((e) => e.code));
      else walk(value);
    }
  };
  walk(node);
  return codes;
}

describe("Components V2 messages (docs: components/reference)", () => {
  test("accepts every V2 layout: container, section, text, thumbnail, gallery, separator, file, rows", async () => {
    const response = await v2(
      container(
        [
          text("# Today's papers"),
          section([text("a"), text("b"), text("c")], thumb("attachment://t.png")),
          section([text("d")], button("more")),
          {
            type: 12,
            items: [{ media: { url: "https://a.example/1.png" }, description: "x".repeat(1024) }],
          },
          { type: 14, divider: true, spacing: 2 },
          { type: 13, file: { url: "attachment://digest.pdf" } },
          { type: 1, components: [button("next")] },
        ],
        { accent_color: 0xffffff },
      ),
      text("footer"),
    );
    expect(response.status).toBe(200);
  });

  const REFUSED: [string, unknown[], (string | number)[]][] = [
    ["a section with four texts", [section([text(), text(), text(), text()])], [0, "components"]],
    ["a section without accessory", [{ type: 9, components: [text()] }], [0, "accessory"]],
    ["a section whose accessory is a text", [section([text()], text())], [0, "accessory"]],
    [
      "a thumbnail description over 1,024",
      [section([text()], { ...thumb(), description: "x".repeat(1025) })],
      [0, "accessory", "description"],
    ],
    [
      "a thumbnail on ftp",
      [section([text()], thumb("ftp://a.example/t.png"))],
      [0, "accessory", "media", "url"],
    ],
    ["an empty media gallery", [{ type: 12, items: [] }], [0, "items"]],
    [
      "a media gallery of 11",
      [
        {
          type: 12,
          items: Array.from({ length: 11 }, () => ({ media: { url: "https://a.example/i.png" } })),
        },
      ],
      [0, "items"],
    ],
    ["a separator spacing of 3", [{ type: 14, spacing: 3 }], [0, "spacing"]],
    [
      "a file on https",
      [{ type: 13, file: { url: "https://a.example/f.pdf" } }],
      [0, "file", "url"],
    ],
    [
      "an accent color above 0xFFFFFF",
      [container([text()], { accent_color: 0x1000000 })],
      [0, "accent_color"],
    ],
    ["a container inside a container", [container([container([text()])])], [0, "components", 0]],
    ["a thumbnail at the top level", [thumb()], [0]],
    ["41 components", Array.from({ length: 41 }, () => text()), []],
    [
      "4,001 characters of text in all",
      [text("x".repeat(2000)), container([text("x".repeat(2001))])],
      [],
    ],
    [
      "a custom_id used twice across containers",
      [container([section([text()], button("a"))]), { type: 1, components: [button("a")] }],
      [1, "components", 0, "custom_id"],
    ],
  ];

  test.each(REFUSED)(
    "refuses %s with 400/50035 naming the field",
    async (_name, components, path) => {
      const response = await v2(...components);
      expect(response.status).toBe(400);
      expect(response.body).toMatchObject({ code: 50035 });
      expect(codesUnder(response.body, ["components", ...path])).not.toEqual([]);
    },
  );

  // The schema gate in front may answer first; the emulator's own rule must refuse each too.
  test.each(REFUSED)("the V2 validator itself refuses %s", (_name, components, path) => {
    try {
      validateMessageBody({ flags: V2, components }, { requireSomething: true });
      expect.unreachable();
    } catch (error) {
      expect(codesUnder(error as ApiError as never, ["components", ...path])).not.toEqual([]);
    }
  });

  test("counts nested components toward 40: a container of 39 texts is 40", async () => {
    const texts = Array.from({ length: 39 }, () => text());
    expect((await v2(container(texts))).status).toBe(200);
    expect((await v2(container([...texts, text()]))).status).toBe(400);
  });

  test.each([
    ["content", { content: "hello" }],
    ["embeds", { embeds: [{ title: "t" }] }],
    ["sticker_ids", { sticker_ids: ["123456789012345678"] }],
  ])(
    "refuses %s alongside the IS_COMPONENTS_V2 flag (docs: resources/message#create-message)",
    async (field, extra) => {
      const response = await post({ flags: V2, components: [text()], ...extra });
      expect(response.status).toBe(400);
      expect(codesUnder(response.body, [field])).not.toEqual([]);
    },
  );
});
