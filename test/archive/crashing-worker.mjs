// A parse worker that dies on every file: the pool must report the file, not lose it.
import { parentPort } from "node:worker_threads";

parentPort?.on("message", () => process.exit(3));
parentPort?.postMessage({ ready: true });
