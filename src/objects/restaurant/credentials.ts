/**
 * Agent credentials. The key is derived from AGENT_KEY_SECRET and a random
 * salt kept here; nothing that could sign a request is stored anywhere.
 * Rotating replaces the salt (the old key fails on the next request);
 * revoking removes it.
 */
import { deriveAgentKey, randomToken } from "../../lib/crypto";
import { fromHex, importAgentKey, verifySignature } from "../../protocol/signing";

export type VerifyResult = { ok: true } | { ok: false; code: "unknown_agent" | "bad_signature"; message: string };

export class Credentials {
  /** Derived keys, per agent and salt: deriving costs an HMAC and an import. */
  private readonly cache = new Map<string, { salt: string; key: CryptoKey }>();

  constructor(
    private readonly sql: SqlStorage,
    private readonly secret: string | undefined,
  ) {}

  /** Creates or replaces an agent's credential and returns the new key (shown once). */
  async issue(agentId: string): Promise<string> {
    const secret = this.requireSecret();
    const salt = randomToken(16);
    this.sql.exec(
      `INSERT INTO agents (agent_id, salt, revoked_at) VALUES (?, ?, NULL)
       ON CONFLICT(agent_id) DO UPDATE SET salt = excluded.salt, revoked_at = NULL`,
      agentId,
      salt,
    );
    this.cache.delete(agentId);
    return deriveAgentKey(secret, agentId, salt);
  }

  revoke(agentId: string, now: number): boolean {
    const cur = this.sql.exec("UPDATE agents SET salt = NULL, revoked_at = ? WHERE agent_id = ? AND salt IS NOT NULL", now, agentId);
    this.cache.delete(agentId);
    return cur.rowsWritten > 0;
  }

  exists(agentId: string): boolean {
    return this.saltOf(agentId) !== null;
  }

  async verify(agentId: string, timestamp: string, signatureHex: string, body: Uint8Array): Promise<VerifyResult> {
    const salt = this.saltOf(agentId);
    if (salt === null) return { ok: false, code: "unknown_agent", message: "unknown or revoked agent" };
    const signature = fromHex(signatureHex);
    if (!signature || signature.length !== 32) return { ok: false, code: "bad_signature", message: "malformed signature" };
    let cached = this.cache.get(agentId);
    if (!cached || cached.salt !== salt) {
      const key = await importAgentKey(await deriveAgentKey(this.requireSecret(), agentId, salt));
      cached = { salt, key };
      this.cache.set(agentId, cached);
    }
    const ok = await verifySignature(cached.key, timestamp, body, signature);
    return ok ? { ok: true } : { ok: false, code: "bad_signature", message: "signature does not match the body and timestamp" };
  }

  private saltOf(agentId: string): string | null {
    const rows = this.sql.exec<{ salt: string | null }>("SELECT salt FROM agents WHERE agent_id = ?", agentId).toArray();
    return rows[0]?.salt ?? null;
  }

  private requireSecret(): string {
    if (!this.secret) throw new Error("AGENT_KEY_SECRET is not set");
    return this.secret;
  }
}
