import { existsSync } from "node:fs";
import { parseArgs } from "node:util";
import pino from "pino";
import { buildCore } from "../app/wiring.js";
import { tryLoadConfig } from "../config.js";
import { type ChannelChoice, planDelivery } from "../delivery/planner.js";
import { createLogger } from "../logger.js";
import { NO_FILTER } from "../render/select.js";
import { isCalendarDate } from "../views/periods.js";
import type { CliOutput } from "./parse-command.js";

const USAGE = "usage: paperboy post [--date YYYY-MM-DD] [--channel CHANNEL_ID] [--dry-run]";

/**
 * `paperboy post`: posts a digest over REST only (it works while the bot runs elsewhere), as a
 * new delivery recorded in the same ledger. `--dry-run` prints the payloads and sends nothing.
 */
export async function runPost(args: readonly string[], io: CliOutput): Promise<number> {
  let options: { date?: string; channel?: string; "dry-run"?: boolean };
  try {
    options = parseArgs({
      args: [...args],
      options: {
        date: { type: "string" },
        channel: { type: "string" },
        "dry-run": { type: "boolean" },
      },
    }).values;
  } catch (error) {
    io.err(`${(error as Error).message}\n${USAGE}\n`);
    return 2;
  }
  if (options.date !== undefined && !isCalendarDate(options.date)) {
    io.err(
      `invalid date "${options.date}": --date must be a calendar date as YYYY-MM-DD\n${USAGE}\n`,
    );
    return 2;
  }
  if (options.channel !== undefined && !/^\d{17,20}$/.test(options.channel)) {
    io.err(`--channel must be a channel id (17 to 20 digits)\n${USAGE}\n`);
    return 2;
  }
  const loaded = tryLoadConfig();
  if (!loaded.ok) {
    io.err(`${loaded.message}\n`);
    return 1;
  }
  const dryRun = options["dry-run"] === true;
  // A dry run reads the subscriptions a database already holds, and never creates one.
  const config =
    dryRun && !loaded.config.postgres && !existsSync(loaded.config.databasePath)
      ? { ...loaded.config, databasePath: ":memory:" }
      : loaded.config;
  if (!dryRun && !config.discordToken) {
    io.err("DISCORD_TOKEN is missing: set it in .env (or use --dry-run to see the payloads)\n");
    return 1;
  }
  const logger = createLogger({ level: config.logLevel, destination: pino.destination(2) });
  const core = await buildCore(config, logger);
  try {
    const digest = options.date ? core.digests.byDate(options.date) : core.digests.newest();
    if (!digest) {
      io.err(
        `no digest ${options.date ? `for ${options.date}` : "at all"} in ${config.digestsDir}\n`,
      );
      return 1;
    }
    const channel = options.channel ?? null;
    if (dryRun) {
      const choices: ChannelChoice[] = channel
        ? [
            (await core.store.subscription(channel)) ?? {
              ...NO_FILTER,
              channelId: channel,
              guildId: null,
              mode: "embeds",
              mentionRoleId: null,
            },
          ]
        : await core.store.subscriptions();
      if (choices.length === 0) io.err("no subscribed channels; name one with --channel\n");
      const plans = [];
      for (const choice of choices) {
        const language = choice.guildId
          ? (await core.service.settings(choice.guildId)).language
          : config.defaults.language;
        plans.push(planDelivery(digest, choice, language, "manual"));
      }
      io.out(`${JSON.stringify(plans, null, 2)}\n`);
      return 0;
    }
    const outcomes = await core.service.repost(digest.date, channel);
    for (const outcome of outcomes) {
      io.out(
        `${outcome.channelId}: ${outcome.status} (${outcome.sent} sent, ${outcome.skipped} skipped)${outcome.error ? ` — ${outcome.error}` : ""}\n`,
      );
    }
    if (outcomes.length === 0) io.err("no subscribed channels; name one with --channel\n");
    return outcomes.length > 0 && outcomes.every((o) => o.status === "done") ? 0 : 1;
  } finally {
    core.archive.close();
    await core.closeStore();
  }
}
