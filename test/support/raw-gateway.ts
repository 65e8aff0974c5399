import WebSocket from "ws";
import type { Emulator } from "../../emulator/server.js";

export interface Frame {
  op: number;
  t: string | null;
  s: number | null;
  d: Record<string, unknown> | boolean | null;
}

/** A bare gateway connection that records every frame and how it closed. */
export async function raw(cleanup: (() => unknown)[], e: Emulator) {
  const ws = new WebSocket(`${e.url}/gateway?v=10&encoding=json`);
  cleanup.push(() => ws.terminate());
  const frames: Frame[] = [];
  ws.on("message", (data) => frames.push(JSON.parse(String(data)) as Frame));
  const closed = new Promise<number>((resolve) => ws.on("close", (code) => resolve(code)));
  await new Promise((resolve) => ws.once("open", resolve));
  const send = (op: number, d: unknown) => ws.send(JSON.stringify({ op, d }));
  const identify = (d: Record<string, unknown> = {}) =>
    send(2, { token: e.token, intents: 1, properties: {}, ...d });
  const next = async (check: (f: Frame) => boolean): Promise<Frame> => {
    for (let i = 0; i < 200; i++) {
      const found = frames.find(check);
      if (found) return found;
      await new Promise((r) => setTimeout(r, 10));
    }
    throw new Error(`no such frame in ${JSON.stringify(frames.map((f) => [f.op, f.t]))}`);
  };
  return { ws, frames, closed, send, identify, next };
}

export const ready = (f: Frame) => f.t === "READY";
