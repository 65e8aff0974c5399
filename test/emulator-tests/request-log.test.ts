import { REST } from "@discordjs/rest";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import type { ContractViolation, RequestRecord } from "../../emulator/requests.js";
import { requestLog } from "../../emulator/requests.js";
import type { Emulator } from "../../emulator/server.js";
import { control, describeViolations, rest, takeBotViolations } from "../support/discord.js";
import { emulatorWithGuild, type TestGuild } from "../support/emulator-world.js";

let emulator: Emulator;
let guild: TestGuild;
beforeAll(async () => {
  ({ emulator, guild } = await emulatorWithGuild({ rateLimits: { enabled: false } }));
});
afterAll(() => emulator.close());

const CREATE = "POST /channels/:channel/messages";
const requests = (query: string) =>
  control<{ requests: RequestRecord[] }>(emulator, "GET", `requests?${query}`).then(
    (r) => r.requests,
  );

/** discord.js's own REST client, as the bot sends with it. */
const botRest = () => new REST({ api: emulator.apiUrl, retries: 0 }).setToken(emulator.token);

describe("the request log", () => {
  test("records route, status, user agent, times and the schema verdict of each request", async () => {
    await rest(emulator, "POST", `/channels/${guild.text}/messages`, { content: "logged" });
    const [last] = (await requests(`route=${encodeURIComponent(CREATE)}`)).slice(-1);
    expect(last).toMatchObject({
      method: "POST",
      route: CREATE,
      path: `/channels/${guild.text}/messages`,
      status: 200,
      in_flight: false,
      schema: { name: "MessageCreateRequest", ok: true, fields: [] },
    });
    expect(last?.user_agent).not.toMatch(/^DiscordBot/);
    expect(last?.ended_at).toBeGreaterThanOrEqual(last?.started_at ?? Number.POSITIVE_INFINITY);
  });

  test("shows a request as in flight until it is answered", async () => {
    await control(emulator, "POST", "faults", { route: CREATE, delay_ms: 600, times: 1 });
    const pending = rest(emulator, "POST", `/channels/${guild.text}/messages`, { content: "slow" });
    await new Promise((resolve) => setTimeout(resolve, 200));
    const flying = await requests(`route=${guild.text}&in_flight=true`);
    expect(flying).toHaveLength(1);
    expect(flying[0]).toMatchObject({ route: CREATE, status: null, ended_at: null });
    await pending;
    expect(await requests(`route=${guild.text}&in_flight=true`)).toEqual([]);
  });

  test("lists schema violations with the failing fields at /_emulator/contract", async () => {
    await rest(emulator, "POST", `/channels/${guild.text}/messages`, { content: "c", bogus: 1 });
    const { violations } = await control<{ violations: ContractViolation[] }>(
      emulator,
      "GET",
      "contract",
    );
    expect(violations.at(-1)).toMatchObject({
      route: CREATE,
      schema: "MessageCreateRequest",
      fields: ["bogus"],
    });
  });
});

describe("the contract check every test runs", () => {
  test("catches a bad body sent through discord.js's REST client, naming route and field", async () => {
    const log = requestLog(emulator.ctx);
    takeBotViolations([log]); // earlier tests' raw-fetch violations are not the bot's anyway
    await expect(
      botRest().post(`/channels/${guild.text}/messages`, {
        body: { content: "c", embeds: [{ colour: 1 }] },
      }),
    ).rejects.toMatchObject({ status: 400, code: 50035 });
    const caught = takeBotViolations([log]);
    expect(caught).toHaveLength(1);
    expect(caught[0]?.user_agent).toMatch(/^DiscordBot/);
    expect(describeViolations(caught)).toContain(`${CREATE} (/channels/${guild.text}/messages)`);
    expect(describeViolations(caught)).toContain("embeds.0.colour");
    // Consumed: the setup file's after-each check sees nothing left, so this test passes.
    expect(takeBotViolations([log])).toEqual([]);
  });

  test("finds the bot's violations in every emulator of the process by default", async () => {
    await botRest()
      .post(`/channels/${guild.text}/messages`, { body: { content: "c", flagz: 1 } })
      .catch(() => undefined);
    expect(takeBotViolations().map((v) => v.fields)).toEqual([["flagz"]]);
  });

  // Proves the setup file is wired in: the only way this test can fail is the after-each check.
  test.fails("fails a test whose bot sent a bad body that nobody consumed", async () => {
    await botRest()
      .post(`/channels/${guild.text}/messages`, { body: { content: "c", oops: 1 } })
      .catch(() => undefined);
  });

  test("exempts deliberate bad bodies sent with raw fetch", async () => {
    await rest(emulator, "POST", `/channels/${guild.text}/messages`, { content: "c", wrong: 1 });
    expect(takeBotViolations()).toEqual([]);
  });
});
