import { existsSync, mkdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { type Browser, chromium, type Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { runPreview } from "../../src/cli/preview-command.js";
import { startDemo } from "../../src/demo/run.js";
import { parseDigest } from "../../src/digest/parse.js";
import { ROOT, tempDir } from "../support/paths.js";
import { gradientPng } from "../support/png.js";

const CHROMIUM = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
const SAMPLE = join(ROOT, "digests", "2024-02-20.md");
// UPDATE_SCREENSHOTS=1 refreshes the README's pictures in docs/; otherwise they go to test/.tmp.
const SHOTS =
  process.env.UPDATE_SCREENSHOTS === "1" ? join(ROOT, "docs") : join(ROOT, "test", ".tmp");
let browser: Browser;

beforeAll(async () => {
  if (!existsSync(CHROMIUM))
    throw new Error(
      `Chromium not found at ${CHROMIUM}: apt-get install chromium (or set CHROMIUM_PATH)`,
    );
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: [
      "--no-sandbox",
      "--disable-gpu",
      "--disable-quic",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
    ],
  });
});
afterAll(() => browser?.close());

/**
 * No machine here reaches the thumbnails' CDN: image requests get a local picture, anything else
 * leaving this machine is refused (the demo's own server on 127.0.0.1 still answers).
 */
async function offline(page: Page): Promise<void> {
  const png = gradientPng();
  await page.route(/^https?:\/\/(?!127\.0\.0\.1)/, (route) =>
    route.request().resourceType() === "image"
      ? route.fulfill({ body: png, contentType: "image/png" })
      : route.abort(),
  );
}

