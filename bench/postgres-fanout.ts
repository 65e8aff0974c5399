import { postgresBinDir, startThrowawayCluster } from "../test/support/postgres.js";
import { fanoutBench } from "./fanout.bench.js";
import type { BenchRow } from "./table.js";

/** The 200-channel fan-out with its state in a throwaway local PostgreSQL server; null without one. */
export async function fanoutOnPostgres(
  samplePath: string,
  workDir: string,
  runs = 3,
): Promise<BenchRow[] | null> {
  if (postgresBinDir() === null) return null;
  const cluster = await startThrowawayCluster();
  try {
    return await fanoutBench(samplePath, workDir, 200, runs, false, {
      label: "Paperboy on PostgreSQL",
      url: (run) => cluster.database(`fanout_${run}`),
    });
  } finally {
    cluster.stop();
  }
}
