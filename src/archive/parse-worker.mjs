// The entry of a digest-parsing worker thread. Paperboy runs its TypeScript sources directly,
// and a worker starts without the main thread's loader, so it registers tsx before loading.
import { register } from "tsx/esm/api";

register();
await import("./parse-worker.ts");
