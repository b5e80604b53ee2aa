/**
 * Request signing between an agent and the cloud.
 *
 *   X-Agent-Id:        <agentId>
 *   X-Agent-Timestamp: <unix seconds>
 *   X-Agent-Signature: v1=<hex HMAC-SHA256(key = agentKey as UTF-8, "<timestamp>.<raw body>")>
 *
 * The body is signed as raw bytes (never re-serialised JSON). GET requests and
 * the WebSocket upgrade sign an empty body. WebCrypto only, so the same code
 * runs in the Worker and in the Node agent.
 */
export const AGENT_ID_HEADER = "X-Agent-Id";
export const TIMESTAMP_HEADER = "X-Agent-Timestamp";
export const SIGNATURE_HEADER = "X-Agent-Signature";
/** Seconds a timestamp may differ from the cloud's clock. */
export const TIMESTAMP_TOLERANCE_SECONDS = 300;

const encoder = new TextEncoder();

export function signedMessage(timestamp: string, body: Uint8Array | string): Uint8Array {
  const head = encoder.encode(`${timestamp}.`);
  const tail = typeof body === "string" ? encoder.encode(body) : body;
  const out = new Uint8Array(head.length + tail.length);
  out.set(head, 0);
  out.set(tail, head.length);
  return out;
}

export async function importAgentKey(agentKey: string): Promise<CryptoKey> {
  return crypto.subtle.importKey("raw", encoder.encode(agentKey), { name: "HMAC", hash: "SHA-256" }, false, [
    "sign",
    "verify",
  ]);
}

export function toHex(bytes: ArrayBuffer | Uint8Array): string {
  const u = bytes instanceof Uint8Array ? bytes : new Uint8Array(bytes);
  let s = "";
  for (const b of u) s += b.toString(16).padStart(2, "0");
  return s;
}

export function fromHex(hex: string): Uint8Array | null {
  if (hex.length % 2 !== 0 || !/^[0-9a-f]*$/.test(hex)) return null;
  const out = new Uint8Array(hex.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = parseInt(hex.slice(i * 2, i * 2 + 2), 16);
  return out;
}

/** The headers an agent puts on a request. */
export async function signRequest(
  agentId: string,
  key: CryptoKey,
  body: Uint8Array | string,
  nowSeconds = Math.floor(Date.now() / 1000),
): Promise<Record<string, string>> {
  const timestamp = String(nowSeconds);
  const mac = await crypto.subtle.sign("HMAC", key, signedMessage(timestamp, body));
  return {
    [AGENT_ID_HEADER]: agentId,
    [TIMESTAMP_HEADER]: timestamp,
    [SIGNATURE_HEADER]: `v1=${toHex(mac)}`,
  };
}

/** Parses `v1=<64 hex>`; null when malformed. */
export function parseSignature(header: string | null | undefined): Uint8Array | null {
  if (!header) return null;
  for (const part of header.split(/[ ,]+/)) {
    if (part.startsWith("v1=")) {
      const hex = part.slice(3);
      if (hex.length === 64) return fromHex(hex);
    }
  }
  return null;
}

/** Constant-time by construction: WebCrypto compares the MAC. */
export async function verifySignature(
  key: CryptoKey,
  timestamp: string,
  body: Uint8Array | string,
  signature: Uint8Array,
): Promise<boolean> {
  return crypto.subtle.verify("HMAC", key, signature, signedMessage(timestamp, body));
}

export type TimestampCheck = { ok: true; seconds: number } | { ok: false; reason: "malformed" | "stale" | "future"; skewSeconds?: number };

export function checkTimestamp(value: string | null | undefined, nowSeconds: number): TimestampCheck {
  if (!value || !/^\d{1,12}$/.test(value)) return { ok: false, reason: "malformed" };
  const seconds = Number(value);
  const skew = seconds - nowSeconds;
  if (skew > TIMESTAMP_TOLERANCE_SECONDS) return { ok: false, reason: "future", skewSeconds: skew };
  if (skew < -TIMESTAMP_TOLERANCE_SECONDS) return { ok: false, reason: "stale", skewSeconds: skew };
  return { ok: true, seconds };
}
