// A parse worker that makes short-lived garbage, as markdown parsing does, and answers with the
// size its young generation grew to.
import { getHeapSpaceStatistics } from "node:v8";
import { parentPort } from "node:worker_threads";

parentPort?.on("message", ({ id, path }) => {
  let keep = 0;
  for (let i = 0; i < 20_000_000; i++) keep += { a: i, b: [i, i] }.b.length;
  const young = getHeapSpaceStatistics().find((space) => space.space_name === "new_space");
  parentPort?.postMessage({
    id,
    result: { ok: false, error: { file: path, message: String(young?.space_size ?? 0) } },
    keep,
  });
});
parentPort?.postMessage({ ready: true });
