import { describe, expect, test } from "vitest";
import { claimedHost, deceptiveHost } from "../../src/digest/links.js";
import type { Digest, Paper } from "../../src/digest/model.js";
import { parseDigest } from "../../src/digest/parse.js";
import { discordMarkdownToHtml } from "../../src/preview/markdown.js";
import { layoutDigest } from "../../src/render/digest-messages.js";
import { escapeMarkdown, honestLink } from "../../src/render/markdown.js";
import { rankPapers } from "../../src/render/select.js";
import { listPage } from "../../src/views/list.js";

/** A one-paper digest whose summary bullet is `bullet`. */
function digestWith(bullet: string, title = "Speculative Streaming"): Digest {
  const source = [
    "## Daily Papers (2024-02-20)",
    "",
    `### [${title}](https://arxiv.org/abs/2402.11131)`,
    "",
    "Vote: 3",
    "",
    "Authors: A, B",
    "",
    `- ${bullet}`,
    "",
  ].join("\n");
  const result = parseDigest(source, "2024-02-20.md");
  if (!result.ok) throw new Error("test digest did not parse");
  return result.digest;
}

const summaryOf = (digest: Digest) => (digest.papers[0] as Paper).summary[0]?.text ?? "";

describe("link labels", () => {
  test.each([
    ["arxiv.org/abs/2402.11131", "arxiv.org"],
    ["https://arxiv.org/abs/1", "arxiv.org"],
    ["www.Example.COM", "www.example.com"],
    ["huggingface.co", "huggingface.co"],
    ["аrxiv.org", "xn--rxiv-43d.org"],
  ])("reads %s as the address of %s", (label, host) => {
    expect(claimedHost(label)).toBe(host);
  });

  test.each(["Speculative Streaming", "2402.11131", "the paper", "v1.2", "e.g. this"])(
    "does not read %s as an address",
    (label) => {
      expect(claimedHost(label)).toBeNull();
    },
  );

  test("a label naming the link's own host (with or without www) is honest", () => {
    expect(deceptiveHost("arxiv.org/abs/1", "https://arxiv.org/abs/1")).toBeNull();
    expect(deceptiveHost("github.com/x", "https://www.github.com/x")).toBeNull();
    expect(deceptiveHost("project page", "https://evil.example")).toBeNull();
  });

  test("a label naming another host is deceptive, a look-alike letter included", () => {
    expect(deceptiveHost("arxiv.org/abs/1", "https://evil.example/x")).toBe("evil.example");
    expect(deceptiveHost("аrxiv.org", "https://arxiv.org")).toBe("arxiv.org");
    expect(deceptiveHost("arxiv.org.evil.example", "https://evil.example")).toBe("evil.example");
  });
});

describe("deceptive links in digest text", () => {
  test("a summary link posing as arXiv keeps its text and shows the real host as the link", () => {
    const text = summaryOf(digestWith("See [arxiv.org/abs/2402.1](https://evil.example/p)."));
    expect(text).toBe("See arxiv.org/abs/2402.1 ([evil.example](https://evil.example/p)).");
  });

  test("a label that is a full URL of another host does not link to itself either", () => {
    const text = summaryOf(digestWith("[https://arxiv.org/abs/1](https://evil.example)"));
    expect(text).toBe("https\\://arxiv.org/abs/1 ([evil.example](https://evil.example))");
  });

  test("an honest link stays a masked link", () => {
    const text = summaryOf(
      digestWith("[code](https://github.com/x/y) and [arxiv.org](https://arxiv.org)"),
    );
    expect(text).toBe("[code](https://github.com/x/y) and [arxiv.org](https://arxiv.org)");
  });

  test("an image whose alt text poses as a host shows the real host", () => {
    const text = summaryOf(digestWith("![arxiv.org](https://evil.example/a.png)"));
    expect(text).toBe("arxiv.org ([evil.example](https://evil.example/a.png))");
  });
});

describe("the header never turns digest text into markdown", () => {
  const title = "[Win](https://evil.example) **big** <@&123456789012345678> @everyone # x";
  const digest = digestWith("plain", "Evil");
  const paper = { ...(digest.papers[0] as Paper), title };
  const evil = { ...digest, papers: [paper] };
  const layout = layoutDigest(evil, rankPapers(evil), {
    language: "en",
    mode: "embeds",
    mentionRoleId: null,
  });
  const content = layout.header.content ?? "";

  test("the top paper's title is escaped: no link, no bold, no mention", () => {
    expect(content).toContain(escapeMarkdown(title));
    expect(content).not.toMatch(/(^|[^\\])\[Win\]/);
    expect(content).not.toMatch(/(^|[^\\])<@&/);
    expect(layout.header.allowed_mentions).toEqual({ parse: [] });
  });

  test("the preview shows the escaped title as the reader would see it, without backslashes", () => {
    const html = discordMarkdownToHtml(escapeMarkdown("a [b](https://x.example) *c* <d>"));
    expect(html).toBe("a [b](https://x.example) *c* &#60;d&#62;");
  });
});

describe("lists link titles honestly", () => {
  test("a title that reads as a domain links to arXiv with the real host shown", () => {
    expect(honestLink("evil.example", "https://arxiv.org/abs/1")).toBe(
      "evil.example ([arxiv.org](https://arxiv.org/abs/1))",
    );
    const digest = digestWith("plain", "google.com");
    const page = listPage(
      "Top",
      [{ paper: digest.papers[0] as Paper, date: "2024-02-20", position: 0 }],
      0,
      "en",
      (n) => `top:${n}`,
    );
    expect(page.embeds[0]?.description).toContain(
      "([arxiv.org](https://arxiv.org/abs/2402.11131))",
    );
  });
});
