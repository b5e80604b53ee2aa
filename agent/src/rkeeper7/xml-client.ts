/**
 * The cash server's XML interface: `POST <rk7-url>/rk7api/v0/xmlinterface.xml`,
 * HTTP Basic auth, a UTF-8 XML body. The answer is HTTP 200 even when the
 * command failed: the truth is in `RK7QueryResult@Status` (plus `ErrorText`,
 * `RK7ErrorN` and `<Errors><Error …/>`), so every answer is checked here and
 * a failure becomes an `Rk7Error`.
 *
 * The cash server's certificate is usually self-signed and often RSA-1024.
 * It is accepted only on this connection (its own https.Agent with relaxed
 * ciphers), never process-wide; with `--rk7-cert-sha256` it is pinned.
 */
import http from "node:http";
import https from "node:https";
import { isIP } from "node:net";
import tls, { type TLSSocket } from "node:tls";
import { attr, child, children, parseXml, XmlError, type XmlNode } from "./xml-tree";

export interface Rk7ClientOptions {
  /** `https://host:port` of the cash server's HTTP Data Port. */
  url: string;
  user: string;
  password: string;
  timeoutMs?: number;
  /** OpenSSL cipher list for this connection only (default accepts old small keys). */
  ciphers?: string;
  /** SHA-256 fingerprint of the cash server's certificate ("AB:CD:…" or hex); when set, any other certificate is refused. */
  certSha256?: string;
}

/** Statuses that mean the command ran. */
const OK_STATUSES = new Set(["Ok", "No changes", "Execution Started"]);

/** The common shift is being closed: every request fails with this until it is done. */
export const RK7_SHIFT_CLOSING = 2172;

export class Rk7Error extends Error {
  constructor(
    message: string,
    /** `RK7QueryResult@Status`, or "HTTP 401", "Network", "Bad XML". */
    readonly status: string,
    readonly errorCode?: number,
  ) {
    super(message);
  }

  /** The cash server did not answer at all (down, wrong address, TLS). */
  get unreachable(): boolean {
    return this.status === "Network";
  }
}

export interface Rk7Answer {
  root: XmlNode;
  status: string;
  text: string;
}

export class Rk7Client {
  private readonly endpoint: URL;
  private readonly agent: http.Agent;
  private readonly auth: string;
  private readonly pin: string | undefined;

  constructor(private readonly opts: Rk7ClientOptions) {
    this.endpoint = new URL(opts.url.replace(/\/+$/, "") + "/rk7api/v0/xmlinterface.xml");
    this.auth = "Basic " + Buffer.from(`${opts.user}:${opts.password}`, "utf8").toString("base64");
    this.pin = opts.certSha256?.replace(/[^0-9a-f]/gi, "").toUpperCase() || undefined;
    this.agent =
      this.endpoint.protocol === "https:"
        ? new https.Agent({ keepAlive: true, maxSockets: 2, rejectUnauthorized: false, ciphers: opts.ciphers ?? "DEFAULT@SECLEVEL=0", minVersion: "TLSv1" })
        : new http.Agent({ keepAlive: true, maxSockets: 2 });
  }

  /**
   * With a pinned certificate every request gets its own TLS connection whose
   * certificate is checked before a single byte (the Basic credentials!) is
   * written. Node's `checkServerIdentity` cannot do this: it is skipped when
   * the chain does not verify, which a self-signed certificate never does.
   */
  private connectPinned(pin: string): Promise<TLSSocket> {
    const host = this.endpoint.hostname.replace(/^\[|\]$/g, "");
    const port = Number(this.endpoint.port || 443);
    return new Promise((resolve, reject) => {
      const socket = tls.connect({
        host,
        port,
        ...(isIP(host) ? {} : { servername: host }),
        rejectUnauthorized: false,
        ciphers: this.opts.ciphers ?? "DEFAULT@SECLEVEL=0",
        minVersion: "TLSv1",
      });
      socket.setTimeout(this.opts.timeoutMs ?? 30_000, () => socket.destroy(new Error("TLS handshake timed out")));
      socket.once("error", (e) => reject(new Rk7Error(`cannot reach the cash server at ${this.endpoint.host} (TLS): ${e.message}`, "Network")));
      socket.once("secureConnect", () => {
        const fp = socket.getPeerCertificate().fingerprint256 ?? "";
        if (fp.replace(/:/g, "").toUpperCase() !== pin) {
          socket.destroy();
          reject(new Rk7Error(`cannot reach the cash server at ${this.endpoint.host} (TLS): its certificate ${fp} is not the pinned one (--rk7-cert-sha256)`, "Network"));
          return;
        }
        socket.setTimeout(0);
        resolve(socket);
      });
    });
  }

  get host(): string {
    return this.endpoint.host;
  }

  /** Sends one query document and returns the checked `RK7QueryResult`. */
  async query(xml: string): Promise<Rk7Answer> {
    const text = await this.post(xml);
    let root: XmlNode;
    try {
      root = parseXml(text);
    } catch (e) {
      throw new Rk7Error(`the cash server answered something that is not XML: ${e instanceof XmlError ? e.message : String(e)}`, "Bad XML");
    }
    if (root.name !== "RK7QueryResult") throw new Rk7Error(`unexpected answer <${root.name}>`, "Bad XML");
    const status = attr(root, "Status") ?? "";
    if (!OK_STATUSES.has(status)) {
      const first = child(child(root, "Errors"), "Error");
      const code = Number(attr(root, "RK7ErrorN") ?? attr(first, "RK7ErrorN") ?? attr(first, "ErrorN"));
      const message = attr(root, "ErrorText") ?? attr(first, "ErrorText") ?? attr(first, "Text") ?? status;
      throw new Rk7Error(`${status || "error"}: ${message}`, status || "error", Number.isFinite(code) && code > 0 ? code : undefined);
    }
    return { root, status, text };
  }

