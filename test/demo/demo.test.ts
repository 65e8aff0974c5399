import { expect, test } from "vitest";
import { startDemo } from "../../src/demo/run.js";
import { tempDir } from "../support/paths.js";

test("npm run demo shows every channel mode and a card channel, an admin's setup, readers in both languages, a DM and /status explaining a filtered paper", async () => {
  const demo = await startDemo({ port: 0, dataDir: tempDir() });
  try {
    const response = await fetch(demo.url);
    expect(response.status).toBe(200);
    const html = await response.text();
    for (const channel of ["daily-papers", "paper-threads", "paper-forum", "paper-cards"])
      expect(html).toContain(`# ${channel}`);
    expect(
      html.match(/<discord-embed slot="embeds"[^>]*embed-title="Speculative Streaming/g)?.length,
    ).toBe(4); // the three embed channels, and /paper's answer in #bot-commands
    expect(html).toContain('<discord-thread slot="thread" name="Daily Papers 2024-02-20"');
    expect(html).toContain("🧵 Daily Papers 2024-02-20");
    // The admin subscribed #paper-cards with /config channel add: cards, top 10.
    expect(html).toContain("· cards · top 10");
    expect(html.match(/<div class="card" /g)?.length).toBe(10);
    expect(html).toContain('<img class="card-thumb" src="https://');
    // Each command's reply, the line above it in Korean; one was asked in a DM.
    for (const command of [
      "config channel add",
      "status",
      "status digest",
      "top",
      "paper",
      "digest",
      "help",
    ])
      expect(html).toContain(`독자님이 /${command} 사용`);
    expect(html).toContain("봇과의 DM");
    // /status digest names the filter that left the 12th paper out of the cards channel.
    expect(html).toContain("left out by the top 10 filter (this paper ranks #12)");
    // Replies in both languages: Korean for /top, English for /help.
    expect(html).toContain("🏆 추천 상위 논문");
    expect(html).toContain("Commands you can use here:");
    expect(html).toMatch(/cta="메시지 \d+개"/);
    const markup = html.replace(/<script>[\s\S]*?<\/script>/g, "");
    expect(markup).not.toMatch(/ used |Messages"|what Paperboy posted|Slash commands/);
    // No request leaves the page: the avatar is bundled, not Discord's CDN.
    expect(html).not.toContain('<discord-message author="Paperboy" bot');
    expect(html).toContain('avatar="data:image/svg+xml;base64,');
    expect(html).toContain("customElements"); // the bundled web components are inline

    const english = await (await fetch(`${demo.url}?lang=en`)).text();
    expect(english).toContain('<html lang="en">');
    expect(english).toContain("what Paperboy posted, on a local Discord emulator");
    expect(english).toContain("reader used /top");
  } finally {
    await demo.stop();
  }
}, 60_000);
