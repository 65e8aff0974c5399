import { connect } from "node:net";

/** What a server did with bytes written to it over a raw socket. */
export interface RawExchange {
  /** Everything the server sent, as latin1 text. */
  response: string;
  /** The status codes of every response in it (pipelined requests get several). */
  statuses: number[];
  /** Whether the server closed the connection before `waitMs` passed. */
  closedByServer: boolean;
}

/**
 * Writes `chunks` to a fresh connection (`gapMs` apart), optionally half-closes it, and collects
 * the answer until the server closes or `waitMs` passes. Never rejects: resets are answers too.
 */
export function rawExchange(
  port: number,
  chunks: (string | Buffer)[],
  options: { halfClose?: boolean; waitMs?: number; gapMs?: number } = {},
): Promise<RawExchange> {
  return new Promise((resolve) => {
    const received: Buffer[] = [];
    const socket = connect(port, "127.0.0.1");
    let done = false;
    const finish = (closedByServer: boolean) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      socket.destroy();
      const response = Buffer.concat(received).toString("latin1");
      const statuses = [...response.matchAll(/HTTP\/1\.1 (\d{3}) /g)].map((m) => Number(m[1]));
      resolve({ response, statuses, closedByServer });
    };
    const timer = setTimeout(() => finish(false), options.waitMs ?? 1000);
    socket.on("data", (chunk) => received.push(chunk));
    socket.on("error", () => finish(true));
    socket.on("close", () => finish(true));
    socket.on("connect", async () => {
      for (const chunk of chunks) {
        if (done || socket.destroyed) return;
        socket.write(chunk);
        if (options.gapMs) await new Promise((r) => setTimeout(r, options.gapMs));
      }
      if (options.halfClose && !socket.destroyed) socket.end();
    });
  });
}