  /** One `<RK7CMD>` with attributes and inner XML. */
  command(cmd: string, attrs: Record<string, string | number | undefined> = {}, inner = ""): Promise<Rk7Answer> {
    const a = Object.entries(attrs)
      .filter(([, v]) => v !== undefined)
      .map(([k, v]) => ` ${k}="${escapeXml(String(v))}"`)
      .join("");
    const body = `<?xml version="1.0" encoding="UTF-8"?>\n<RK7Query><RK7CMD CMD="${cmd}"${a}${inner ? `>${inner}</RK7CMD>` : "/>"}</RK7Query>`;
    return this.query(body);
  }

  private async post(body: string): Promise<string> {
    const lib = this.endpoint.protocol === "https:" ? https : http;
    const payload = Buffer.from(body, "utf8");
    const pinned = this.pin && this.endpoint.protocol === "https:" ? await this.connectPinned(this.pin) : undefined;
    return new Promise((resolve, reject) => {
      const req = lib.request(
        this.endpoint,
        {
          method: "POST",
          ...(pinned ? { createConnection: () => pinned } : { agent: this.agent }),
          headers: { authorization: this.auth, "content-type": "application/xml; charset=utf-8", "content-length": payload.length, ...(pinned ? { connection: "close" } : {}) },
          timeout: this.opts.timeoutMs ?? 30_000,
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on("data", (c: Buffer) => chunks.push(c));
          res.on("error", (e) => reject(new Rk7Error(`reading the answer failed: ${e.message}`, "Network")));
          res.on("end", () => {
            const text = Buffer.concat(chunks).toString("utf8");
            if (res.statusCode === 401 || res.statusCode === 403) {
              reject(new Rk7Error(`HTTP ${res.statusCode}: the cash server refused the login of the XML user (check --rk7-user/--rk7-password and the HTTP access right)`, `HTTP ${res.statusCode}`));
            } else if (!res.statusCode || res.statusCode >= 300) {
              reject(new Rk7Error(`HTTP ${res.statusCode}: ${text.replace(/\s+/g, " ").slice(0, 300)}`, `HTTP ${res.statusCode}`));
            } else resolve(text);
          });
        },
      );
      req.on("timeout", () => req.destroy(new Error(`no answer within ${Math.round((this.opts.timeoutMs ?? 30_000) / 1000)} s`)));
      req.on("error", (e) => {
        const tls = (req.socket as TLSSocket | null)?.encrypted ? " (TLS)" : "";
        reject(new Rk7Error(`cannot reach the cash server at ${this.endpoint.host}${tls}: ${e.message}`, "Network"));
      });
      req.end(payload);
    });
  }

  close(): void {
    this.agent.destroy();
  }
}

export function escapeXml(s: string): string {
  return s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");
}

// ── typed commands ───────────────────────────────────────────────────────────

export interface SystemInfo {
  restCode?: string;
  processId?: string;
  version?: string;
  shiftNum?: number;
  /** Local r_keeper time strings (no offset). */
  shiftDate?: string;
  shiftStartTime?: string;
  restaurant?: string;
  cashGroup?: string;
}

export function readSystemInfo(a: Rk7Answer): SystemInfo {
  const si = child(a.root, "SystemInfo");
  const cs = child(si, "CommonShift");
  const num = Number(attr(cs, "ShiftNum"));
  return {
    restCode: attr(si, "RestCode"),
    processId: attr(si, "ProcessID"),
    version: attr(a.root, "ServerVersion"),
    shiftNum: Number.isInteger(num) && attr(cs, "ShiftNum") !== undefined ? num : undefined,
    shiftDate: attr(cs, "ShiftDate"),
    shiftStartTime: attr(cs, "ShiftStartTime"),
    restaurant: attr(child(si, "Restaurant"), "name"),
    cashGroup: attr(child(si, "CashGroup"), "name"),
  };
}

export interface OrderListEntry {
  guid: string;
  version?: number;
  crc32?: string;
  finished: boolean;
}

/** `GetOrderList` entries (Visit/Orders/Order) and the orders table version. */
export function readOrderList(a: Rk7Answer): { lastVersion?: number; orders: OrderListEntry[] } {
  const orders: OrderListEntry[] = [];
  for (const visit of children(a.root, "Visit")) {
    for (const o of children(child(visit, "Orders"), "Order")) {
      const g = attr(o, "guid");
      if (!g) continue;
      const v = Number(attr(o, "Version") ?? attr(o, "version"));
      orders.push({
        guid: g.startsWith("{") ? g.toUpperCase() : `{${g.toUpperCase()}}`,
        version: Number.isFinite(v) ? v : undefined,
        crc32: attr(o, "crc32"),
        finished: attr(o, "Finished") === "1",
      });
    }
  }
  const lv = Number(attr(a.root, "lastversion") ?? attr(a.root, "LastVersion"));
  return { lastVersion: Number.isFinite(lv) ? lv : undefined, orders };
}

/** Items of a `GetRefData` answer (`RK7Reference/Items/Item`), attributes as given. */
export function readRefItems(a: Rk7Answer): Array<Record<string, string>> {
  const ref = child(a.root, "RK7Reference") ?? a.root;
  const items = child(ref, "Items");
  return children(items ?? ref, "Item").map((i) => i.attrs);
}
