import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { ta } from "../../src/alerts/text.js";
import { ARRIVING_DATE, FOLLOWED } from "../../src/demo/alert.js";
import { type RunningDemo, startDemo } from "../../src/demo/run.js";
import { tempDir } from "../support/paths.js";

interface DmView {
  recipient: { id: string };
  messages: {
    embeds: { title?: string; description?: string }[];
    components: { components: { custom_id: string; label: string }[] }[];
  }[];
}

describe("npm run demo", () => {
  let demo: RunningDemo;
  beforeAll(async () => {
    demo = await startDemo({ port: 0, dataDir: tempDir() });
  }, 60_000);
  afterAll(() => demo?.stop());

  test("shows every channel mode and a card channel, an admin's setup, readers in both languages, a DM and /status explaining a filtered paper", async () => {
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
    // #paper-cards' ten, and the one the reader's alert opened in the DM.
    expect(html.match(/<div class="card" /g)?.length).toBe(11);
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
    expect(markup).not.toMatch(/ used | pressed |Messages"|what Paperboy posted|Slash commands/);
    // No request leaves the page: the avatar is bundled, not Discord's CDN.
    expect(html).not.toContain('<discord-message author="Paperboy" bot');
    expect(html).toContain('avatar="data:image/svg+xml;base64,');
    expect(html).toContain("customElements"); // the bundled web components are inline

    const english = await (await fetch(`${demo.url}?lang=en`)).text();
    expect(english).toContain('<html lang="en">');
    expect(english).toContain("what Paperboy posted, on a local Discord emulator");
    expect(english).toContain("reader used /top");
  });

  test("a reader who followed an author and a topic gets one DM alert when the next digest arrives, and its button opens the paper's card", async () => {
    // In the emulator: the bot opened one DM, the reader's, and sent one message there.
    const control = `${demo.emulatorUrl}/_emulator`;
    const dms = (await (await fetch(`${control}/dms`)).json()) as { channels: DmView[] };
    expect(dms.channels.map((channel) => channel.recipient.id)).toEqual([demo.reader]);
    const dm = (await (await fetch(`${control}/users/${demo.reader}/dm`)).json()) as DmView;
    expect(dm.messages).toHaveLength(1);
    const [alert] = dm.messages;
    const embed = alert?.embeds[0];
    // Five papers: four on the topic (Korean words in the Korean summaries), one by the author.
    expect(embed?.title).toBe(ta("ko", "alertTitle")(5, ARRIVING_DATE));
    expect(embed?.description).toContain(`${ta("ko", "matchedAuthor")}: **${FOLLOWED.author}**`);
    expect(embed?.description).toMatch(/\*\*5\.\*\* \[Ouroboros\\: Speculative Decoding/);
    expect(embed?.description).toContain(`${ta("ko", "matchedTopic")}: **${FOLLOWED.topic}**`);
    const buttons = alert?.components.flatMap((row) => row.components) ?? [];
    expect(buttons.map((b) => b.custom_id.split(":").slice(0, 4).join(":"))).toEqual(
      [4, 8, 9, 10, 11].map((position) => `follow:card:${ARRIVING_DATE}:${position}`),
    );
    // Each button also names its paper's arXiv id, which wins should the digest change.
    for (const b of buttons) expect(b.custom_id).toMatch(/:\d{4}\.\d{4,5}$/);

    // On the page: the follows, the arrival, the alert with its buttons, the card, /following.
    const html = await (await fetch(demo.url)).text();
    const section = html.slice(html.indexOf('<section class="dm">'));
    expect(section).toContain("💬 독자님과 봇의 DM");
    expect(section).toContain(`독자님이 /follow author:${FOLLOWED.author} 사용 · 봇과의 DM`);
    expect(section).toContain(`독자님이 /follow topic:${FOLLOWED.topic} 사용 · 봇과의 DM`);
    expect(section).toContain(`📥 Daily Papers ${ARRIVING_DATE} 다이제스트가 폴더에 도착했습니다`);
    expect(section).toContain(`embed-title="${ta("ko", "alertTitle")(5, ARRIVING_DATE)}"`);
    expect(section.match(/<discord-quote>/g)).toHaveLength(5); // each paper's first summary line
    for (const button of buttons)
      expect(section).toContain(
        `<discord-button type="secondary">${button.label}</discord-button>`,
      );
    expect(section).toContain(`독자님이 “${buttons[0]?.label}” 버튼을 누름`);
    expect(section.match(/<div class="card" /g)).toHaveLength(1);
    expect(section).toMatch(/<span class="card-title"><a [^>]+>SDXL-Lightning: Progressive/);
    expect(section).toContain("독자님이 /following 사용");
    expect(section).toMatch(
      /<strong>1\.<\/strong> 👤 Zhiyuan Liu · <discord-time>\d{4}-\d\d-\d\d</,
    );
    expect(section).toContain('<discord-button type="destructive">');

    const english = await (await fetch(`${demo.url}?lang=en`)).text();
    expect(english).toContain("💬 The reader's DM with the bot");
    expect(english).toContain(`The Daily Papers ${ARRIVING_DATE} digest arrived in the folder`);
    expect(english).toContain(`reader pressed “${buttons[0]?.label}”`);
    expect(english).toContain(`reader used /follow author:${FOLLOWED.author}`);
  });
});
