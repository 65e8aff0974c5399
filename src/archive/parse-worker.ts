import { setPriority } from "node:os";
import { parentPort } from "node:worker_threads";
import { parseDigestBytes } from "./parse-file.js";

/** A file to parse, sent by `ParsePool`. */
export interface ParseRequest {
  id: number;
  path: string;
  bytes: Uint8Array;
}

// Parsing yields the processor to the bot's own thread: on Linux this lowers only this thread.
try {
  setPriority(10);
} catch {
  // Not permitted here: parsing still runs off the bot's thread.
}

// Runs inside a worker thread: parses each file it is sent and answers with the result.
// The result also goes as JSON, made here, for the parse cache: turning a large digest into
// JSON takes tens of milliseconds the bot's thread would otherwise spend.
parentPort?.on("message", (request: ParseRequest) => {
  const result = parseDigestBytes(request.bytes, request.path);
  parentPort?.postMessage({ id: request.id, result, json: JSON.stringify(result) });
});
parentPort?.postMessage({ ready: true });
