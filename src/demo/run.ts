import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { startEmulator } from "../../emulator/server.js";
import { startBot } from "../app/bot.js";
import { parseConfig } from "../config.js";
import { subscriptionInput } from "../delivery/subscription.js";
import { createLogger } from "../logger.js";
import { componentsScript } from "../preview/components-bundle.js";
import type { DeliveryMode, PaperStyle } from "../render/digest-messages.js";
import { type ApiMessage, type DemoChannel, type DemoReply, demoPage } from "./page.js";

const ROOT = fileURLToPath(new URL("../../", import.meta.url));

export interface DemoOptions {
  /** Port of the page (0 picks a free one). */
  port: number;
  dataDir: string;
  digestsDir?: string;
}

/**
 * Runs Paperboy with no Discord account: the local emulator, a demo server with a channel in
 * each mode, and the real bot; delivers the newest digest, asks a few slash commands, and serves
 * a page showing it all as Discord would.
 */
export async function startDemo(
  options: DemoOptions,
): Promise<{ url: string; stop(): Promise<void> }> {
  // The page's port first: a taken one is refused before anything else starts.
  let render: (() => string) | null = null;
  const server = createServer((request, response) => {
    if ((request.url ?? "/") !== "/") {
      response.writeHead(404).end();
      return;
    }
    if (!render) {
      response.writeHead(503, { "content-type": "text/plain; charset=utf-8", "retry-after": "1" });
      response.end("The demo is starting; reload in a moment.");
      return;
    }
    response.writeHead(200, { "content-type": "text/html; charset=utf-8" });
    response.end(render());
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
  const channels: { id: string; name: string; mode: DeliveryMode; style?: PaperStyle }[] = [
    { id: world.createChannel(guild, "daily-papers", 0).id, name: "daily-papers", mode: "embeds" },
    {
      id: world.createChannel(guild, "paper-threads", 0).id,
      name: "paper-threads",
      mode: "thread",
    },
    { id: world.createChannel(guild, "paper-forum", 15).id, name: "paper-forum", mode: "forum" },
    {
      id: world.createChannel(guild, "paper-cards", 0).id,
      name: "paper-cards",
      mode: "embeds",
      style: "cards",
    },
  ];
  // Readers' commands run in a channel of their own, so the delivery channels show only deliveries.
  const commandsChannel = world.createChannel(guild, "bot-commands", 0).id;
  const config = parseConfig({
    DISCORD_TOKEN: emulator.token,
    DISCORD_API_URL: emulator.apiUrl,
    DIGESTS_DIR: options.digestsDir ?? join(ROOT, "digests"),
    DATABASE_URL: join(options.dataDir, "demo.db"),
    CATCH_UP: "false",
    LOG_LEVEL: "warn",
  });
  const bot = await startBot(config, createLogger({ level: "warn" }));
  for (const channel of channels)
    await bot.core.store.saveSubscription(
      subscriptionInput(channel.id, guild.id, channel.mode, { style: channel.style ?? "embeds" }),
    );
  await bot.core.service.deliverNewest();

  const newest = bot.core.archive.newest();
  const top = newest?.papers.slice().sort((a, b) => (b.votes ?? -1) - (a.votes ?? -1))[0];
  const asks: { command: string; data: Record<string, unknown> }[] = [
    { command: "top", data: { name: "top", type: 1, options: [] } },
    {
      command: "paper",
      data: {
        name: "paper",
        type: 1,
        options: [{ type: 3, name: "query", value: top?.id ?? top?.title ?? "" }],
      },
    },
    { command: "digest", data: { name: "digest", type: 1, options: [] } },
  ];
  const replies: DemoReply[] = [];
  for (const ask of asks) {
    const interaction = emulator.ctx.interactions.create({
      guild_id: guild.id,
      channel_id: commandsChannel,
      locale: "ko",
      type: 2,
      data: { id: "100000000000000001", ...ask.data },
    });
    for (
      let i = 0;
      i < 200 && emulator.ctx.interactions.view(interaction.id)?.original == null;
      i++
    ) {
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    const original = emulator.ctx.interactions.view(interaction.id)?.original as
      | ApiMessage
      | null
      | undefined;
    if (original) replies.push({ command: ask.command, reply: original });
  }

  const snapshot = (): DemoChannel[] =>
    channels.map((channel) => {
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
  const script = await componentsScript();
  render = () => demoPage(guild.name, snapshot(), replies, script);
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
  return {
    url,
    stop: async () => {
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await bot.stop();
      await emulator.close();
    },
  };
}
