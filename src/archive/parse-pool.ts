import { availableParallelism } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { setFlagsFromString } from "node:v8";
import { Worker } from "node:worker_threads";
import type { ParseResult } from "../digest/parse.js";
import { BUILD_DIR, BUILT } from "../paths.js";
import type { MoreReply, MoreRequest, ParseReply, ParseRequest } from "./parse-messages.js";

/** What parsing one file gave, and whether it may be remembered across restarts. */
export interface ParseOutcome {
  result: ParseResult;
  /** False when the file was not parsed (a parser that stopped or ran too long): try again later. */
  cacheable: boolean;
  /** `result` as JSON, when the parser made it (for the parse cache). */
  json?: string | undefined;
}

/** Parses digest files somewhere other than the caller's thread. */
export interface DigestParser {
  parse(bytes: Uint8Array, path: string): Promise<ParseOutcome>;
  /** Stops every worker; files still waiting are answered as not parsed. */
  close(): Promise<void>;
}

export interface ParsePoolOptions {
  /** Worker threads at most; by default two (one on a single core). They run at low priority. */
  size?: number;
  /** A file that takes longer is given up (its worker is stopped) and reported. */
  timeoutMs?: number;
  /** A worker with nothing to do for this long is stopped; the next file starts one again. */
  idleMs?: number;
  /** The worker's entry module; by default the digest parser. */
  entry?: URL;
}

interface Job {
  path: string;
  bytes: Uint8Array;
  attempts: number;
  resolve: (outcome: ParseOutcome) => void;
}

interface Slot {
  worker: Worker;
  /** Loaded and waiting for work: a file's time limit starts only then. */
  ready: boolean;
  job: Job | null;
  /** The id of the job's request, which its answers carry. */
  requestId: number;
  /** An answer whose papers are still arriving (added to its digest), a batch at a time. */
  taking: ParseReply | null;
  timer: NodeJS.Timeout | null;
}

/** The built worker, or the sources' (which registers the TypeScript loader first). */
const ENTRY = BUILT
  ? pathToFileURL(join(BUILD_DIR, "src", "archive", "parse-worker.mjs"))
  : new URL("./parse-worker.mjs", import.meta.url);
/**
 * The parser's young generation, in MiB per semi-space. The bot's own thread runs with a small
 * one (see `npm start`) to stay small; V8 takes the size from its flags when a thread starts, so
 * workers are started with it raised: markdown parsing makes much short-lived garbage, and a
 * small young generation makes it about three times slower.
 */
const WORKER_SEMI_SPACE_MB = 32;
/** A file is tried this many times when its worker dies under it. */
const MAX_ATTEMPTS = 2;

/**
 * Worker threads that parse digest files, so that a large or hostile file never blocks the bot.
 * Workers start when there is work and stop when idle; a worker that crashes or hangs is
 * replaced, and its file is answered with an error naming it instead of being lost.
 */
export class ParsePool implements DigestParser {
  private readonly slots = new Set<Slot>();
  private readonly queue: Job[] = [];
  private readonly size: number;
  private readonly timeoutMs: number;
  private readonly idleMs: number;
  private readonly entry: URL;
  private idleTimer: NodeJS.Timeout | null = null;
  private nextId = 0;
  private closed = false;
  private failedStarts = 0;

  constructor(options: ParsePoolOptions = {}) {
    this.size = options.size ?? Math.min(2, availableParallelism());
    this.timeoutMs = options.timeoutMs ?? 60_000;
    this.idleMs = options.idleMs ?? 10_000;
    this.entry = options.entry ?? ENTRY;
  }

  /** How many worker threads are running now. */
  get workers(): number {
    return this.slots.size;
  }

  parse(bytes: Uint8Array, path: string): Promise<ParseOutcome> {
    if (this.closed) return Promise.resolve(notParsed(path, "the parser was stopped"));
    return new Promise((resolve) => {
      // Smaller files first: one huge file does not hold back every other.
      const at = this.queue.findIndex((job) => job.bytes.length > bytes.length);
      const job = { path, bytes, attempts: 0, resolve };
      if (at < 0) this.queue.push(job);
      else this.queue.splice(at, 0, job);
      this.dispatch();
    });
  }

  async close(): Promise<void> {
    this.closed = true;
    if (this.idleTimer) clearTimeout(this.idleTimer);
    for (const job of this.queue.splice(0))
      job.resolve(notParsed(job.path, "the parser was stopped"));
    const stopping = [...this.slots].map((slot) => this.stop(slot, "the parser was stopped"));
    await Promise.all(stopping);
  }