describe("paperboy preview in a real browser", () => {
  test("shows every paper's title, votes, authors and image, and saves a screenshot", async () => {
    const out = join(tempDir(), "preview.html");
    const written: string[] = [];
    const code = await runPreview([SAMPLE, "--lang", "en", "--out", out], {
      out: (t) => written.push(t),
      err: () => {},
    });
    expect(code).toBe(0);
    expect(written.join("")).toContain(out);

    const page = await browser.newPage({ viewport: { width: 1100, height: 900 } });
    await offline(page);
    await page.goto(`file://${out}`);
    await page.waitForFunction("customElements.get('discord-embed') !== undefined");

    const result = parseDigest(readFileSync(SAMPLE, "utf8"), SAMPLE);
    if (!result.ok) throw new Error("sample");
    for (const paper of result.digest.papers) {
      const visible = (text: string | RegExp, exact = false) =>
        page.getByText(text, { exact }).filter({ visible: true }).count();
      await expect.poll(() => visible(paper.title, true)).toBeGreaterThan(0);
      await expect.poll(() => visible(paper.authors[0] ?? "")).toBeGreaterThan(0);
      await expect.poll(() => visible(new RegExp(`👍 ${paper.votes}(?!\\d)`))).toBeGreaterThan(0);
    }
    const images = page.locator("discord-embed img");
    await expect.poll(() => images.count()).toBeGreaterThanOrEqual(14);
    const loaded = await images.evaluateAll(
      (imgs) =>
        imgs.filter((img) => (img as unknown as { naturalWidth: number }).naturalWidth > 0).length,
    );
    expect(loaded).toBeGreaterThanOrEqual(14);

    mkdirSync(SHOTS, { recursive: true });
    await page.screenshot({ path: join(SHOTS, "preview.png"), fullPage: false });
    await page.close();
  });

  test("a Korean page of paper cards shows every title, vote count and thumbnail, in Korean words", async () => {
    const out = join(tempDir(), "cards.html");
    const code = await runPreview([SAMPLE, "--lang", "ko", "--style", "cards", "--out", out], {
      out: () => {},
      err: () => {},
    });
    expect(code).toBe(0);
    const page = await browser.newPage({ viewport: { width: 1100, height: 900 } });
    await offline(page);
    await page.goto(`file://${out}`);
    expect(await page.title()).toBe("Paperboy 미리 보기 — Daily Papers 2024-02-20");
    await expect.poll(() => page.getByText("논문 14편").count()).toBeGreaterThan(0);
    const result = parseDigest(readFileSync(SAMPLE, "utf8"), SAMPLE);
    if (!result.ok) throw new Error("sample");
    for (const paper of result.digest.papers) {
      const title = page.locator(".card-title", { hasText: paper.title });
      await expect.poll(() => title.count()).toBeGreaterThan(0);
      await expect
        .poll(() => page.getByText(new RegExp(`👍 ${paper.votes}(?!\\d)`)).count())
        .toBeGreaterThan(0);
    }
    const thumbs = page.locator("img.card-thumb");
    const shown = await thumbs.evaluateAll(
      (imgs) =>
        imgs.filter((img) => (img as unknown as { naturalWidth: number }).naturalWidth > 0).length,
    );
    expect(shown).toBeGreaterThanOrEqual(10);
    // The thumbnail sits beside the text, not under it.
    const box = await thumbs.first().boundingBox();
    const text = await page.locator(".card-section .card-text").first().boundingBox();
    expect(box && text && box.x > text.x && box.y < text.y + text.height).toBe(true);
    mkdirSync(SHOTS, { recursive: true });
    await page.screenshot({ path: join(SHOTS, "preview-cards.png"), fullPage: false });
    await page.close();
  });

  test("the demo page shows the card channel, an admin's setup, a DM reply, /status's explanation and a reader's DM alert with the card it opened, in Korean and in English", async () => {
    const demo = await startDemo({ port: 0, dataDir: tempDir() });
    const page = await browser.newPage({ viewport: { width: 1100, height: 900 } });
    try {
      await offline(page);
      await page.goto(demo.url);
      const visible = (text: string | RegExp) =>
        page.getByText(text).filter({ visible: true }).count();
      await expect.poll(() => visible("# paper-cards")).toBeGreaterThan(0);
      await expect.poll(() => page.locator("section:not(.dm) div.card").count()).toBe(10);
      await expect.poll(() => visible(/독자님이 \/config channel add 사용/)).toBeGreaterThan(0);
      await expect.poll(() => visible(/봇과의 DM/)).toBeGreaterThan(0);
      await expect
        .poll(() => visible(/left out by the top 10 filter \(this paper ranks #12\)/))
        .toBeGreaterThan(0);
      // The reader's DM: the alert lists five papers, a button each, and the card one opened.
      const dm = page.locator("section.dm");
      await expect.poll(() => visible("💬 독자님과 봇의 DM")).toBeGreaterThan(0);
      await expect
        .poll(() => visible(/독자님이 \/follow author:Zhiyuan Liu 사용/))
        .toBeGreaterThan(0);
      await expect.poll(() => visible(/Daily Papers 2024-02-22 다이제스트가 폴더에 도착/)).toBe(1);
      const alert = dm.locator('discord-embed[embed-title^="📬"]');
      await expect.poll(() => alert.count()).toBe(1);
      await expect.poll(() => alert.getByText("Ouroboros: Speculative Decoding").count()).toBe(1);
      await expect
        .poll(() => dm.locator("discord-quote").filter({ visible: true }).count())
        .toBe(5);
      const buttons = dm.locator("discord-action-row discord-button").filter({ hasText: /^\d\. / });
      await expect.poll(() => buttons.filter({ visible: true }).count()).toBe(5);
      await expect.poll(() => visible(/독자님이 “1\. SDXL-Lightning.*” 버튼을 누름/)).toBe(1);
      const card = dm.locator("div.card");
      await expect.poll(() => card.filter({ visible: true }).count()).toBe(1);
      await expect
        .poll(() => card.locator(".card-title", { hasText: "SDXL-Lightning" }).count())
        .toBe(1);
      await expect.poll(() => visible(/독자님이 \/following 사용/)).toBeGreaterThan(0);
      await expect.poll(() => dm.getByText("🔎 확산 모델").count()).toBe(1);
      // The quoted summary line sits under the paper's title, not beside it.
      const title = await alert.getByText("Ouroboros: Speculative Decoding").boundingBox();
      const quote = await dm.locator("discord-quote").last().boundingBox();
      expect(title && quote && quote.y > title.y).toBe(true);
      mkdirSync(SHOTS, { recursive: true });
      await page
        .locator("section:not(.dm) div.card")
        .first()
        .screenshot({ path: join(SHOTS, "demo-card.png") });
      await dm.screenshot({ path: join(SHOTS, "demo-dm.png") });
      await page.goto(`${demo.url}?lang=en`);
      await expect
        .poll(() => visible(/what Paperboy posted, on a local Discord emulator/))
        .toBeGreaterThan(0);
      await expect
        .poll(() => visible(/reader used \/help · in a DM with the bot/))
        .toBeGreaterThan(0);
      await expect.poll(() => visible("💬 The reader's DM with the bot")).toBeGreaterThan(0);
      await expect.poll(() => visible(/reader pressed “1\. SDXL-Lightning/)).toBe(1);
    } finally {
      await page.close();
      await demo.stop();
    }
  }, 90_000);
});
