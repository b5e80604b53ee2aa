/**
 * A fake r_keeper 7 cash server XML interface (`/rk7api/v0/xmlinterface.xml`):
 * HTTP Basic auth, HTTP 200 with `RK7QueryResult` even for errors, like the
 * real one. Answers are scripted per command; every query is recorded.
 * Optionally HTTPS with a self-signed RSA-1024 certificate, as cash servers have.
 */
import { readFileSync } from "node:fs";
import http from "node:http";
import https from "node:https";
import type { AddressInfo } from "node:net";
import path from "node:path";

export type Answer = string | ((query: string) => string);

const fixtures = path.join(import.meta.dirname, "fixtures");
export const CASH_CERT = readFileSync(path.join(fixtures, "cash-server-rsa1024.crt"));
const CASH_KEY = readFileSync(path.join(fixtures, "cash-server-rsa1024.key"));

export const ok = (inner = "", attrs = "") => `<?xml version="1.0" encoding="UTF-8"?><RK7QueryResult ServerVersion="7.6.5.440" Status="Ok"${attrs}>${inner}</RK7QueryResult>`;
export const rk7Error = (status: string, code: number, text: string) =>
  `<?xml version="1.0" encoding="UTF-8"?><RK7QueryResult Status="${status}" RK7ErrorN="${code}" ErrorText="${text}"/>`;
export const systemInfo = (shift: number, start = "2026-11-22T09:00:00") =>
  ok(`<SystemInfo RestCode="199990001" ProcessID="4242"><CommonShift ShiftNum="${shift}" ShiftDate="2026-11-22" ShiftStartTime="${start}"/><Restaurant name="Тестовый ресторан"/></SystemInfo>`);

export class FakeCashServer {
  readonly queries: string[] = [];
  readonly answers = new Map<string, Answer>();
  user = "xmluser";
  password = "секрет-1";
  url = "";
  private server!: http.Server;

  static async start(opts: { tls?: boolean } = {}): Promise<FakeCashServer> {
    const s = new FakeCashServer();
    const handler = (req: http.IncomingMessage, res: http.ServerResponse) => void s.handle(req, res);
    s.server = opts.tls ? https.createServer({ cert: CASH_CERT, key: CASH_KEY, ciphers: "DEFAULT@SECLEVEL=0" }, handler) : http.createServer(handler);
    await new Promise<void>((r) => s.server.listen(0, "127.0.0.1", r));
    s.url = `${opts.tls ? "https" : "http"}://127.0.0.1:${(s.server.address() as AddressInfo).port}`;
    return s;
  }

  /** Commands seen, in order (the CMD attribute of each query). */
  get commands(): string[] {
    return this.queries.map((q) => /CMD="([^"]+)"/.exec(q)?.[1] ?? "?");
  }

  private async handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const body = Buffer.concat(chunks).toString("utf8");
    if (req.url !== "/rk7api/v0/xmlinterface.xml" || req.method !== "POST") {
      res.writeHead(404).end();
      return;
    }
    const expected = "Basic " + Buffer.from(`${this.user}:${this.password}`, "utf8").toString("base64");
    if (req.headers.authorization !== expected) {
      res.writeHead(401, { "www-authenticate": 'Basic realm="rk7"' }).end("Unauthorized");
      return;
    }
    this.queries.push(body);
    const cmd = /CMD="([^"]+)"/.exec(body)?.[1] ?? "";
    const a = this.answers.get(cmd);
    const text = a === undefined ? rk7Error("Bad Query Parameters", 0, `Unknown command ${cmd}`) : typeof a === "function" ? a(body) : a;
    res.writeHead(200, { "content-type": "text/xml; charset=utf-8" });
    res.end(text);
  }

  async stop(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((r) => this.server.close(() => r()));
  }
}
