// Run by young-generation.test.ts under npm start's Node flags: starts a parse worker that makes
// garbage, makes the same garbage here, and prints how large each young generation grew.
import { getHeapSpaceStatistics } from "node:v8";
import { ParsePool } from "../../src/archive/parse-pool.js";

const pool = new ParsePool({ entry: new URL("./heap-worker.mjs", import.meta.url) });
const outcome = await pool.parse(new Uint8Array(1), "x.md");
await pool.close();

const window = new Array(100_000);
for (let i = 0; i < 5_000_000; i++) window[i % window.length] = { a: i, b: [i, i] };
const own = getHeapSpaceStatistics().find((space) => space.space_name === "new_space");
const worker = outcome.result.ok ? Number.NaN : Number(outcome.result.error.message);
console.log(JSON.stringify({ worker, own: own?.space_size, kept: window.length }));
