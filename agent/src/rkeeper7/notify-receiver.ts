/**
 * The local HTTP endpoint r_keeper's HTTP Order Notify driver (`httpnotf.dll`)
 * POSTs its `<a Situation=…>` documents to. It binds 127.0.0.1 by default
 * (the driver runs on the same cash server), answers 200 only once the raw
 * document is fsynced in the inbox, and 503 when it could not be stored, so
 * the driver keeps it in its own queue.
 */
import http from "node:http";
import type { AddressInfo } from "node:net";
import type { Logger } from "../log";
import type { NotifyInbox } from "./notify-inbox";

export interface NotifyReceiverOptions {
  host: string;
  port: number;
  path: string;
  inbox: NotifyInbox;
  log: Logger;
  /** Told after every stored event (the processor wakes up). */
  onStored?: () => void;
  maxBodyBytes?: number;
}

export class NotifyReceiver {
  private server: http.Server | null = null;
  received = 0;
  duplicates = 0;
  lastAt?: string;

  constructor(private readonly opts: NotifyReceiverOptions) {}

  /** Listens; resolves with the bound port (useful with port 0 in tests). */
  start(): Promise<number> {
    const server = http.createServer((req, res) => void this.handle(req, res));
    server.keepAliveTimeout = 30_000;
    this.server = server;
    return new Promise((resolve, reject) => {
      server.once("error", reject);
      server.listen(this.opts.port, this.opts.host, () => {
        server.off("error", reject);
        resolve((server.address() as AddressInfo).port);
      });
    });
  }

  private async handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const url = new URL(req.url ?? "/", "http://local");
    if (url.pathname !== this.opts.path) return reply(res, 404, "not found\n");
    if (req.method === "GET") return reply(res, 200, "Tillwatch agent: r_keeper HTTP Order Notify receiver\n");
    if (req.method !== "POST") return reply(res, 405, "POST only\n", { allow: "GET, POST" });
    let body: Buffer;
    try {
      body = await readBody(req, this.opts.maxBodyBytes ?? 8 * 1024 * 1024);
    } catch (e) {
      return reply(res, 413, `${e instanceof Error ? e.message : String(e)}\n`);
    }
    const xml = decode(body, req.headers["content-type"]);
    try {
      const outcome = await this.opts.inbox.add(xml);
      if (outcome === "duplicate") this.duplicates++;
      else {
        this.received++;
        this.lastAt = new Date().toISOString();
        this.opts.onStored?.();
      }
      reply(res, 200, "OK");
    } catch (e) {
      this.opts.log.error("could not store an r_keeper notify event; answered 503 so r_keeper keeps it", { error: e });
      reply(res, 503, "cannot store the event right now\n");
    }
  }

  async stop(): Promise<void> {
    const s = this.server;
    this.server = null;
    if (!s) return;
    await new Promise<void>((resolve) => {
      s.close(() => resolve());
      s.closeAllConnections?.();
    });
  }
}

function reply(res: http.ServerResponse, status: number, text: string, headers: Record<string, string> = {}): void {
  res.writeHead(status, { "content-type": "text/plain; charset=utf-8", ...headers });
  res.end(text);
}

function readBody(req: http.IncomingMessage, max: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on("data", (c: Buffer) => {
      size += c.length;
      if (size > max) {
        reject(new Error(`event larger than ${max} bytes`));
        req.destroy();
        return;
      }
      chunks.push(c);
    });
    req.on("end", () => resolve(Buffer.concat(chunks)));
    req.on("error", reject);
  });
}

/**
 * The driver's documents are normally UTF-8; an old one may declare
 * windows-1251 (in the XML declaration or the Content-Type), which is honoured.
 */
export function decode(body: Buffer, contentType: string | undefined): string {
  const head = body.subarray(0, 200).toString("latin1");
  const declared = /encoding=["']([\w-]+)["']/i.exec(head)?.[1] ?? /charset=([\w-]+)/i.exec(contentType ?? "")?.[1];
  const enc = declared?.toLowerCase();
  if (enc && enc !== "utf-8" && enc !== "utf8") {
    try {
      return new TextDecoder(enc).decode(body);
    } catch {
      /* unknown label: fall back to UTF-8 */
    }
  }
  return body.toString("utf8").replace(/^\uFEFF/, "");
}
