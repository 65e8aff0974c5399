import { randomBytes } from "node:crypto";
import type { IncomingMessage } from "node:http";
import type { Duplex } from "node:stream";
import { type WebSocket, WebSocketServer } from "ws";
import type { EmulatorContext } from "./context.js";
import { shardOf } from "./snowflake.js";
import type { Json } from "./validate/common.js";

const OP = {
  Dispatch: 0,
  Heartbeat: 1,
  Identify: 2,
  Presence: 3,
  Voice: 4,
  Resume: 6,
  Reconnect: 7,
  RequestMembers: 8,
  InvalidSession: 9,
  Hello: 10,
  HeartbeatAck: 11,
} as const;
const REPLAY_BUFFER = 2000;
/** Close codes after which Discord forgets the session, so the client must identify again. */
const SESSION_ENDING = new Set([4004, 4007, 4009, 4010, 4011, 4012, 4013, 4014]);

interface Session {
  id: string;
  shardId: number;
  shardCount: number;
  intents: number;
  seq: number;
  buffer: { s: number; payload: string }[];
  socket: WebSocket | null;
}

/** The gateway: HELLO, heartbeats, IDENTIFY/READY, GUILD_CREATE, dispatches, RESUME and sharding. */
export class Gateway {
  private readonly wss = new WebSocketServer({ noServer: true });
  private readonly sessions = new Map<string, Session>();
  readonly stats = { connections: 0, identifies: 0, resumes: 0 };

  constructor(
    private readonly ctx: EmulatorContext,
    private readonly heartbeatIntervalMs: number,
  ) {}

  handleUpgrade(request: IncomingMessage, socket: Duplex, head: Buffer): void {
    this.wss.handleUpgrade(request, socket, head, (ws) => this.accept(ws));
  }

  /** Sessions currently connected, by shard id. */
  connectedShards(): number[] {
    return [...this.sessions.values()].filter((s) => s.socket !== null).map((s) => s.shardId);
  }

  private accept(ws: WebSocket): void {
    this.stats.connections++;
    let session: Session | null = null;
    const send = (payload: Json) => ws.send(JSON.stringify(payload));
    send({
      op: OP.Hello,
      d: { heartbeat_interval: this.heartbeatIntervalMs, _trace: ["emulator"] },
      s: null,
      t: null,
    });
    ws.on("message", (raw) => {
      let payload: Json;
      try {
        payload = JSON.parse(String(raw)) as Json;
      } catch {
        ws.close(4002, "Error while decoding payload.");
        return;
      }
      const d = (payload.d ?? {}) as Json;
      switch (payload.op) {
        case OP.Heartbeat:
          send({ op: OP.HeartbeatAck, d: null, s: null, t: null });
          return;
        case OP.Identify:
          if (session) return ws.close(4005, "Already authenticated.");
          if (d.token !== this.ctx.token) return ws.close(4004, "Authentication failed.");
          session = this.identify(ws, d);
          return;
        case OP.Resume: {
          if (d.token !== this.ctx.token) return ws.close(4004, "Authentication failed.");
          const found = this.sessions.get(String(d.session_id));
          if (!found) {
            send({ op: OP.InvalidSession, d: false, s: null, t: null });
            return;
          }
          session = found;
          this.resume(found, ws, Number(d.seq ?? 0));
          return;
        }
        case OP.Presence:
        case OP.Voice:
        case OP.RequestMembers:
          if (!session) ws.close(4003, "Not authenticated.");
          return;
        default:
          ws.close(4001, "Unknown opcode.");
      }
    });
    ws.on("close", (code) => {
      if (session && session.socket === ws) {
        session.socket = null;
        // A client closing normally ends its session, as on Discord; 4200 and the like keep it.
        if (code === 1000 || code === 1001) this.sessions.delete(session.id);
      }
    });
  }

  private identify(ws: WebSocket, d: Json): Session | null {
    const shard = Array.isArray(d.shard) ? (d.shard as number[]) : [0, 1];
    const [shardId = 0, shardCount = 1] = shard;
    if (!(shardCount >= 1 && shardId >= 0 && shardId < shardCount)) {
      ws.close(4010, "Invalid shard.");
      return null;
    }
    this.stats.identifies++;
    const session: Session = {
      id: randomBytes(16).toString("hex"),
      shardId,
      shardCount,
      intents: Number(d.intents ?? 0),
      seq: 0,
      buffer: [],
      socket: ws,
    };
    this.sessions.set(session.id, session);
    const world = this.ctx.world;
    const guilds = [...world.guilds.values()].filter((g) => shardOf(g.id, shardCount) === shardId);
    this.emit(session, "READY", {
      v: 10,
      user: { ...world.botUser, verified: true, mfa_enabled: false, flags: 0 },
      guilds: guilds.map((g) => ({ id: g.id, unavailable: true })),
      session_id: session.id,
      session_type: "normal",
      resume_gateway_url: this.ctx.gatewayUrl(),
      shard: [shardId, shardCount],
      application: { id: world.applicationId, flags: 0 },
      private_channels: [],
      relationships: [],
      presences: [],
      guild_join_requests: [],
      geo_ordered_rtc_regions: [],
      _trace: ["emulator"],
    });
    for (const guild of guilds) this.emit(session, "GUILD_CREATE", world.guildPayload(guild));
    return session;
  }

  private resume(session: Session, ws: WebSocket, seq: number): void {
    this.stats.resumes++;
    session.socket?.close(4000, "Session resumed elsewhere.");
    session.socket = ws;
    for (const event of session.buffer) if (event.s > seq) ws.send(event.payload);
    this.emit(session, "RESUMED", { _trace: ["emulator"] });
  }

  private emit(session: Session, event: string, data: Json): void {
    session.seq++;
    const payload = JSON.stringify({ op: OP.Dispatch, t: event, s: session.seq, d: data });
    session.buffer.push({ s: session.seq, payload });
    if (session.buffer.length > REPLAY_BUFFER) session.buffer.shift();
    if (session.socket && session.socket.readyState === session.socket.OPEN)
      session.socket.send(payload);
  }

  /** Sends an event to every session whose shard holds the guild (all sessions for null). */
  dispatch(guildId: string | null, event: string, data: Json, intent: number): void {
    for (const session of this.sessions.values()) {
      if (guildId !== null && shardOf(guildId, session.shardCount) !== session.shardId) continue;
      if (intent !== 0 && (session.intents & intent) === 0) continue;
      this.emit(session, event, data);
    }
  }

  /** Drops connections with a close code; codes that end a session make the client identify again. */
  disconnect(code: number, shardId: number | null): number {
    let count = 0;
    for (const session of this.sessions.values()) {
      if (shardId !== null && session.shardId !== shardId) continue;
      if (SESSION_ENDING.has(code)) this.sessions.delete(session.id);
      if (session.socket) {
        session.socket.close(code, "Closed by the emulator");
        session.socket = null;
        count++;
      }
    }
    return count;
  }

  /** Sends op 9 INVALID_SESSION (resumable or not). */
  invalidate(resumable: boolean, shardId: number | null): void {
    for (const session of this.sessions.values()) {
      if (shardId !== null && session.shardId !== shardId) continue;
      if (!resumable) this.sessions.delete(session.id);
      session.socket?.send(
        JSON.stringify({ op: OP.InvalidSession, d: resumable, s: null, t: null }),
      );
    }
  }

  close(): void {
    for (const client of this.wss.clients) client.terminate();
    this.wss.close();
    this.sessions.clear();
  }
}
