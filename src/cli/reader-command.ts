import pino from "pino";
import { exportJson } from "../alerts/following-view.js";
import { openStore } from "../app/open-store.js";
import { tryLoadConfig } from "../config.js";
import { createLogger } from "../logger.js";
import type { CliOutput } from "./parse-command.js";

const USAGE = "usage: paperboy reader export <user-id> | paperboy reader delete <user-id>";

/**
 * `paperboy reader export|delete <user-id>`: what Paperboy keeps about one reader (follows,
 * how they are reached, their alerts), printed as JSON or deleted, for an operator asked by the
 * reader. Exit 0 when done, 1 when the database could not be used, 2 for a usage error.
 */
export async function runReader(args: readonly string[], io: CliOutput): Promise<number> {
  const [action, userId, ...extra] = args;
  if ((action !== "export" && action !== "delete") || userId === undefined || extra.length > 0) {
    io.err(`${USAGE}\n`);
    return 2;
  }
  if (!/^\d{17,20}$/.test(userId)) {
    io.err(`"${userId}" is not a Discord user id (17 to 20 digits)\n${USAGE}\n`);
    return 2;
  }
  const loaded = tryLoadConfig();
  if (!loaded.ok) {
    io.err(`${loaded.message}\n`);
    return 1;
  }
  const { config } = loaded;
  const logger = createLogger({ level: config.logLevel, destination: pino.destination(2) });
  let opened: Awaited<ReturnType<typeof openStore>>;
  try {
    opened = await openStore(config, logger);
  } catch (error) {
    io.err(`${(error as Error).message}\n`);
    return 1;
  }
  try {
    if (action === "export") {
      io.out(`${exportJson(await opened.store.readerData(userId))}\n`);
    } else {
      const gone = await opened.store.deleteReader(userId);
      io.out(
        `deleted reader ${userId}: ${gone.follows} follow(s), ${gone.alerts} alert record(s)${gone.reader ? "" : " (no reader record was kept)"}\n`,
      );
    }
    return 0;
  } catch (error) {
    io.err(`could not ${action} reader ${userId}: ${(error as Error).message}\n`);
    return 1;
  } finally {
    await opened.close();
  }
}
