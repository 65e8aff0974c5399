import type { Logger } from "../logger.js";

/**
 * Keeps the process serving whatever escapes a handler: an unexpected rejection or exception is
 * logged with its context and the bot goes on (its work is in the ledger either way). Only a
 * configuration error at start-up ends the process, and that is reported before this is set.
 */
export function guardProcess(logger: Logger): () => void {
  const onRejection = (reason: unknown) => {
    logger.error({ err: reason }, "unexpected rejection (a bug); still serving");
  };
  const onException = (error: Error, origin: string) => {
    logger.error({ err: error, origin }, "unexpected error (a bug); still serving");
  };
  process.on("unhandledRejection", onRejection);
  process.on("uncaughtException", onException);
  return () => {
    process.off("unhandledRejection", onRejection);
    process.off("uncaughtException", onException);
  };
}