  private dispatch(): void {
    while (this.queue.length > 0) {
      const slot = [...this.slots].find((candidate) => candidate.ready && candidate.job === null);
      if (!slot) {
        if (this.slots.size < this.size) this.start();
        return;
      }
      const job = this.queue.shift() as Job;
      job.attempts++;
      slot.job = job;
      slot.worker.ref();
      slot.timer = setTimeout(() => {
        void this.stop(slot, `took longer than ${this.timeoutMs / 1000} s to parse`);
      }, this.timeoutMs);
      const request: ParseRequest = { id: this.nextId++, path: job.path, bytes: job.bytes };
      slot.requestId = request.id;
      slot.worker.postMessage(request);
    }
    this.scheduleIdleStop();
  }

  private start(): void {
    setFlagsFromString(`--max-semi-space-size=${WORKER_SEMI_SPACE_MB}`);
    const worker = new Worker(this.entry, { resourceLimits: { maxOldGenerationSizeMb: 512 } });
    const slot: Slot = {
      worker,
      ready: false,
      job: null,
      requestId: -1,
      taking: null,
      timer: null,
    };
    this.slots.add(slot);
    worker.on("message", (message: { ready: true } | ParseReply | MoreReply) => {
      if ("ready" in message) {
        slot.ready = true;
        this.failedStarts = 0;
        worker.unref();
        this.dispatch();
        return;
      }
      if (slot.job === null || message.id !== slot.requestId) return;
      if ("result" in message) slot.taking = message;
      else if (slot.taking?.result.ok) slot.taking.result.digest.papers.push(...message.papers);
      if ((message.pending ?? 0) > 0) {
        // The next batch is asked for on the event loop's next turn: interactions and timers
        // waiting meanwhile run between batches.
        setImmediate(() => {
          if (slot.job !== null && slot.requestId === message.id)
            worker.postMessage({ id: message.id, more: true } satisfies MoreRequest);
        });
        return;
      }
      this.finish(slot);
    });
    worker.on("error", (error) => this.lost(slot, error.message));
    worker.on("exit", (code) => this.lost(slot, `the parser stopped (exit code ${code})`));
    // Starting counts as work: a caller waiting for a file keeps the process alive.
    worker.ref();
  }

  /** Every paper of the answer has arrived: the file's outcome is complete. */
  private finish(slot: Slot): void {
    const job = slot.job;
    const taking = slot.taking;
    this.release(slot);
    if (job && taking) job.resolve({ result: taking.result, cacheable: true, json: taking.json });
    this.dispatch();
  }

  private release(slot: Slot): void {
    if (slot.timer) clearTimeout(slot.timer);
    slot.timer = null;
    slot.job = null;
    slot.taking = null;
    slot.worker.unref();
  }

  /** A worker died: its file is tried again on a new one, or answered as not parsed. */
  private lost(slot: Slot, reason: string): void {
    if (!this.slots.delete(slot)) return;
    const job = slot.job;
    this.release(slot);
    if (job && job.attempts < MAX_ATTEMPTS && !this.closed) this.queue.unshift(job);
    else job?.resolve(notParsed(job.path, reason));
    // A worker that cannot even start would be restarted forever: answer what waits instead.
    if (!slot.ready && ++this.failedStarts >= MAX_ATTEMPTS) {
      this.failedStarts = 0;
      for (const waiting of this.queue.splice(0)) waiting.resolve(notParsed(waiting.path, reason));
    }
    if (!this.closed) this.dispatch();
  }

  /** Stops a worker on purpose: its file, if any, is answered with `reason`, not retried. */
  private async stop(slot: Slot, reason: string): Promise<void> {
    if (!this.slots.delete(slot)) return;
    const job = slot.job;
    this.release(slot);
    job?.resolve(notParsed(job.path, reason));
    await slot.worker.terminate();
    if (!this.closed) this.dispatch();
  }

  private scheduleIdleStop(): void {
    if (this.idleTimer) clearTimeout(this.idleTimer);
    this.idleTimer = setTimeout(() => {
      for (const slot of this.slots)
        if (slot.ready && slot.job === null) void this.stop(slot, "idle");
    }, this.idleMs);
    this.idleTimer.unref();
  }
}

function notParsed(file: string, reason: string): ParseOutcome {
  return {
    result: { ok: false, error: { file, message: `not read: ${reason}` } },
    cacheable: false,
  };
}
