import type { ResponseLike } from "discord.js";
import { afterEach, describe, expect, test } from "vitest";
import { fencedRequests, fencedSender, NotSentError } from "../../src/delivery/fenced-sender.js";
import type { SendBody, Sender } from "../../src/delivery/sender.js";
import { subscriptionInput } from "../../src/delivery/subscription.js";
import { type RestProxy, startRestProxy } from "../../src/ops/rest-proxy.js";
import { closeCoreWorlds, coreWorld, messages, waitUntil } from "../support/delivery-world.js";
import { control } from "../support/discord.js";
import { memoryLogger } from "../support/logger.js";
import { freePort } from "../support/ports.js";

const proxies: RestProxy[] = [];
afterEach(async () => {
  for (const proxy of proxies.splice(0)) await proxy.close();
  await closeCoreWorlds();
});

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * A delivery pipeline whose every send is fenced by `fence.open`, as a worker's are by its claims
 * and a single process's by its lease; `env` adds settings.
 */
async function fencedWorld(env: Record<string, string> = {}) {
  const fence = { open: true };
  const { c, world } = await coreWorld({ canSend: () => fence.open }, env);
  await c.store.saveSubscription(subscriptionInput(world.guild.text, world.guild.id));
  const creates = async () =>
    (
      await control<{ requests: { method: string; route: string | null }[] }>(
        world.emulator,
        "GET",
        "requests",
      )
    ).requests.filter((r) => r.method === "POST" && r.route === "POST /channels/:channel/messages")
      .length;
  return { c, world, fence, creates };
}

describe("a send whose lease runs out while it waits inside the REST client", () => {
  test("is not resent after the 429 it was waiting out", async () => {
    const { c, world, fence, creates } = await fencedWorld();
    await control(world.emulator, "POST", "faults", {
      method: "POST",
      route: "POST /channels/:channel/messages",
      status: 429,
      retry_after_ms: 2_000,
      times: 1,
    });
    const delivering = c.service.deliverNewest();
    // The first create drew the 429; the REST client now waits 2 s before sending it again.
    await waitUntil(async () => (await creates()) === 1, 10_000);
    fence.open = false;
    const outcomes = await delivering;
    await pause(500);
    expect(outcomes.map((o) => o.status)).toEqual(["pending"]);
    expect(await creates()).toBe(1);
  }, 30_000);

  test("is abandoned while Discord is still answering, and not resent after its 500", async () => {
    const { c, world, fence, creates } = await fencedWorld();
    await control(world.emulator, "POST", "faults", {
      method: "POST",
      route: "POST /channels/:channel/messages",
      status: 500,
      delay_ms: 1_500,
      times: 1,
    });
    const delivering = c.service.deliverNewest();
    await waitUntil(async () => (await creates()) === 1, 10_000);
    fence.open = false;
    const outcomes = await delivering;
    await pause(2_000);
    expect(outcomes.map((o) => o.status)).toEqual(["pending"]);
    expect(await creates()).toBe(1);
  }, 30_000);

  test("behind the REST proxy, is dropped from the proxy's queue and never reaches Discord", async () => {
    const port = await freePort();
    const { c, world, fence, creates } = await fencedWorld({
      REST_PROXY_URL: `http://127.0.0.1:${port}`,
    });
    // One request a second through the proxy, and three reads ahead of the delivery's first
    // message: that message waits in the proxy's queue for three seconds or more.
    const proxy = await startRestProxy({
      port,
      host: "127.0.0.1",
      upstream: world.emulator.apiUrl,
      globalPerSecond: 1,
      timeoutMs: 15_000,
      logger: memoryLogger().logger,
    });
    proxies.push(proxy);
    const ahead = [1, 2, 3].map(() =>
      fetch(`http://127.0.0.1:${port}/api/v10/users/@me`, {
        headers: { authorization: `Bot ${world.emulator.token}` },
      }),
    );
    const delivering = c.service.deliverNewest();
    // The first message's attempt is recorded right before it is handed to the REST client.
    await waitUntil(async () => {
      const [delivery] = await c.store.unfinishedDeliveries();
      if (!delivery) return false;
      return (await c.store.steps(delivery.id)).some((step) => step.firstAttemptAt !== null);
    }, 10_000);
    await pause(200);
    fence.open = false;
    const outcomes = await delivering;
    for (const read of await Promise.all(ahead)) expect(read.status).toBe(200);
    await pause(2_000);
    expect(outcomes.map((o) => o.status)).toEqual(["pending"]);
    expect(await creates()).toBe(0);
  }, 30_000);
});

