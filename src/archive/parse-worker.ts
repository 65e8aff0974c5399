import { setPriority } from "node:os";
import { parentPort } from "node:worker_threads";
import type { Paper } from "../digest/model.js";
import { parseDigestBytes } from "./parse-file.js";
import {
  batchLength,
  type MoreReply,
  type MoreRequest,
  type ParseReply,
  type ParseRequest,
} from "./parse-messages.js";

// Parsing yields the processor to the bot's own thread: on Linux this lowers only this thread.
try {
  setPriority(10);
} catch {
  // Not permitted here: parsing still runs off the bot's thread.
}

/** The papers of the last answer still to be sent. */
let held: { id: number; papers: Paper[]; next: number } | null = null;

function answer(request: ParseRequest): ParseReply {
  const result = parseDigestBytes(request.bytes, request.path);
  // The result also goes as JSON, made here, for the parse cache: turning a large digest into
  // JSON takes tens of milliseconds the bot's thread would otherwise spend.
  const json = JSON.stringify(result);
  const count = result.ok ? batchLength(result.digest.papers, 0) : 0;
  if (!result.ok || result.digest.papers.length <= count) {
    held = null;
    return { id: request.id, result, json };
  }
  const papers = result.digest.papers;
  held = { id: request.id, papers, next: count };
  const first = { ...result.digest, papers: papers.slice(0, count) };
  return {
    id: request.id,
    result: { ok: true, digest: first },
    json,
    pending: papers.length - count,
  };
}

function more(request: MoreRequest): MoreReply | null {
  if (held?.id !== request.id) return null;
  const papers = held.papers.slice(held.next, held.next + batchLength(held.papers, held.next));
  held.next += papers.length;
  const pending = held.papers.length - held.next;
  if (pending === 0) held = null;
  return { id: request.id, papers, pending };
}

// Runs inside a worker thread: parses each file it is sent and answers with the result, its
// papers a few hundred at a time, each batch when the bot asks for it.
parentPort?.on("message", (request: ParseRequest | MoreRequest) => {
  const reply = "more" in request ? more(request) : answer(request);
  if (reply) parentPort?.postMessage(reply);
});
parentPort?.postMessage({ ready: true });
