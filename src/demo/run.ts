import { cpSync } from "node:fs";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { startEmulator } from "../../emulator/server.js";
import { startBot } from "../app/bot.js";
import { loadCommands } from "../commands/loader.js";
import { parseConfig } from "../config.js";
import { subscriptionInput } from "../delivery/subscription.js";
import type { Language } from "../i18n.js";
import { createLogger } from "../logger.js";
import { COMMANDS_DIR } from "../paths.js";
import { componentsScript } from "../preview/components-bundle.js";
import type { DeliveryMode } from "../render/digest-messages.js";
import { rankPapers } from "../render/select.js";
import { demoAlert } from "./alert.js";
import { askAll, readerAsks, setupAsks } from "./asks.js";
import { type ApiMessage, type DemoChannel, type DemoDm, demoPage } from "./page.js";

const ROOT = fileURLToPath(new URL("../../", import.meta.url));

export interface DemoOptions {
  /** Port of the page (0 picks a free one). */
  port: number;
  dataDir: string;
  /** The digests the bot starts with (default: the repository's sample); copied, never written. */
  digestsDir?: string;
}

export interface RunningDemo {
  /** The page. */
  url: string;
  /** The emulator, whose control API (`/_emulator/…`) shows what the bot did. */
  emulatorUrl: string;
  /** The user id of the reader who follows and gets the DM alert. */
  reader: string;
  stop(): Promise<void>;
}

/**
 * Runs Paperboy with no Discord account: the local emulator, a demo server with a channel in
 * each mode, and the real bot; delivers the newest digest, asks a few slash commands, lets a
 * reader follow an author and a topic before a new digest arrives, and serves a page showing it
 * all (the reader's DM alert too) as Discord would.
 */
export async function startDemo(options: DemoOptions): Promise<RunningDemo> {
  // The page's port first: a taken one is refused before anything else starts.
  let render: ((language: Language) => string) | null = null;
  const server = createServer((request, response) => {
    const url = new URL(request.url ?? "/", "http://demo");
    if (url.pathname !== "/") {
      response.writeHead(404).end();
      return;
    }
    if (!render) {
      response.writeHead(503, { "content-type": "text/plain; charset=utf-8", "retry-after": "1" });
      response.end("The demo is starting; reload in a moment.");
      return;
    }
    response.writeHead(200, { "content-type": "text/html; charset=utf-8" });
    // Korean by default; ?lang=en for English.
    response.end(render(url.searchParams.get("lang") === "en" ? "en" : "ko"));
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port, "127.0.0.1", () => {
      server.off("error", reject);
      resolve();
    });
  });
  const emulator = await startEmulator({ heartbeatIntervalMs: 41_250 });
  const world = emulator.ctx.world;
  const guild = world.createGuild("Paperboy Demo");
  const channels: { id: string; name: string; mode: DeliveryMode }[] = [
    { id: world.createChannel(guild, "daily-papers", 0).id, name: "daily-papers", mode: "embeds" },
    {
      id: world.createChannel(guild, "paper-threads", 0).id,
      name: "paper-threads",
      mode: "thread",
    },
    { id: world.createChannel(guild, "paper-forum", 15).id, name: "paper-forum", mode: "forum" },
  ];
  // Subscribed by the admin's /config channel add below, as cards.
  const cardsChannel = world.createChannel(guild, "paper-cards", 0).id;
  // Readers' commands run in a channel of their own, so the delivery channels show only deliveries.
  const commandsChannel = world.createChannel(guild, "bot-commands", 0).id;
  // The demo's own folder: a digest arrives in it while the demo runs.
  const digestsDir = join(options.dataDir, "digests");
  cpSync(options.digestsDir ?? join(ROOT, "digests"), digestsDir, { recursive: true });
  const config = parseConfig({
    DISCORD_TOKEN: emulator.token,
    DISCORD_API_URL: emulator.apiUrl,
    DIGESTS_DIR: digestsDir,
    DATABASE_URL: join(options.dataDir, "demo.db"),
    CATCH_UP: "false",
    LOG_LEVEL: "warn",
  });
  const bot = await startBot(config, createLogger({ level: "warn" }));
  // Registered as `npm run deploy-commands` does, so the reader commands reach DMs too.
  const commands = [...(await loadCommands(COMMANDS_DIR)).values()].map((c) => c.data);
  const registered = await fetch(
    `${emulator.apiUrl}/v10/applications/${world.applicationId}/commands`,
    {
      method: "PUT",
      headers: { authorization: `Bot ${emulator.token}`, "content-type": "application/json" },
      body: JSON.stringify(commands),
    },
  );
  if (!registered.ok)
    throw new Error(
      `registering the commands failed: ${registered.status} ${await registered.text()}`,
    );
  for (const channel of channels)
    await bot.core.store.saveSubscription(subscriptionInput(channel.id, guild.id, channel.mode));

  const place = { guildId: guild.id, channelId: commandsChannel };
  const replies = await askAll(emulator, place, setupAsks(cardsChannel));
  await bot.core.service.deliverNewest();
  const newest = bot.core.archive.newest();
  const ranked = newest ? rankPapers(newest) : [];
  // A paper the cards channel's top 10 leaves out, for /status to explain.
  const left = ranked[11]?.paper;
  const top = ranked[0]?.paper;
  replies.push(
    ...(await askAll(
      emulator,
      place,
      readerAsks(
        newest?.date ?? null,
        cardsChannel,
        top?.id ?? top?.title ?? "",
        left ? (left.id ?? left.title) : null,
      ),
    )),
  );

  // One reader follows, and gets the alert of the digest that arrives next.
  const reader = world.ids.next();
  const alert = await demoAlert(emulator, digestsDir, reader);

  const shown = [...channels, { id: cardsChannel, name: "paper-cards", mode: "embeds" as const }];
  const snapshot = (): DemoChannel[] =>
    shown.map((channel) => {
      const messages = world
        .channelMessages(channel.id)
        .map((m) => ({ ...m.data, thread_id: m.threadId }) as unknown as ApiMessage);
      const threads = [...world.channels.values()]
        .filter((c) => c.parentId === channel.id)
        .map((thread) => ({
          name: thread.name,
          starterId: thread.starterMessageId ?? null,
          messages: world.channelMessages(thread.id).map((m) => m.data as unknown as ApiMessage),
        }));
      return { name: channel.name, mode: channel.mode, messages, threads };
    });
  const dm = (): DemoDm => ({
    ...alert.dm,
    messages: alert.channelId
      ? world.channelMessages(alert.channelId).map((m) => m.data as unknown as ApiMessage)
      : [],
  });
  const script = await componentsScript();
  render = (language) => demoPage(guild.name, snapshot(), replies, dm(), script, language);
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
  return {
    url,
    emulatorUrl: emulator.url,
    reader,
    stop: async () => {
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await bot.stop();
      await emulator.close();
    },
  };
}
