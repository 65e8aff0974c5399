import { generateKeyPairSync, type KeyObject, sign } from "node:crypto";
import { checkSchema } from "./validate/schema.js";

/**
 * An Interactions Endpoint URL: instead of INTERACTION_CREATE over the gateway, Discord POSTs each
 * interaction to the app's URL, signed with Ed25519 over `timestamp + body`
 * (docs: interactions/overview#setting-up-an-endpoint), and takes the HTTP response as the
 * interaction's initial response.
 */
export class InteractionEndpoint {
  /** The application's public key as the developer portal shows it: 64 hex characters. */
  readonly publicKey: string;
  private readonly privateKey: KeyObject;

  constructor(readonly url: string) {
    const pair = generateKeyPairSync("ed25519");
    this.privateKey = pair.privateKey;
    // The raw key is the last 32 bytes of its SPKI encoding.
    this.publicKey = pair.publicKey
      .export({ format: "der", type: "spki" })
      .subarray(-32)
      .toString("hex");
  }

  /** The headers Discord sends with `body`, signed now (or at `timestamp`, seconds). */
  sign(body: string, timestamp = String(Math.floor(Date.now() / 1000))): Record<string, string> {
    const signature = sign(null, Buffer.from(timestamp + body), this.privateKey).toString("hex");
    return {
      "content-type": "application/json",
      "x-signature-ed25519": signature,
      "x-signature-timestamp": timestamp,
    };
  }

  /**
   * POSTs a payload as Discord does; the response's status and, for a 200, its body checked
   * against the interaction response schema. Never throws: a failure is what it says.
   */
  async post(payload: unknown): Promise<EndpointAnswer> {
    const body = JSON.stringify(payload);
    try {
      const response = await fetch(this.url, { method: "POST", headers: this.sign(body), body });
      const text = await response.text();
      if (response.status !== 200) return { status: response.status, body: null, error: text };
      let parsed: unknown;
      try {
        parsed = JSON.parse(text);
      } catch {
        return { status: 200, body: null, error: "the response is not JSON" };
      }
      const verdict = checkSchema("InteractionCallbackRequest", parsed);
      if (!verdict.ok)
        return { status: 200, body: null, error: `invalid response: ${verdict.fields.join(", ")}` };
      return { status: 200, body: parsed, error: null };
    } catch (error) {
      return { status: 0, body: null, error: (error as Error).message };
    }
  }
}

/** What an endpoint answered one interaction. */
export interface EndpointAnswer {
  /** 0 when it could not be reached. */
  status: number;
  body: unknown;
  error: string | null;
}
