import { expect, test } from "vitest";
import { startDemo } from "../../src/demo/run.js";
import { tempDir } from "../support/paths.js";

test("npm run demo serves a page with every channel mode, the posted papers and command replies", async () => {
  const demo = await startDemo({ port: 0, dataDir: tempDir() });
  try {
    const response = await fetch(demo.url);
    expect(response.status).toBe(200);
    const html = await response.text();
    for (const channel of ["daily-papers", "paper-threads", "paper-forum", "paper-cards"])
      expect(html).toContain(`# ${channel}`);
    expect(
      html.match(/<discord-embed slot="embeds"[^>]*embed-title="Speculative Streaming/g)?.length,
    ).toBe(4); // 3 channels + /paper
    expect(html).toContain('<discord-thread slot="thread" name="Daily Papers 2024-02-20"');
    expect(html).toContain("🧵 Daily Papers 2024-02-20");
    // The Korean page: the reply lines and a thread's call to action in Korean, no English left.
    for (const command of ["top", "paper", "digest"])
      expect(html).toContain(`독자님이 /${command} 사용`);
    expect(html).toMatch(/cta="메시지 \d+개"/);
    const markup = html.replace(/<script>[\s\S]*?<\/script>/g, "");
    expect(markup).not.toMatch(/ used |Messages"|what Paperboy posted|Slash commands/);
    // No request leaves the page: the avatar is bundled, not Discord's CDN.
    expect(html).not.toContain('<discord-message author="Paperboy" bot');
    expect(html).toContain('avatar="data:image/svg+xml;base64,');
    expect(html).toContain("<discord-button");
    // The card channel: every paper a card, its thumbnail beside the text.
    expect(html.match(/<div class="card" /g)?.length).toBe(14);
    expect(html).toContain('<img class="card-thumb" src="https://');
    expect(html).toContain("customElements"); // the bundled web components are inline
  } finally {
    await demo.stop();
  }
}, 60_000);
