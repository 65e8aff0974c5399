import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, test } from "vitest";
import { parseDigest } from "../../src/digest/parse.js";
import { FIXTURES } from "../support/paths.js";

const update = process.env.UPDATE === "1";
const cases = readdirSync(FIXTURES).filter((name) => statSync(join(FIXTURES, name)).isDirectory());

describe("digest parser golden files", () => {
  test("has a case for every fixture folder", () => {
    expect(cases.length).toBeGreaterThanOrEqual(20);
  });

  for (const name of cases) {
    test(`parses ${name} exactly as recorded`, () => {
      const input = readFileSync(join(FIXTURES, name, "input.md"), "utf8");
      const actual = parseDigest(input, `${name}/input.md`);
      const expectedPath = join(FIXTURES, name, "expected.json");
      if (update) writeFileSync(expectedPath, `${JSON.stringify(actual, null, 2)}\n`);
      if (!existsSync(expectedPath)) {
        throw new Error(
          `${name}/expected.json is missing: run UPDATE=1 npx vitest run golden and review it`,
        );
      }
      expect(actual).toEqual(JSON.parse(readFileSync(expectedPath, "utf8")));
    });
  }
});
