import { createPublicKey, type KeyObject, verify } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";
import type { Client, Interaction } from "discord.js";
import { DefaultRestOptions, type ResponseLike } from "discord.js";
import type { Logger } from "../logger.js";
import { type OpsServer, send, startOpsServer } from "../ops/http.js";

/** Discord's interaction payloads are a few kilobytes; anything past this is refused (413). */
const MAX_BODY_BYTES = 1024 * 1024;
/** Discord waits 3 s for the initial response; an answer not ready just before that is a 500. */
const ANSWER_WITHIN_MS = 2_800;
/** A signature older (or newer) than this is refused, so a captured request cannot be replayed. */
const MAX_CLOCK_SKEW_S = 300;
/** The DER prefix of an Ed25519 public key in SPKI form; the raw 32 bytes follow it. */
const ED25519_SPKI_PREFIX = Buffer.from("302a300506032b6570032100", "hex");
const CALLBACK_PATH = /\/interactions\/(\d{17,20})\/[^/?]+\/callback(?:\?|$)/;

/** The application's public key (64 hex characters, as the developer portal shows it). */
export function publicKeyFromHex(hex: string): KeyObject {
  return createPublicKey({
    key: Buffer.concat([ED25519_SPKI_PREFIX, Buffer.from(hex, "hex")]),
    format: "der",
    type: "spki",
  });
}

/** Whether `signature` (hex) is the key's Ed25519 signature of `timestamp + body`. */
export function signatureValid(
  key: KeyObject,
  signature: string,
  timestamp: string,
  body: Buffer,
): boolean {
  if (!/^[0-9a-f]{128}$/i.test(signature) || !/^\d{1,12}$/.test(timestamp)) return false;
  try {
    return verify(
      null,
      Buffer.concat([Buffer.from(timestamp), body]),
      key,
      Buffer.from(signature, "hex"),
    );
  } catch {
    return false;
  }
}

/**
 * Commands over HTTP (an Interactions Endpoint URL): Discord POSTs each interaction, signed with
 * Ed25519, and takes the response to that POST as the interaction's first answer. The interaction
 * goes through discord.js as a gateway one would, and the command answers it as it always does:
 * the first answer's REST call (`POST /interactions/{id}/{token}/callback`) is caught on its way
 * out and becomes the HTTP response instead; everything after it (edits, follow-ups) goes to
 * Discord as usual. Any number of processes can serve the URL behind a load balancer.
 */
export class HttpInteractions {
  private readonly key: KeyObject;
  private readonly waiting = new Map<string, (answer: string) => void>();
  private server: OpsServer | null = null;

  constructor(
    publicKeyHex: string,
    private readonly logger: Logger,
  ) {
    this.key = publicKeyFromHex(publicKeyHex);
  }

  /** True for an interaction that came over HTTP (it is this process's to answer). */
  owns(interaction: Interaction): boolean {
    return this.waiting.has(interaction.id);
  }

  /**
   * The REST client's `makeRequest`: a first answer to an interaction that came over HTTP is
   * kept for its HTTP response; any other request goes to Discord.
   */
  readonly makeRequest = async (
    url: string,
    init: Parameters<typeof DefaultRestOptions.makeRequest>[1],
  ): Promise<ResponseLike> => {
    const id = CALLBACK_PATH.exec(url)?.[1];
    const answer = id ? this.waiting.get(id) : undefined;
    if (answer && typeof init.body === "string") {
      answer(init.body);
      return new Response(null, { status: 204 });
    }
    return DefaultRestOptions.makeRequest(url, init);
  };

  /**
   * Starts serving the endpoint; interactions are handed to `client` as gateway ones are, each
   * once `prepare` (reading its server into the cache, without a gateway) has resolved.
   */
  async listen(
    port: number,
    host: string,
    client: Client,
    prepare?: (guildId: string | undefined) => Promise<void>,
  ): Promise<number> {
    this.prepare = prepare ?? null;
    this.server = await startOpsServer(port, host, {
      healthz: () => ({ httpStatus: 200, body: { status: "ok", role: "interactions" } }),
      route: (request, response) => {
        if (request.method !== "POST") return false;
        this.receive(request, response, client);
        return true;
      },
    });
    return this.server.port;
  }

  async close(): Promise<void> {
    await this.server?.close();
  }

  private receive(request: IncomingMessage, response: ServerResponse, client: Client): void {
    const chunks: Buffer[] = [];
    let size = 0;
    request.on("data", (chunk: Buffer) => {
      size += chunk.length;
      if (size <= MAX_BODY_BYTES) chunks.push(chunk);
    });
    request.on("error", () => response.destroy());
    request.on("end", () => {
      if (size > MAX_BODY_BYTES) return reply(response, 413, { message: "payload too large" });
      const body = Buffer.concat(chunks);
      const signature = String(request.headers["x-signature-ed25519"] ?? "");
      const timestamp = String(request.headers["x-signature-timestamp"] ?? "");
      const skew = Math.abs(Date.now() / 1000 - Number(timestamp));
      if (!signatureValid(this.key, signature, timestamp, body) || !(skew <= MAX_CLOCK_SKEW_S))
        return reply(response, 401, { message: "invalid request signature" });
      let payload: { type?: unknown; id?: unknown };
      try {
        payload = JSON.parse(body.toString("utf8")) as typeof payload;
      } catch {
        return reply(response, 400, { message: "the body is not JSON" });
      }
      if (payload.type === 1) return reply(response, 200, { type: 1 });
      if (typeof payload.id !== "string") return reply(response, 400, { message: "no id" });
      this.dispatch(payload as { id: string }, response, client);
    });
  }

  private prepare: ((guildId: string | undefined) => Promise<void>) | null = null;

  private dispatch(
    payload: { id: string; guild_id?: string },
    response: ServerResponse,
    client: Client,
  ): void {
    const { id } = payload;
    const timer = setTimeout(() => {
      this.waiting.delete(id);
      this.logger.warn({ interactionId: id }, "no answer to an HTTP interaction within 2.8 s");
      reply(response, 500, { message: "no answer in time" });
    }, ANSWER_WITHIN_MS);
    this.waiting.set(id, (answer) => {
      clearTimeout(timer);
      this.waiting.delete(id);
      send(response, 200, "application/json", answer);
    });
    const handle = () => {
      try {
        // As the gateway's INTERACTION_CREATE: discord.js builds the interaction and emits it.
        (
          client as unknown as { actions: { InteractionCreate: { handle(data: unknown): void } } }
        ).actions.InteractionCreate.handle(payload);
      } catch (error) {
        clearTimeout(timer);
        this.waiting.delete(id);
        this.logger.warn({ err: error, interactionId: id }, "could not read an HTTP interaction");
        reply(response, 400, { message: "not an interaction this app can read" });
      }
    };
    if (this.prepare) void this.prepare(payload.guild_id).then(handle);
    else handle();
  }
}

/** A JSON answer. */
function reply(response: ServerResponse, status: number, body: unknown): void {
  send(response, status, "application/json", JSON.stringify(body));
}
