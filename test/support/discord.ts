import { Client, type ClientOptions, GatewayIntentBits } from "discord.js";
import {
  type ContractViolation,
  everyRequestLog,
  type RequestLog,
} from "../../emulator/requests.js";
import { type Emulator, type EmulatorOptions, startEmulator } from "../../emulator/server.js";

/** Calls the emulator's control API and returns its JSON answer (throws on an error status). */
export async function control<T = Record<string, unknown>>(
  emulator: Emulator,
  method: string,
  path: string,
  body?: unknown,
): Promise<T> {
  const response = await fetch(`${emulator.url}/_emulator/${path}`, {
    method,
    headers: { "content-type": "application/json" },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const json = (await response.json()) as T;
  if (!response.ok)
    throw new Error(`${method} ${path}: ${response.status} ${JSON.stringify(json)}`);
  return json;
}

/** Starts an emulator with a short heartbeat, for tests. */
export function testEmulator(options: EmulatorOptions = {}): Promise<Emulator> {
  return startEmulator({ heartbeatIntervalMs: 2_000, ...options });
}

/** A real discord.js client pointed at the emulator, logged in and ready. */
export async function readyClient(
  emulator: Emulator,
  options: Partial<ClientOptions> = {},
): Promise<Client> {
  const client = new Client({
    intents: [GatewayIntentBits.Guilds],
    ...options,
    rest: { api: emulator.apiUrl, ...options.rest },
  });
  const ready = new Promise<void>((resolve) => client.once("clientReady", () => resolve()));
  await client.login(emulator.token);
  await ready;
  return client;
}

/** Raw REST call as the bot, bypassing discord.js (to see exactly what Discord answers). */
export async function rest(
  emulator: Emulator,
  method: string,
  path: string,
  body?: unknown,
  token: string | null = emulator.token,
): Promise<{ status: number; headers: Headers; body: Record<string, unknown> }> {
  const response = await fetch(`${emulator.apiUrl}/v10${path}`, {
    method,
    headers: {
      "content-type": "application/json",
      ...(token === null ? {} : { authorization: `Bot ${token}` }),
    },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await response.text();
  return {
    status: response.status,
    headers: response.headers,
    body: text === "" ? {} : (JSON.parse(text) as Record<string, unknown>),
  };
}

/** @discordjs/rest's User-Agent; raw `fetch` (see `rest()`) sends another, so its bad bodies are exempt. */
const BOT_USER_AGENT = "DiscordBot";
const checkedUpTo = new WeakMap<RequestLog, number>();

/**
 * Bodies the bot sent that fail Discord's official schema, recorded by any emulator of this
 * process (the log lives in the emulator module, so emulators started outside `testEmulator`,
 * like the demo's, count too) since the previous call, which they are consumed by.
 */
export function takeBotViolations(logs: RequestLog[] = everyRequestLog()): ContractViolation[] {
  return logs.flatMap((log) => {
    const fresh = log.violations(checkedUpTo.get(log) ?? 0);
    const last = fresh.at(-1);
    if (last) checkedUpTo.set(log, last.id);
    return fresh.filter((v) => v.user_agent.startsWith(BOT_USER_AGENT));
  });
}

/** One line per violation: route, path and the failing fields with Discord's codes. */
export function describeViolations(violations: readonly ContractViolation[]): string {
  return violations
    .map(
      (v) =>
        `${v.route} (${v.path}) fails ${v.schema}: ${v.fields.join(", ")} ${JSON.stringify(v.errors)}`,
    )
    .join("\n");
}
