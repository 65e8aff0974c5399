import { expect, test } from "vitest";
import { startDemo } from "../../src/demo/run.js";
import { tempDir } from "../support/paths.js";

test("npm run demo serves a page with every channel mode, the posted papers and command replies", async () => {
  const demo = await startDemo({ port: 0, dataDir: tempDir() });
  try {
    const response = await fetch(demo.url);
    expect(response.status).toBe(200);
    const html = await response.text();
    for (const channel of ["daily-papers", "paper-threads", "paper-forum"])
      expect(html).toContain(`# ${channel}`);
    expect(
      html.match(/<discord-embed slot="embeds"[^>]*embed-title="Speculative Streaming/g)?.length,
    ).toBe(4); // 3 channels + /paper
    expect(html).toContain('<discord-thread slot="thread" name="Daily Papers 2024-02-20"');
    expect(html).toContain("🧵 Daily Papers 2024-02-20");
    for (const command of ["top", "paper", "digest"])
      expect(html).toContain(`command="${command}"`);
    expect(html).toContain("<discord-button");
    expect(html).toContain("customElements"); // the bundled web components are inline
  } finally {
    await demo.stop();
  }
}, 60_000);
