import { readFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, expect, test } from "vitest";
import { bot, deliveryWorld, waitUntil } from "../support/delivery-world.js";
import { gitUpstream } from "../support/git-upstream.js";
import { interact, slash } from "../support/interact.js";
import { ROOT, tempDir } from "../support/paths.js";

const stops: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const stop of stops.splice(0)) await stop();
});

/** An upstream repository holding one digest in the upstream layout. */
async function upstream(): Promise<string> {
  const origin = await gitUpstream();
  const sample = readFileSync(join(ROOT, "digests", "2024-02-20.md"), "utf8");
  await origin.commit(
    {
      "paper_logs/2024/02/23.md": sample.replace(
        "## Daily Papers (2024-02-20)",
        "## Daily Papers (2024-02-23)",
      ),
    },
    "digest",
  );
  return origin.url;
}

async function start(url: string, env: Record<string, string> = {}) {
  const world = await deliveryWorld({
    emulator: { rateLimits: { enabled: false } },
    env: { DIGESTS_GIT_URL: url, HTTP_PORT: "0", ...env },
  });
  const running = await bot(world);
  stops.push(async () => {
    await running.stop();
    await world.emulator.close();
  });
  const healthz = async () =>
    (await (await fetch(`http://127.0.0.1:${running.httpPort}/healthz`)).json()) as {
      status: string;
      digestSync?: { ok: boolean; commit: string; error: string };
    };
  return { running, healthz, world };
}

test("the running bot pulls the repository at start into a digests folder it creates: its digest is served, and /healthz and /status say so", async () => {
  const url = await upstream();
  const digestsDir = join(tempDir(), "not-yet", "digests");
  const { running, healthz, world } = await start(url, { DIGESTS_DIR: digestsDir });
  await waitUntil(() => running.core.archive.catalog().digest("2024-02-23") !== null, 30_000);
  const body = await healthz();
  expect(body.status).toBe("ok");
  expect(body.digestSync?.ok).toBe(true);
  expect(body.digestSync?.commit).toMatch(/^[0-9a-f]{40}$/);
  const view = await interact(world.emulator, {
    guild_id: world.guild.id,
    channel_id: world.guild.text,
    permissions: "32",
    type: 2,
    data: slash("status"),
  });
  expect(view.original?.content).toMatch(
    /🔄 Digest sync: file:\/\/.*origin\.git · last .* UTC \([0-9a-f]{7}\)/,
  );
}, 60_000);

test("a repository that cannot be pulled is reported in /healthz and /status, and the bot stays healthy on what it has", async () => {
  const { running, healthz, world } = await start("file:///nowhere/digests.git");
  await waitUntil(async () => (await healthz()).digestSync?.ok === false, 30_000);
  const body = await healthz();
  expect(body.status).toBe("ok");
  expect(body.digestSync?.error).toMatch(/nowhere|not.*repository|does not exist/i);
  expect(running.core.archive.catalog().digest("2024-02-20")).not.toBeNull();
  const view = await interact(world.emulator, {
    guild_id: world.guild.id,
    channel_id: world.guild.text,
    permissions: "32",
    locale: "ko",
    type: 2,
    data: slash("status"),
  });
  expect(view.original?.content).toContain(
    "⚠️ 다이제스트 동기화 실패 (file:///nowhere/digests.git)",
  );
}, 60_000);
