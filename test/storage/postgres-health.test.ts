import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, describe, expect, test } from "vitest";
import { DatabaseHealth } from "../../src/storage/db-health.js";
import { openPostgresStore } from "../../src/storage/postgres-connect.js";
import { PostgresProbe, PROBE_TIMEOUT_MS } from "../../src/storage/postgres-probe.js";
import { waitUntil } from "../support/delivery-world.js";
import { memoryLogger } from "../support/logger.js";
import {
  postgresBinDir,
  startThrowawayCluster,
  type ThrowawayCluster,
} from "../support/postgres.js";

const clusters: ThrowawayCluster[] = [];
afterAll(() => {
  for (const cluster of clusters) cluster.stop();
});

/** Probes until the state is `state` (the PostgreSQL probe lands when its write finishes). */
const settlesAt = (health: DatabaseHealth, state: string) =>
  waitUntil(() => health.check().state === state, 10_000);

describe.skipIf(postgresBinDir() === null)("PostgreSQL's health", () => {
  test("a writable server is ok; read-only it is read-only, and ok again once writable", async () => {
    const cluster = await startThrowawayCluster();
    clusters.push(cluster);
    // One connection, so the session setting below holds for every probe.
    const connection = await openPostgresStore({
      url: cluster.database("health"),
      poolSize: 1,
      statementTimeoutMs: 5000,
    });
    const log = memoryLogger();
    const health = new DatabaseHealth(new PostgresProbe(connection.pool), log.logger, {
      probeIntervalMs: 0,
    });
    await settlesAt(health, "ok");
    // As on a hot standby: every transaction is read-only.
    await connection.pool.query("SET default_transaction_read_only = on");
    await settlesAt(health, "read-only");
    expect(health.check().message).toMatch(/read-only transaction/);
    await connection.pool.query("SET default_transaction_read_only = off");
    await settlesAt(health, "ok");
    const said = log.lines().map((line) => String(line.msg));
    expect(
      said.filter((m) => m.startsWith("the database cannot be written (read-only)")),
    ).toHaveLength(1);
    expect(said.filter((m) => m.startsWith("the database can be written again"))).toHaveLength(1);
    await connection.close();
  }, 60_000);

  test("a server that stops answering (frozen) is an error within the probe's timeout, and ok once it answers", async () => {
    const cluster = await startThrowawayCluster();
    clusters.push(cluster);
    const connection = await openPostgresStore({
      url: cluster.database("frozen"),
      poolSize: 2,
      statementTimeoutMs: 60_000,
    });
    const health = new DatabaseHealth(new PostgresProbe(connection.pool), memoryLogger().logger, {
      probeIntervalMs: 0,
    });
    await settlesAt(health, "ok");
    // Every server process stopped, as a partition looks from here: nothing fails, nothing answers.
    const postmaster = Number(
      readFileSync(join(cluster.dir, "data", "postmaster.pid"), "utf8").split("\n")[0],
    );
    const children = readdirSync("/proc")
      .filter((entry) => /^\d+$/.test(entry))
      .filter((pid) => {
        try {
          // The field after the parenthesised name: state, then the parent's pid.
          const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
          return Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]) === postmaster;
        } catch {
          return false; // gone meanwhile
        }
      });
    const pids = [postmaster, ...children.map(Number)];
    for (const pid of pids) process.kill(pid, "SIGSTOP");
    const frozenAt = Date.now();
    try {
      await waitUntil(() => health.check().state === "error", 15_000);
      expect(Date.now() - frozenAt).toBeLessThan(PROBE_TIMEOUT_MS + 3000);
      expect(health.check().message).toMatch(/did not answer a write within 5 s/);
    } finally {
      for (const pid of pids) process.kill(pid, "SIGCONT");
    }
    await settlesAt(health, "ok");
    await connection.close();
  }, 60_000);

  test("a server that went away is an error naming the connection, not ok", async () => {
    const cluster = await startThrowawayCluster();
    const url = cluster.database("gone");
    const connection = await openPostgresStore({ url, poolSize: 2, statementTimeoutMs: 5000 });
    const health = new DatabaseHealth(new PostgresProbe(connection.pool), memoryLogger().logger, {
      probeIntervalMs: 0,
    });
    await settlesAt(health, "ok");
    cluster.stop();
    await settlesAt(health, "error");
    expect(health.check().message).toMatch(/ECONNREFUSED|terminat|connect/i);
    await connection.close().catch(() => {});
  }, 60_000);
});
