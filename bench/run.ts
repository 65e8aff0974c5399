import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { archiveBench } from "./archive.bench.js";
import { commandBench } from "./commands.bench.js";
import { fanoutBench } from "./fanout.bench.js";
import { interactionBench } from "./interactions.bench.js";
import { fanoutOnPostgres } from "./postgres-fanout.js";
import { storeBench } from "./store.bench.js";
import { printTable } from "./table.js";
import { workersFanoutBench } from "./workers-fanout.bench.js";

const root = fileURLToPath(new URL("../", import.meta.url));
const corpus = join(root, "..", "shared", "corpus", "daily-papers-ko");
const dir = process.argv[2] ?? (existsSync(corpus) ? corpus : join(root, "digests"));
const work = mkdtempSync(join(tmpdir(), "paperboy-bench-"));

try {
  // `npm run bench` gives this process the bot's 1 MiB young generation (as `npm start` does), so
  // the figures of the bot run in this process are those of the running bot.
  console.log(`Paperboy benchmarks — corpus: ${dir}, Node ${process.version}`);
  const rows = await archiveBench(dir, work);
  const peak = process.resourceUsage().maxRSS / 1024;
  rows.push({ name: "peak memory (RSS, whole run)", value: peak, unit: "MiB" });
  printTable("Digest archive (median of 3 runs)", rows);
  printTable("Command handling over the whole archive (in-process)", await commandBench(dir));
  printTable(
    "Interactions under load (real bot, emulator, whole archive)",
    await interactionBench(dir, work),
  );
  printTable(
    "Parsing large and hostile digests",
    await (await import("./parse.bench.js")).parseBench(dir, work),
  );
  printTable(
    "Memory (real bot in a child process)",
    await (await import("./memory.bench.js")).memoryBench(dir, work),
  );
  const sample = join(root, "digests", "2024-02-20.md");
  const fanout = await fanoutBench(sample, work);
  printTable(
    "Delivery fan-out (emulator, Discord's limits on: 50 requests/s, 5 messages/5 s per channel)",
    fanout,
  );
  printTable("Store hot paths, SQLite and PostgreSQL", await storeBench(sample, work));
  const postgresFanout = await fanoutOnPostgres(sample, work);
  if (postgresFanout)
    printTable("Delivery fan-out with state in PostgreSQL (same limits)", postgresFanout);
  const alerts = await import("./alerts.bench.js");
  printTable(
    "Readers' alerts: matching one new digest against 10,000 readers × 3 follows (worst of 7; baseline worst of 3)",
    alerts.alertMatchBench(dir),
  );
  printTable(
    "Readers' alerts: recording and DM fan-out (emulator, Discord's limits on)",
    await alerts.alertFanoutBench(dir, sample, work),
  );
  const scaleOut = await workersFanoutBench(sample, work);
  if (scaleOut)
    printTable(
      "Scale-out fan-out: workers behind the REST proxy, PostgreSQL, emulator in its own process",
      scaleOut,
    );
} finally {
  rmSync(work, { recursive: true, force: true });
}
