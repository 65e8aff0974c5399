import { execFile } from "node:child_process";
import { join } from "node:path";
import { promisify } from "node:util";
import { expect, test } from "vitest";
import { followKey } from "../../src/alerts/keys.js";
import { alertChannel } from "../../src/alerts/model.js";
import { openDatabase } from "../../src/storage/database.js";
import { SqliteStore } from "../../src/storage/sqlite-store.js";
import { ROOT, tempDir } from "../support/paths.js";

const run = promisify(execFile);
const READER = "850000000000000001";
const OTHER = "850000000000000002";

async function paperboy(env: Record<string, string>, ...args: string[]) {
  try {
    const { stdout, stderr } = await run(
      process.execPath,
      [join(ROOT, "bin", "paperboy.js"), ...args],
      {
        env: { ...process.env, ...env, LOG_LEVEL: "warn" },
      },
    );
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code: number; stdout: string; stderr: string };
    return { code: failed.code, stdout: failed.stdout, stderr: failed.stderr };
  }
}

test("an operator exports one reader's data as JSON and deletes it, leaving other readers alone", async () => {
  const dir = tempDir();
  const env = {
    DISCORD_TOKEN: "unused",
    DIGESTS_DIR: join(ROOT, "digests"),
    DATABASE_URL: join(dir, "state.db"),
  };
  const db = openDatabase(env.DATABASE_URL);
  const store = new SqliteStore(db);
  for (const [userId, value] of [
    [READER, "video diffusion"],
    [OTHER, "robots"],
  ] as const)
    await store.addFollow(
      { userId, kind: "topic", value, key: followKey("topic", value), language: "ko" },
      25,
    );
  await store.createDelivery({
    channelId: alertChannel(READER),
    guildId: null,
    digestDate: "2024-02-20",
    kind: "scheduled",
    mode: "dm",
    language: "ko",
    steps: [{ role: "papers", payload: { embeds: [], allowed_mentions: { parse: [] } } }],
  });
  db.close();

  const exported = await paperboy(env, "reader", "export", READER);
  expect(exported.code, exported.stderr).toBe(0);
  const data = JSON.parse(exported.stdout) as Record<string, unknown>;
  expect(data).toMatchObject({
    user_id: READER,
    language: "ko",
    follows: [{ kind: "topic", value: "video diffusion" }],
    alerts: [{ digest: "2024-02-20", status: "pending" }],
  });
  expect(exported.stdout).not.toContain("robots");

  const deleted = await paperboy(env, "reader", "delete", READER);
  expect(deleted.code, deleted.stderr).toBe(0);
  expect(deleted.stdout).toContain(`deleted reader ${READER}: 1 follow(s), 1 alert record(s)`);
  const after = JSON.parse((await paperboy(env, "reader", "export", READER)).stdout);
  expect(after).toMatchObject({ follows: [], alerts: [], language: null });
  const other = JSON.parse((await paperboy(env, "reader", "export", OTHER)).stdout);
  expect(other.follows).toHaveLength(1);

  const bad = await paperboy(env, "reader", "export", "not-an-id");
  expect(bad.code).toBe(2);
  expect(bad.stderr).toContain('"not-an-id" is not a Discord user id');
  const usage = await paperboy(env, "reader", "forget", READER);
  expect(usage.code).toBe(2);
  expect(usage.stderr).toContain("usage: paperboy reader export <user-id>");
});