describe("a 429 from Discord behind the REST proxy", () => {
  /** A fenced world behind a proxy (50/s) whose first message create draws a 429. */
  async function behindProxyWith429(retryAfterMs: number) {
    const port = await freePort();
    const fenced = await fencedWorld({ REST_PROXY_URL: `http://127.0.0.1:${port}` });
    proxies.push(
      await startRestProxy({
        port,
        host: "127.0.0.1",
        upstream: fenced.world.emulator.apiUrl,
        globalPerSecond: 50,
        timeoutMs: 15_000,
        logger: memoryLogger().logger,
      }),
    );
    await control(fenced.world.emulator, "POST", "faults", {
      method: "POST",
      route: "POST /channels/:channel/messages",
      status: 429,
      retry_after_ms: retryAfterMs,
      times: 1,
    });
    return fenced;
  }

  test("is waited out, and the message then arrives once, whole: nothing is refused or skipped", async () => {
    const { c, world, creates } = await behindProxyWith429(500);
    const [outcome] = await c.service.deliverNewest();
    expect(outcome).toMatchObject({ status: "done", skipped: 0 });
    expect(outcome?.counts).toMatchObject({ total: 3, delivered: 3, refused: 0 });
    // The 429 and the three messages; no refused body in between.
    expect(await creates()).toBe(4);
    expect((await messages(world.emulator, world.guild.text)).length).toBe(3);
  }, 30_000);

  test("is not sent again once the claim of the process that sent it ran out", async () => {
    const { c, fence, creates } = await behindProxyWith429(2_000);
    const delivering = c.service.deliverNewest();
    await waitUntil(async () => (await creates()) === 1, 10_000);
    fence.open = false;
    const outcomes = await delivering;
    await pause(3_000);
    expect(outcomes.map((o) => o.status)).toEqual(["pending"]);
    expect(await creates()).toBe(1);
  }, 30_000);
});

describe("fenced requests", () => {
  const BODY = { content: "a", embeds: [], allowed_mentions: { parse: [] } } as unknown as SendBody;
  /** A sender whose message create is one request through `fencedRequests`, answered at once. */
  function senderOverRequests() {
    let sent = 0;
    const request = fencedRequests(async () => {
      sent++;
      return new Response("{}") as unknown as ResponseLike;
    });
    const sender = {
      createMessage: async () => {
        await request("http://discord.invalid/api/v10/channels/1/messages", { method: "POST" });
        return { id: String(sent) };
      },
    } as unknown as Sender;
    return { sender, sent: () => sent };
  }

  test("a send nested in two fences leaves only while both are open", async () => {
    const { sender, sent } = senderOverRequests();
    const fences = { lease: true, claim: true };
    const fenced = fencedSender(
      fencedSender(sender, () => fences.lease),
      () => fences.claim,
    );
    await fenced.createMessage("1", BODY);
    expect(sent()).toBe(1);
    // A claim that runs out after the send was let in is still caught as its request leaves.
    let calls = 0;
    const closingOnWayOut = fencedSender(
      fencedSender(sender, () => fences.lease),
      () => calls++ === 0,
    );
    await expect(closingOnWayOut.createMessage("1", BODY)).rejects.toBeInstanceOf(NotSentError);
    fences.lease = false;
    await expect(fenced.createMessage("1", BODY)).rejects.toBeInstanceOf(NotSentError);
    expect(sent()).toBe(1);
  });

  test("a request made outside any fenced send passes as it is", async () => {
    let passed = 0;
    const request = fencedRequests(async () => {
      passed++;
      return new Response("{}") as unknown as ResponseLike;
    });
    await request("http://discord.invalid/api/v10/users/@me", { method: "GET" });
    expect(passed).toBe(1);
  });
});
