// A parse worker that makes garbage as markdown parsing does (many objects that live a little
// while) and answers with the size its young generation grew to.
import { getHeapSpaceStatistics } from "node:v8";
import { parentPort } from "node:worker_threads";

parentPort?.on("message", ({ id, path }) => {
  const window = new Array(100_000);
  for (let i = 0; i < 5_000_000; i++) window[i % window.length] = { a: i, b: [i, i] };
  const young = getHeapSpaceStatistics().find((space) => space.space_name === "new_space");
  parentPort?.postMessage({
    id,
    result: { ok: false, error: { file: path, message: String(young?.space_size ?? 0) } },
  });
});
parentPort?.postMessage({ ready: true });
