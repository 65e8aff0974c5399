import { afterAll, beforeAll, describe, expect, test } from "vitest";
import type { Emulator } from "../../emulator/server.js";
import { rest } from "../support/discord.js";
import { emulatorWithGuild, type TestGuild } from "../support/emulator-world.js";

let emulator: Emulator;
let guild: TestGuild;
beforeAll(async () => {
  ({ emulator, guild } = await emulatorWithGuild({ rateLimits: { enabled: false } }));
});
afterAll(() => emulator.close());

const row = (...components: unknown[]) => ({ type: 1, components });
const button = (custom_id: string, style = 1) => ({ type: 2, style, label: "b", custom_id });
const link = (url: string) => ({ type: 2, style: 5, label: "l", url });
const options = (n: number) =>
  Array.from({ length: n }, (_, i) => ({ label: `l${i}`, value: `v${i}` }));
const post = (...components: unknown[]) =>
  rest(emulator, "POST", `/channels/${guild.text}/messages`, {
    content: "c",
    components,
    allowed_mentions: { parse: [] },
  });

function errorsAt(body: Record<string, unknown>, path: (string | number)[]) {
  let node: unknown = body.errors;
  for (const key of path) node = (node as Record<string, unknown> | undefined)?.[String(key)];
  return (node as { _errors?: { code: string }[] } | undefined)?._errors;
}

// docs: components/reference#button, #string-select, #anatomy-of-a-component
const REFUSED: [string, unknown[], (string | number)[], string?][] = [
  [
    "a custom_id used twice across rows",
    [row(button("a")), row(button("b"), button("a"))],
    [1, "components", 1, "custom_id"],
    "COMPONENT_CUSTOM_ID_DUPLICATED",
  ],
  [
    "a link button without url",
    [row({ type: 2, style: 5, label: "l" })],
    [0, "components", 0, "url"],
    "BUTTON_COMPONENT_URL_REQUIRED",
  ],
  [
    "a link button with a custom_id",
    [row({ ...link("https://a.example"), custom_id: "x" })],
    [0, "components", 0, "custom_id"],
  ],
  [
    "a link button url over 512",
    [row(link(`https://a.example/${"x".repeat(500)}`))],
    [0, "components", 0, "url"],
  ],
  [
    "a primary button without custom_id",
    [row({ type: 2, style: 1, label: "b" })],
    [0, "components", 0, "custom_id"],
    "BUTTON_COMPONENT_CUSTOM_ID_REQUIRED",
  ],
  [
    "a primary button with a url",
    [row({ ...button("a"), url: "https://a.example" })],
    [0, "components", 0, "url"],
  ],
  ["a premium button without sku_id", [row({ type: 2, style: 6 })], [0, "components", 0, "sku_id"]],
  ["a button style 7", [row(button("a", 7))], [0, "components", 0, "style"]],
  [
    "a select with min_values above max_values",
    [row({ type: 5, custom_id: "u", min_values: 3, max_values: 2 })],
    [0, "components", 0, "min_values"],
  ],
  [
    "a select with max_values 26",
    [row({ type: 6, custom_id: "r", max_values: 26 })],
    [0, "components", 0, "max_values"],
  ],
  [
    "a select with max_values 0",
    [row({ type: 8, custom_id: "c", max_values: 0 })],
    [0, "components", 0, "max_values"],
  ],
  [
    "a select with min_values -1",
    [row({ type: 7, custom_id: "m", min_values: -1 })],
    [0, "components", 0, "min_values"],
  ],
  [
    "a string select wanting more values than options",
    [row({ type: 3, custom_id: "s", max_values: 3, options: options(2) })],
    [0, "components", 0, "max_values"],
  ],
  ["a V2 component without the IS_COMPONENTS_V2 flag", [{ type: 10, content: "hi" }], [0]],
];

describe("component rules Discord enforces on messages", () => {
  test.each(REFUSED)(
    "refuses %s with 400/50035 naming the field",
    async (_name, components, path, code) => {
      const response = await post(...components);
      expect(response.status).toBe(400);
      expect(response.body).toMatchObject({ code: 50035 });
      expect(errorsAt(response.body, ["components", ...path])?.[0]?.code).toEqual(
        code ?? expect.any(String),
      );
    },
  );

  test("accepts every button style, select value counts at their bounds and unique ids", async () => {
    const response = await post(
      row(
        button("p", 1),
        button("s", 2),
        button("ok", 3),
        button("no", 4),
        link("https://a.example"),
      ),
      row({ type: 2, style: 6, sku_id: "123456789012345678" }),
      row({ type: 3, custom_id: "pick", min_values: 0, max_values: 25, options: options(25) }),
      row({ type: 5, custom_id: "users", min_values: 25, max_values: 25 }),
    );
    expect(response.status).toBe(200);
  });
});
