/**
 * A stand-in for the Worker's `/agent/v1` in plain Node: it checks every
 * signature with the contract's own verifier (src/protocol/signing.ts),
 * validates batches with the contract's zod schema, stores events once per id
 * and answers `ackSeq` the way CONTRACT §3 says. It can go away (connections
 * refused or 503) and come back, and it speaks the link WebSocket.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { WebSocketServer, type WebSocket } from "ws";
import { BATCH_MAX_BYTES, BATCH_MAX_EVENTS, EventBatch } from "../../src/protocol/events";
import { AgentFrame } from "../../src/protocol/link";
import { checkTimestamp, importAgentKey, parseSignature, verifySignature } from "../../src/protocol/signing";

export const AGENT_ID = "agt_test";
export const AGENT_KEY = "k".repeat(43);

export interface StoredEvent {
  id: string;
  seq: number;
  type: string;
  [k: string]: unknown;
}

export interface BatchSeen {
  events: number;
  bytes: number;
  seqs: number[];
}

/** `lose-answer`: stores the batch, then drops the connection before answering (a crash mid-batch). */
export type Mode = "up" | "refuse" | "503" | "lose-answer";

export class FakeCloud {
  readonly events = new Map<string, StoredEvent>();
  readonly batches: BatchSeen[] = [];
  readonly refusals: Array<{ status: number; code: string }> = [];
  readonly heartbeats: unknown[] = [];
  /** Every event as it arrived, duplicates included. */
  readonly received: StoredEvent[] = [];
  readonly linkFrames: unknown[] = [];
  mode: Mode = "up";
  /** How far the cloud's clock is ahead of this machine's (a restaurant PC with a wrong clock). */
  skewSeconds = 0;
  ackSeq = 0;
  private seqs = new Set<number>();
  private sockets = new Set<WebSocket>();
  private server!: Server;
  private wss!: WebSocketServer;
  private key!: CryptoKey;
  url = "";

  static async start(): Promise<FakeCloud> {
    const c = new FakeCloud();
    c.key = await importAgentKey(AGENT_KEY);
    c.wss = new WebSocketServer({ noServer: true });
    c.server = createServer((req, res) => void c.handle(req, res));
    c.server.on("upgrade", (req, socket, head) => {
      void (async () => {
        const check = c.mode === "up" ? await c.verified(req, "") : "bad_signature";
        if (check !== "ok") {
          const body = JSON.stringify({ error: { code: check, message: "no" } });
          socket.end(`HTTP/1.1 401 Unauthorized\r\ndate: ${c.now().toUTCString()}\r\ncontent-type: application/json\r\n\r\n${body}`);
          return;
        }
        c.wss.handleUpgrade(req, socket, head, (ws) => {
          c.sockets.add(ws);
          ws.on("close", () => c.sockets.delete(ws));
          ws.on("message", (data) => {
            const text = data.toString();
            if (text === '{"type":"ping"}') return void ws.send('{"type":"pong"}');
            c.linkFrames.push(AgentFrame.parse(JSON.parse(text)));
          });
        });
      })();
    });
    await new Promise<void>((r) => c.server.listen(0, "127.0.0.1", r));
    c.url = `http://127.0.0.1:${(c.server.address() as AddressInfo).port}`;
    return c;
  }

  /** Cloud → agent frame on every open link. */
  sendToAgent(frame: unknown): number {
    for (const ws of this.sockets) ws.send(JSON.stringify(frame));
    return this.sockets.size;
  }

  get linked(): number {
    return this.sockets.size;
  }

  /** Drop every open link (the Worker restarting). */
  dropLinks(): void {
    for (const ws of this.sockets) ws.terminate();
  }

  async stop(): Promise<void> {
    this.dropLinks();
    this.server.closeAllConnections();
    await new Promise<void>((r) => this.server.close(() => r()));
  }

  /** The cloud's clock. */
  now(): Date {
    return new Date(Date.now() + this.skewSeconds * 1000);
  }

  private async verified(req: IncomingMessage, body: string): Promise<"ok" | "bad_signature" | "stale_timestamp"> {
    const sig = parseSignature(req.headers["x-agent-signature"] as string | undefined);
    const ts = req.headers["x-agent-timestamp"] as string | undefined;
    if (req.headers["x-agent-id"] !== AGENT_ID || !sig) return "bad_signature";
    if (!checkTimestamp(ts, Math.floor(this.now().getTime() / 1000)).ok) return "stale_timestamp";
    return (await verifySignature(this.key, ts!, body, sig)) ? "ok" : "bad_signature";
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const raw = Buffer.concat(chunks);
    if (this.mode === "refuse") return void req.socket.destroy();
    if (this.mode === "503") return this.fail(res, 503, "unavailable", "down for a moment");
    const check = await this.verified(req, raw.toString("utf8"));
    if (check !== "ok") return this.fail(res, 401, check, check === "stale_timestamp" ? "timestamp too far from the cloud's clock" : "signature does not match");
    if (req.url === "/agent/v1/heartbeat") {
      this.heartbeats.push(JSON.parse(raw.toString("utf8")));
      return this.json(res, 200, {
        serverTime: this.now().toISOString(),
        config: { heartbeatSeconds: 30, connectionLossSeconds: 90, maxBatchEvents: BATCH_MAX_EVENTS, maxBatchBytes: BATCH_MAX_BYTES, timezone: "Europe/Moscow", currency: "RUB" },
      });
    }
    if (req.url !== "/agent/v1/events") return this.fail(res, 404, "not_found", req.url ?? "");
    if (raw.length > BATCH_MAX_BYTES) return this.fail(res, 413, "too_large", "over 1 MiB");
    const body = JSON.parse(raw.toString("utf8")) as { events?: unknown[] };
    if ((body.events?.length ?? 0) > BATCH_MAX_EVENTS) return this.fail(res, 413, "too_large", "over 500 events");
    const parsed = EventBatch.safeParse(body);
    if (!parsed.success) return this.fail(res, 400, "invalid_body", "invalid", parsed.error.issues);
    const events = (body.events as StoredEvent[]) ?? [];
    this.batches.push({ events: events.length, bytes: raw.length, seqs: events.map((e) => e.seq) });
    let accepted = 0;
    let duplicates = 0;
    for (const e of events) {
      this.received.push(e);
      if (this.events.has(e.id)) duplicates++;
      else {
        accepted++;
        this.events.set(e.id, e);
        this.seqs.add(e.seq);
      }
    }
    const floor = parsed.data.floorSeq;
    if (floor !== undefined && floor - 1 > this.ackSeq) this.ackSeq = floor - 1;
    while (this.seqs.has(this.ackSeq + 1)) this.ackSeq++;
    if (this.mode === "lose-answer") return void req.socket.destroy();
    this.json(res, 200, { accepted, duplicates, ackSeq: this.ackSeq });
  }

  private fail(res: ServerResponse, status: number, code: string, message: string, issues?: unknown[]): void {
    this.refusals.push({ status, code });
    this.json(res, status, { error: { code, message, ...(issues ? { issues } : {}) } });
  }

  private json(res: ServerResponse, status: number, body: unknown): void {
    res.writeHead(status, { "content-type": "application/json", date: this.now().toUTCString() });
    res.end(JSON.stringify(body));
  }
}

/** Polls `cond` until true (tests wait on outcomes, never on time). */
export async function until(cond: () => boolean | Promise<boolean>, what: string, timeoutMs = 10_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!(await cond())) {
    if (Date.now() > end) throw new Error(`timed out waiting for: ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}
