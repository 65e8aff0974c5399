import { PermissionFlagsBits } from "discord.js";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import type { RunningBot } from "../../src/app/bot.js";
import { inviteUrl } from "../../src/app/invite.js";
import { subscriptionInput } from "../../src/delivery/subscription.js";
import { bot, type DeliveryWorld, deliveryWorld } from "../support/delivery-world.js";
import { interact, slash } from "../support/interact.js";

let world: DeliveryWorld;
let running: RunningBot;
beforeAll(async () => {
  world = await deliveryWorld({
    emulator: { rateLimits: { enabled: false } },
    env: { HTTP_PORT: "0" },
  });
  running = await bot(world);
});
afterAll(async () => {
  await running.stop();
  await world.emulator.close();
});

const get = (path: string) => fetch(`http://127.0.0.1:${running.httpPort}${path}`);

describe("operations endpoint", () => {
  test("/healthz reports the deliverer ready, its gateway connected and its database writable", async () => {
    const response = await get("/healthz");
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({
      status: "ok",
      problems: [],
      role: "deliverer",
      database: { state: "ok", message: null, since: expect.any(String) },
      gateway: { state: "connected", since: expect.any(String) },
    });
  });

  test("/metrics counts deliveries, messages, command latency and the archive in Prometheus format", async () => {
    await running.core.store.saveSubscription(subscriptionInput(world.guild.text, world.guild.id));
    await running.core.service.deliverNewest();
    await interact(world.emulator, {
      guild_id: world.guild.id,
      channel_id: world.guild.text,
      type: 2,
      data: slash("top"),
    });
    const response = await get("/metrics");
    expect(response.headers.get("content-type")).toMatch(/^text\/plain/);
    const text = await response.text();
    expect(text).toMatch(/^paperboy_messages_sent_total 3$/m);
    expect(text).toMatch(/^paperboy_deliveries_total\{status="done"\} 1$/m);
    expect(text).toMatch(/^paperboy_deliveries_pending 0$/m);
    expect(text).toMatch(/^paperboy_archive_size\{kind="papers"\} 14$/m);
    expect(text).toMatch(
      /^paperboy_command_duration_seconds_count\{command="top",kind="command"\} 1$/m,
    );
    expect(text).toMatch(/^paperboy_rate_limit_waits_total/m);
    expect(text).toMatch(/^paperboy_process_cpu_seconds_total/m);
  });

  test("an unknown path is a 404 that points at the two endpoints", async () => {
    const response = await get("/");
    expect(response.status).toBe(404);
    expect(await response.text()).toContain("/healthz");
  });
});

describe("the invite link", () => {
  test("asks for the bot and commands scopes and exactly the permissions the code uses", () => {
    const url = new URL(inviteUrl("123456789012345678"));
    expect(url.searchParams.get("scope")).toBe("bot applications.commands");
    const bits = BigInt(url.searchParams.get("permissions") ?? "0");
    const expected =
      PermissionFlagsBits.ViewChannel |
      PermissionFlagsBits.SendMessages |
      PermissionFlagsBits.EmbedLinks |
      PermissionFlagsBits.CreatePublicThreads |
      PermissionFlagsBits.SendMessagesInThreads |
      PermissionFlagsBits.ReadMessageHistory;
    expect(bits).toBe(expected);
    expect(bits & PermissionFlagsBits.Administrator).toBe(0n);
    expect(bits & PermissionFlagsBits.MentionEveryone).toBe(0n);
  });
});
