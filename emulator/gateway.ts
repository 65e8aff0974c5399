import { randomBytes } from "node:crypto";
import type { IncomingMessage } from "node:http";
import type { Duplex } from "node:stream";
import { type WebSocket, WebSocketServer } from "ws";
import type { EmulatorContext } from "./context.js";
import { disallowedIntents, validIntents } from "./gateway-limits.js";
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

/** What `GET /_emulator/gateway` tells about one shard id, over every session it had. */
export interface ShardRecord {
  shard_id: number;
  shard_count: number;
  /** `connected` while a socket serves its session, `disconnected` while it may resume, `closed` once ended. */
  state: "connected" | "disconnected" | "closed";
  session_id: string | null;
  seq: number;
  identified: number;
  ready: number;
  resumed: number;
  last_close_code: number | null;
}

/** The gateway: HELLO, heartbeats, IDENTIFY/READY, GUILD_CREATE, dispatches, RESUME and sharding. */
export class Gateway {
  private readonly wss = new WebSocketServer({ noServer: true });
  private readonly sessions = new Map<string, Session>();
  private readonly shards = new Map<number, ShardRecord>();
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

  /** Every shard id seen so far with its session's state and counts, by shard id. */
  shardRecords(): ShardRecord[] {
    for (const record of this.shards.values()) {
      const session = record.session_id ? this.sessions.get(record.session_id) : undefined;
      record.state = !session ? "closed" : session.socket ? "connected" : "disconnected";
      if (session) record.seq = session.seq;
    }
    return [...this.shards.values()].sort((a, b) => a.shard_id - b.shard_id);
  }

  private record(shardId: number, shardCount: number): ShardRecord {
    let record = this.shards.get(shardId);
    if (!record) {
      record = {
        shard_id: shardId,
        shard_count: shardCount,
        state: "closed",
        session_id: null,
        seq: 0,
        identified: 0,
        ready: 0,
        resumed: 0,
        last_close_code: null,
      };
      this.shards.set(shardId, record);
    }
    return record;
  }

  private accept(ws: WebSocket): void {
    this.stats.connections++;
    let session: Session | null = null;
    const send = (payload: Json) => ws.send(JSON.stringify(payload));
    // docs: events/gateway#rate-limiting — 120 events per connection per 60 s, then a 4008 close.
    const sent: number[] = [];
    send({
      op: OP.Hello,
      d: { heartbeat_interval: this.heartbeatIntervalMs, _trace: ["emulator"] },
      s: null,
      t: null,
    });
    ws.on("message", (raw) => {
      if (ws.readyState !== ws.OPEN) return;
      const limits = this.ctx.gatewayLimits.settings;
      const now = this.ctx.clock.now();
      while (sent.length > 0 && (sent[0] ?? 0) <= now - limits.eventWindowMs) sent.shift();
      sent.push(now);
      if (sent.length > limits.eventsPerWindow) return ws.close(4008, "Rate limited.");
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
          if (session) return ws.close(4005, "Already authenticated.");
          if (d.token !== this.ctx.token) return ws.close(4004, "Authentication failed.");
          const found = this.sessions.get(String(d.session_id));
          if (!found) {
            send({ op: OP.InvalidSession, d: false, s: null, t: null });
            return;
          }
          session = this.resume(found, ws, d.seq);
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
      if (session) {
        const record = this.shards.get(session.shardId);
        if (record && record.session_id === session.id) record.last_close_code = code;
      }
      if (session && session.socket === ws) {
        session.socket = null;
        // A client closing normally ends its session, as on Discord; 4200 and the like keep it.
        if (code === 1000 || code === 1001) this.sessions.delete(session.id);
      }
    });
  }

  private identify(ws: WebSocket, d: Json): Session | null {
    const limits = this.ctx.gatewayLimits;
    // docs: events/gateway#identifying — past the daily session starts Discord ends every session
    // and resets the token, so the identify is refused as a failed authentication.
    if (!limits.takeSessionStart()) {
      for (const other of this.sessions.values())
        other.socket?.close(4004, "Authentication failed.");
      this.sessions.clear();
      ws.close(4004, "Authentication failed.");
      return null;
    }
    const shard = Array.isArray(d.shard) ? (d.shard as number[]) : [0, 1];
    const [shardId = 0, shardCount = 1] = shard;
    if (!(Number.isInteger(shardId) && shardCount >= 1 && shardId >= 0 && shardId < shardCount)) {
      ws.close(4010, "Invalid shard.");
      return null;
    }
    const record = this.record(shardId, shardCount);
    record.identified++;
    this.stats.identifies++;
    // docs: events/gateway#gateway-intents — undefined bits are 4013, privileged ones not enabled 4014.
    if (!validIntents(d.intents)) {
      ws.close(4013, "Invalid intent(s).");
      return null;
    }
    if (disallowedIntents(d.intents, limits.settings.privilegedIntents) !== 0) {
      ws.close(4014, "Disallowed intent(s).");
      return null;
    }
    const world = this.ctx.world;
    const guilds = [...world.guilds.values()].filter((g) => shardOf(g.id, shardCount) === shardId);
    // docs: events/gateway#sharding — one shard holds at most 2,500 guilds.
    if (guilds.length > limits.settings.maxGuildsPerShard) {
      ws.close(4011, "Sharding required.");
      return null;
    }
    // docs: events/gateway#rate-limiting — more identifies per 5 s than max_concurrency allows is op 9.
    if (!limits.takeIdentifySlot(shardId)) {
      ws.send(JSON.stringify({ op: OP.InvalidSession, d: false, s: null, t: null }));
      return null;
    }
    const session: Session = {
      id: randomBytes(16).toString("hex"),
      shardId,
      shardCount,
      intents: d.intents,
      seq: 0,
      buffer: [],
      socket: ws,
    };
    this.sessions.set(session.id, session);
    Object.assign(record, {
      shard_count: shardCount,
      session_id: session.id,
      ready: record.ready + 1,
    });
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

  /**
   * Replays what the session missed after `seq`. A seq the session never reached is 4007
   * (docs: topics/opcodes-and-status-codes, "Invalid seq"); one older than the replay buffer
   * cannot be replayed, so the session is invalid (op 9).
   */
  private resume(session: Session, ws: WebSocket, rawSeq: unknown): Session | null {
    const seq = rawSeq === null || rawSeq === undefined ? 0 : Number(rawSeq);
    if (!Number.isInteger(seq) || seq < 0 || seq > session.seq) {
      this.sessions.delete(session.id);
      session.socket?.close(4007, "Invalid seq.");
      ws.close(4007, "Invalid seq.");
      return null;
    }
    const oldest = session.buffer[0]?.s ?? session.seq + 1;
    if (seq + 1 < oldest) {
      this.sessions.delete(session.id);
      ws.send(JSON.stringify({ op: OP.InvalidSession, d: false, s: null, t: null }));
      return null;
    }
    this.stats.resumes++;
    session.socket?.close(4000, "Session resumed elsewhere.");
    session.socket = ws;
    for (const event of session.buffer) if (event.s > seq) ws.send(event.payload);
    this.emit(session, "RESUMED", { _trace: ["emulator"] });
    const record = this.record(session.shardId, session.shardCount);
    record.resumed++;
    return session;
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
      // Events without a guild (DM interactions) go to shard 0, as on Discord.
      if ((guildId === null ? 0 : shardOf(guildId, session.shardCount)) !== session.shardId)
        continue;
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
