/**
 * The link: a WebSocket the agent keeps open to `/agent/v1/link` (signed like
 * a GET with an empty body), because the cloud cannot dial into a restaurant
 * behind NAT. Reconnects forever with backoff and jitter; sends `{"type":"ping"}`
 * regularly (the cloud answers without waking up) and drops a connection that
 * has gone silent. Requests are handed to `handlers`; their answers go back on
 * whatever connection is open when they are ready.
 */
import WebSocket from "ws";
import { type AgentFrame, CloudFrame, PING_FRAME, PONG_FRAME } from "../../../src/protocol/link";
import type { Logger } from "../log";
import { Backoff } from "../util/backoff";
import { sleep } from "../util/sleep";
import type { CloudClient } from "./client";

export interface LinkHandlers {
  /** Every frame the cloud sent that is a request (report.request, order.export). */
  onRequest(frame: Exclude<CloudFrame, { type: "ping" } | { type: "pong" }>, reply: (frame: AgentFrame) => void): void;
  onConnected?(): void;
}

export interface LinkOptions {
  client: CloudClient;
  log: Logger;
  handlers: LinkHandlers;
  pingSeconds?: number;
  backoff?: { baseMs: number; maxMs: number };
}

export class Link {
  private ws: WebSocket | null = null;
  private readonly backoff: Backoff;
  private outbox: string[] = [];
  connected = false;
  lastError?: string;
  connects = 0;

  constructor(private readonly opts: LinkOptions) {
    this.backoff = new Backoff({ baseMs: opts.backoff?.baseMs ?? 1000, maxMs: opts.backoff?.maxMs ?? 60_000, minMs: 250 });
  }

  /** Sends now if connected, else on the next connection (answers are never lost to a reconnect). */
  send(frame: AgentFrame): void {
    const text = JSON.stringify(frame);
    if (this.ws && this.ws.readyState === WebSocket.OPEN) this.ws.send(text);
    else {
      this.outbox.push(text);
      if (this.outbox.length > 200) this.outbox.shift();
    }
  }

  async run(signal: AbortSignal): Promise<void> {
    while (!signal.aborted) {
      const outcome = await this.connectOnce(signal);
      if (signal.aborted) break;
      const wait = outcome === "refused" ? Math.max(30_000, this.backoff.next()) : this.backoff.next();
      this.opts.log.debug("link closed; reconnecting", { inMs: wait, error: this.lastError });
      await sleep(wait, signal);
    }
  }

  private async connectOnce(signal: AbortSignal): Promise<"closed" | "refused"> {
    const { client, log } = this.opts;
    const headers = await client.signedHeaders("");
    return new Promise((resolve) => {
      let settled = false;
      let pingTimer: NodeJS.Timeout | undefined;
      let lastHeard = Date.now();
      const pingMs = (this.opts.pingSeconds ?? 25) * 1000;
      const ws = new WebSocket(client.linkUrl(), { headers, handshakeTimeout: 15_000 });
      this.ws = ws;
      const finish = (how: "closed" | "refused") => {
        if (settled) return;
        settled = true;
        clearInterval(pingTimer);
        signal.removeEventListener("abort", onAbort);
        this.connected = false;
        if (this.ws === ws) this.ws = null;
        resolve(how);
      };
      const onAbort = () => {
        ws.terminate();
        finish("closed");
      };
      signal.addEventListener("abort", onAbort, { once: true });

      ws.on("unexpected-response", (_req, res) => {
        let body = "";
        res.on("data", (c: Buffer) => (body += c.toString("utf8").slice(0, 2000)));
        res.on("end", () => {
          this.lastError = `HTTP ${res.statusCode} ${body.replace(/\s+/g, " ").slice(0, 500)}`;
          const level = res.statusCode && res.statusCode >= 500 ? "debug" : "error";
          log[level]("link refused by the cloud", { status: res.statusCode, body: body.slice(0, 1000) });
          if (res.statusCode === 401 && body.includes("stale_timestamp")) {
            const date = Date.parse(String(res.headers.date ?? ""));
            if (Number.isFinite(date)) client.setClockOffset(date + 500 - Date.now());
          }
          ws.terminate();
          finish(res.statusCode && res.statusCode >= 400 && res.statusCode < 500 ? "refused" : "closed");
        });
      });
      ws.on("open", () => {
        this.connected = true;
        this.connects++;
        this.lastError = undefined;
        this.backoff.reset();
        lastHeard = Date.now();
        log.info("link connected");
        const queued = this.outbox;
        this.outbox = [];
        for (const t of queued) ws.send(t);
        pingTimer = setInterval(() => {
          if (Date.now() - lastHeard > pingMs * 2.5) {
            log.warn("link silent for too long; reconnecting");
            ws.terminate();
            return;
          }
          ws.send(PING_FRAME);
        }, pingMs);
        this.opts.handlers.onConnected?.();
      });
      ws.on("message", (data, isBinary) => {
        lastHeard = Date.now();
        if (isBinary) return;
        const text = data.toString();
        if (text === PONG_FRAME) return;
        if (text === PING_FRAME) {
          ws.send(PONG_FRAME);
          return;
        }
        let frame: CloudFrame;
        try {
          const parsed = CloudFrame.safeParse(JSON.parse(text));
          if (!parsed.success) {
            log.warn("link frame not understood", { frame: text.slice(0, 300) });
            return;
          }
          frame = parsed.data;
        } catch {
          log.warn("link frame is not JSON", { frame: text.slice(0, 300) });
          return;
        }
        if (frame.type === "ping") ws.send(PONG_FRAME);
        else if (frame.type === "pong") return;
        else this.opts.handlers.onRequest(frame, (answer) => this.send(answer));
      });
      ws.on("error", (e) => {
        this.lastError = e.message;
      });
      ws.on("close", (code, reason) => {
        if (this.connected) log.info("link closed", { code, reason: reason.toString("utf8").slice(0, 200) });
        finish(code === 4001 || code === 4003 ? "refused" : "closed");
      });
    });
  }
}
