import { describe, expect, test } from "vitest";
import { requestPath } from "../../src/ops/request-target.js";

describe("reading a request target", () => {
  test.each([
    ["/healthz", "/healthz"],
    ["/healthz?verbose=1", "/healthz"],
    ["/metrics#x", "/metrics"],
    ["//", "//"],
    ["//healthz", "//healthz"],
    ["http://x/healthz", "/healthz"],
    ["HTTP://x:9/metrics?a", "/metrics"],
    ["http://x", "/"],
    ["http://x?y", "/"],
    ["/%zz", "/%zz"],
    ["/%2fhealthz", "/%2fhealthz"],
    ["*", null],
    ["", null],
    [undefined, null],
    ["healthz", null],
    ["x:y", null],
  ])("%s is %s", (target, path) => {
    expect(requestPath(target)).toBe(path);
  });

  test("a very long target is read without trouble", () => {
    expect(requestPath(`/${"a".repeat(100_000)}?${"b".repeat(100_000)}`)).toHaveLength(100_001);
  });
});
