import { execFile } from "node:child_process";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterEach, expect, test } from "vitest";
import { bot, deliveryWorld, waitUntil } from "../support/delivery-world.js";
import { interact, slash } from "../support/interact.js";
import { ROOT, tempDir } from "../support/paths.js";

const run = promisify(execFile);
const GIT_ENV = {
  ...process.env,
  GIT_AUTHOR_NAME: "Digests",
  GIT_AUTHOR_EMAIL: "digests@example.invalid",
  GIT_COMMITTER_NAME: "Digests",
  GIT_COMMITTER_EMAIL: "digests@example.invalid",
};
const stops: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const stop of stops.splice(0)) await stop();
});

/** An upstream repository holding one digest in the upstream layout. */
async function upstream(): Promise<string> {
  const dir = tempDir();
  const bare = join(dir, "origin.git");
  const work = join(dir, "work");
  await run("git", ["init", "--quiet", "--bare", bare]);
  await run("git", ["init", "--quiet", work]);
  const git = (...args: string[]) => run("git", args, { cwd: work, env: GIT_ENV });
  await git("checkout", "--quiet", "-b", "main");
  mkdirSync(join(work, "paper_logs", "2024", "02"), { recursive: true });
  const sample = readFileSync(join(ROOT, "digests", "2024-02-20.md"), "utf8");
  writeFileSync(
    join(work, "paper_logs", "2024", "02", "23.md"),
    sample.replace("## Daily Papers (2024-02-20)", "## Daily Papers (2024-02-23)"),
  );
  await git("add", "--all");
  await git("commit", "--quiet", "-m", "digest");
  await git("push", "--quiet", bare, "main");
  return `file://${bare}`;
}

async function start(url: string) {
  const world = await deliveryWorld({
    emulator: { rateLimits: { enabled: false } },
    env: { DIGESTS_GIT_URL: url, HTTP_PORT: "0" },
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

test("the running bot pulls the repository at start: its digest is served, and /healthz and /status say so", async () => {
  const url = await upstream();
  const { running, healthz, world } = await start(url);
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
