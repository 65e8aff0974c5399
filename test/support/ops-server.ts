import { type ChildProcess, spawn } from "node:child_process";
import type { HealthSnapshot } from "../../src/ops/health.js";
import { type OpsServer, startOpsServer } from "../../src/ops/http.js";
import { ROOT } from "./paths.js";

const SINCE = "2024-02-20T09:00:00.000Z";

/** A healthy deliverer's snapshot. */
export function healthySnapshot(): HealthSnapshot {
  return {
    starting: false,
    database: { state: "ok", message: null, since: SINCE },
    gateway: { connected: true, since: SINCE },
    role: "deliverer",
  };
}

/** The real ops server on a free port, serving `health` and a fixed metrics text. */
export function opsServer(health: () => HealthSnapshot = healthySnapshot): Promise<OpsServer> {
  return startOpsServer(0, "127.0.0.1", {
    health,
    metrics: async () => ({ contentType: "text/plain; version=0.0.4", body: "paperboy_up 1\n" }),
  });
}

/** The ops server running alone in a child process; resolves once it listens. */
export async function opsServerProcess(): Promise<{ port: number; process: ChildProcess }> {
  const child = spawn(process.execPath, ["--import", "tsx", "test/support/ops-server-main.ts"], {
    cwd: ROOT,
    stdio: ["ignore", "pipe", "inherit"],
  });
  let output = "";
  const port = await new Promise<number>((resolve, reject) => {
    child.stdout?.on("data", (chunk) => {
      output += String(chunk);
      const listening = /listening (\d+)/.exec(output);
      if (listening) resolve(Number(listening[1]));
    });
    child.once("exit", (code) => reject(new Error(`ops server exited ${code}: ${output}`)));
  });
  return { port, process: child };
}
