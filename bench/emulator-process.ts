import { fork } from "node:child_process";
import { fileURLToPath } from "node:url";
import { startEmulator } from "../emulator/server.js";
import { timeInteractions } from "./interaction-load.js";

/**
 * The Discord emulator in a process of its own, driving interactions at the bot, for benchmarks
 * that time the bot: Discord is not on the bot's thread in a real deployment, and an emulator
 * sharing the thread would add its own work to every figure.
 */
export interface EmulatorProcess {
  token: string;
  apiUrl: string;
  where: { guild_id: string; channel_id: string };
  /** Sends interactions at `perSecond` for `seconds`; the time from dispatch to each answer. */
  time(perSecond: number, seconds: number): Promise<{ latencies: number[]; unanswered: number }>;
  close(): Promise<void>;
}

type Reply =
  | { ready: Omit<EmulatorProcess, "time" | "close"> }
  | { timed: { latencies: number[]; unanswered: number } };

/** Starts the emulator in a child process, with one server and one text channel. */
export async function startEmulatorProcess(): Promise<EmulatorProcess> {
  const child = fork(fileURLToPath(import.meta.url), ["--child"], {
    execArgv: ["--import", "tsx"],
    stdio: ["ignore", "inherit", "inherit", "ipc"],
  });
  let waiting: { resolve: (reply: Reply) => void; reject: (error: Error) => void } | null = null;
  child.on("message", (message) => waiting?.resolve(message as Reply));
  child.on("exit", (code) => waiting?.reject(new Error(`the emulator process exited (${code})`)));
  const next = () =>
    new Promise<Reply>((resolve, reject) => {
      waiting = { resolve, reject };
    });
  const ready = await next();
  if (!("ready" in ready)) throw new Error("the emulator process did not start");
  return {
    ...ready.ready,
    async time(perSecond, seconds) {
      const answer = next();
      child.send({ time: { perSecond, seconds } });
      const reply = await answer;
      if (!("timed" in reply)) throw new Error("the emulator process did not time interactions");
      return reply.timed;
    },
    async close() {
      if (child.exitCode !== null) return;
      const gone = new Promise((resolve) => child.once("exit", resolve));
      child.kill("SIGTERM");
      await gone;
    },
  };
}

/** The child: the emulator, answering the parent's requests until it is stopped. */
async function runChild(): Promise<void> {
  const emulator = await startEmulator({ heartbeatIntervalMs: 41_250 });
  const guild = emulator.ctx.world.createGuild("Load");
  const channel = emulator.ctx.world.createChannel(guild, "papers", 0);
  const where = { guild_id: guild.id, channel_id: channel.id };
  process.on("message", (message: { time: { perSecond: number; seconds: number } }) => {
    const { perSecond, seconds } = message.time;
    void timeInteractions(emulator, where, perSecond, seconds).then((timed) =>
      process.send?.({ timed }),
    );
  });
  process.on("SIGTERM", () => {
    void emulator.close().then(() => process.exit(0));
  });
  process.send?.({ ready: { token: emulator.token, apiUrl: emulator.apiUrl, where } });
}

if (process.argv.includes("--child")) await runChild();
