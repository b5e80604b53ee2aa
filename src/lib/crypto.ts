/** Secrets, tokens and hashes for the Worker. WebCrypto only. */
import { toHex } from "../protocol/signing";
import { base64url, utf8 } from "./encoding";

export function randomBytes(n: number): Uint8Array {
  return crypto.getRandomValues(new Uint8Array(n));
}

/** A random token, base64url (`bytes` of entropy). */
export function randomToken(bytes = 32): string {
  return base64url(randomBytes(bytes));
}

export async function sha256Hex(text: string): Promise<string> {
  return toHex(await crypto.subtle.digest("SHA-256", utf8.encode(text)));
}

async function hmac(key: string, message: string): Promise<Uint8Array> {
  const k = await crypto.subtle.importKey("raw", utf8.encode(key), { name: "HMAC", hash: "SHA-256" }, false, ["sign"]);
  return new Uint8Array(await crypto.subtle.sign("HMAC", k, utf8.encode(message)));
}

/**
 * Compares two secrets without leaking where they differ or how long they
 * are: both are hashed to fixed-length digests first, then compared in full.
 */
export async function secretsEqual(a: string, b: string): Promise<boolean> {
  const [da, db] = await Promise.all([
    crypto.subtle.digest("SHA-256", utf8.encode(a)),
    crypto.subtle.digest("SHA-256", utf8.encode(b)),
  ]);
  const x = new Uint8Array(da);
  const y = new Uint8Array(db);
  let diff = 0;
  for (let i = 0; i < x.length; i++) diff |= x[i]! ^ y[i]!;
  return diff === 0 && a.length === b.length;
}

/**
 * The agent key is derived, never stored: HMAC(AGENT_KEY_SECRET, agentId + salt).
 * The salt lives in the restaurant object; replacing it rotates the key.
 */
export async function deriveAgentKey(secret: string, agentId: string, salt: string): Promise<string> {
  return base64url(await hmac(secret, `tillwatch-agent-key/v1/${agentId}/${salt}`));
}
