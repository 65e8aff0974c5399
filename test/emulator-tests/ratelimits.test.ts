import type { Client, TextChannel } from "discord.js";
import { afterEach, describe, expect, test } from "vitest";
import type { Emulator } from "../../emulator/server.js";
import { control, readyClient, rest } from "../support/discord.js";
import { emulatorWithGuild, type TestGuild } from "../support/emulator-world.js";

let emulator: Emulator;
let guild: TestGuild;
let bot: Client | null = null;
const quiet = { allowed_mentions: { parse: [] } };

async function setup(): Promise<void> {
  ({ emulator, guild } = await emulatorWithGuild());
}
afterEach(async () => {
  await bot?.destroy();
  bot = null;
  await emulator.close();
});

interface Stats {
  requests: number;
  rate_limited: { user: number; global: number; shared: number };
  by_status: Record<string, number>;
}

describe("emulator rate limits", () => {
  test("every REST response carries the rate-limit headers", async () => {
    await setup();
    const response = await rest(emulator, "GET", `/channels/${guild.text}`);
    for (const header of [
      "x-ratelimit-limit",
      "x-ratelimit-remaining",
      "x-ratelimit-reset",
      "x-ratelimit-reset-after",
      "x-ratelimit-bucket",
    ]) {
      expect(response.headers.get(header), header).not.toBeNull();
    }
  });

  test("the sixth message to one channel within 5 s is a 429 for that channel only", async () => {
    await setup();
    const statuses: number[] = [];
    let limited: Awaited<ReturnType<typeof rest>> | null = null;
    for (let i = 0; i < 6; i++) {
      const response = await rest(emulator, "POST", `/channels/${guild.text}/messages`, {
        content: `m${i}`,
        ...quiet,
      });
      statuses.push(response.status);
      if (response.status === 429) limited = response;
    }
    expect(statuses).toEqual([200, 200, 200, 200, 200, 429]);
    expect(limited?.headers.get("x-ratelimit-scope")).toBe("user");
    // docs: topics/rate-limits#exceeding-a-rate-limit — the header is whole seconds rounded up,
    // the body's retry_after keeps the fraction.
    const retryAfter = limited?.body.retry_after as number;
    expect(retryAfter % 1).not.toBe(0);
    expect(limited?.headers.get("retry-after")).toBe(String(Math.ceil(retryAfter)));
    expect(limited?.headers.get("x-ratelimit-remaining")).toBe("0");
    expect(limited?.headers.get("x-ratelimit-global")).toBeNull();
    expect(limited?.body).toMatchObject({
      message: "You are being rate limited.",
      global: false,
      retry_after: expect.any(Number),
    });
    expect(
      (
        await rest(emulator, "POST", `/channels/${guild.news}/messages`, {
          content: "other",
          ...quiet,
        })
      ).status,
    ).toBe(200);
  });

  test("more than 50 requests in one second is a global 429 that spares interaction callbacks", async () => {
    await setup();
    const responses = await Promise.all(
      Array.from({ length: 60 }, () => rest(emulator, "GET", `/channels/${guild.text}`)),
    );
    const global = responses.filter((r) => r.status === 429);
    expect(global.length).toBeGreaterThanOrEqual(10);
    expect(global[0]?.headers.get("x-ratelimit-global")).toBe("true");
    expect(global[0]?.headers.get("x-ratelimit-scope")).toBe("global");
    expect(global[0]?.body).toMatchObject({ global: true });
    const { id, token } = await control<{ id: string; token: string }>(
      emulator,
      "POST",
      "interactions",
      {
        guild_id: guild.id,
        channel_id: guild.text,
        type: 2,
        data: { id: "123456789012345678", name: "paper", type: 1 },
      },
    );
    const callback = await rest(
      emulator,
      "POST",
      `/interactions/${id}/${token}/callback`,
      { type: 5 },
      null,
    );
    expect(callback.status).toBe(204);
  });

  test("a shared-resource 429 says the resource is rate limited (docs: topics/rate-limits#exceeding-a-rate-limit)", async () => {
    await setup();
    await control(emulator, "POST", "faults", {
      route: "GET /channels/:channel",
      status: 429,
      scope: "shared",
      times: 1,
      retry_after_ms: 1336_570,
    });
    const limited = await rest(emulator, "GET", `/channels/${guild.text}`);
    expect(limited.headers.get("retry-after")).toBe("1337");
    expect(limited.headers.get("x-ratelimit-scope")).toBe("shared");
    expect(limited.body).toEqual({
      message: "The resource is being rate limited.",
      retry_after: 1336.57,
      global: false,
    });
  });

  test("limits can be switched off and changed for a test or a benchmark", async () => {
    await setup();
    await control(emulator, "POST", "rate-limits", { enabled: false });
    for (let i = 0; i < 12; i++) {
      expect(
        (
          await rest(emulator, "POST", `/channels/${guild.text}/messages`, {
            content: `${i}`,
            ...quiet,
          })
        ).status,
      ).toBe(200);
    }
    await control(emulator, "POST", "rate-limits", { enabled: true, channel_messages_per_5s: 2 });
    const statuses = [];
    for (let i = 0; i < 3; i++)
      statuses.push(
        (
          await rest(emulator, "POST", `/channels/${guild.news}/messages`, {
            content: `${i}`,
            ...quiet,
          })
        ).status,
      );
    expect(statuses).toEqual([200, 200, 429]);
  });

  test("discord.js sends 10 messages to one channel through the 5-per-5-s limit, none lost or repeated", async () => {
    await setup();
    bot = await readyClient(emulator);
    const channel = bot.channels.cache.get(guild.text) as TextChannel;
    const start = Date.now();
    await Promise.all(
      Array.from({ length: 10 }, (_, i) =>
        channel.send({ content: `paper ${i}`, allowedMentions: { parse: [] } }),
      ),
    );
    expect(Date.now() - start).toBeGreaterThanOrEqual(4000);
    const stored = await control<{ content: string }[]>(
      emulator,
      "GET",
      `channels/${guild.text}/messages`,
    );
    expect(stored.map((m) => m.content).sort()).toEqual(
      Array.from({ length: 10 }, (_, i) => `paper ${i}`).sort(),
    );
  });

  test.each([
    ["route", "user"],
    ["global", "global"],
    ["shared", "shared"],
  ] as const)(
    "discord.js waits out a %s 429 storm and sends exactly once",
    async (_name, scope) => {
      await setup();
      bot = await readyClient(emulator);
      await control(emulator, "POST", "faults", {
        method: "POST",
        route: "POST /channels/:channel/messages",
        status: 429,
        scope,
        times: 3,
        retry_after_ms: 150,
      });
      const channel = bot.channels.cache.get(guild.text) as TextChannel;
      await channel.send({ content: "through the storm", allowedMentions: { parse: [] } });
      const stats = await control<Stats>(emulator, "GET", "stats");
      expect(stats.rate_limited[scope]).toBe(3);
      const stored = await control<{ content: string }[]>(
        emulator,
        "GET",
        `channels/${guild.text}/messages`,
      );
      expect(stored.filter((m) => m.content === "through the storm")).toHaveLength(1);
    },
  );
});
