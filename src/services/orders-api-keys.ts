/**
 * Per-account keys for the orders API and for payment providers. A key is
 * shown once, when created; D1 keeps only its SHA-256 (to find an orders key
 * from the bearer token) and its first characters (to recognise it in a list).
 *
 * A payments key signs webhooks (HMAC, like the agent protocol), so the
 * cloud must be able to recompute it: it is derived from AGENT_KEY_SECRET
 * and the key's id, never stored.
 */
import { and, eq, isNull } from "drizzle-orm";
import { database } from "../db/client";
import { accounts, apiKeys, auditLog } from "../db/schema";
import type { Env } from "../env";
import { ApiError, notFound, unauthorized } from "../lib/errors";
import { randomToken, sha256Hex } from "../lib/crypto";
import { base64url, utf8 } from "../lib/encoding";
import { newId } from "../lib/ids";
import type { CreateApiKey } from "../protocol/orders";

export interface IssuedApiKey {
  id: string;
  accountId: string;
  name: string;
  scope: "orders" | "payments";
  prefix: string;
  /** The key itself: shown only in this answer. */
  key: string;
}

export interface ApiPrincipal {
  keyId: string;
  accountId: string;
}

async function derivePaymentsKey(secret: string, keyId: string): Promise<string> {
  const k = await crypto.subtle.importKey("raw", utf8.encode(secret), { name: "HMAC", hash: "SHA-256" }, false, ["sign"]);
  const mac = await crypto.subtle.sign("HMAC", k, utf8.encode(`tillwatch-payments-key/v1/${keyId}`));
  return `twp_${base64url(mac)}`;
}

export async function createApiKey(env: Env, input: CreateApiKey, actor: string): Promise<IssuedApiKey> {
  const db = database(env.DB);
  const [account] = await db.select({ id: accounts.id }).from(accounts).where(eq(accounts.id, input.accountId));
  if (!account) throw notFound("account");
  const id = newId.apiKey();
  let key: string;
  if (input.scope === "payments") {
    if (!env.AGENT_KEY_SECRET) throw new ApiError(503, "not_configured", "AGENT_KEY_SECRET is not set on the Worker");
    key = await derivePaymentsKey(env.AGENT_KEY_SECRET, id);
  } else {
    key = `two_${randomToken(32)}`;
  }
  const prefix = key.slice(0, 10);
  await db.batch([
    db.insert(apiKeys).values({ id, accountId: input.accountId, name: input.name, scope: input.scope, keyHash: await sha256Hex(key), prefix }),
    db.insert(auditLog).values({
      actor,
      action: "api_key.create",
      targetType: "api_key",
      targetId: id,
      details: JSON.stringify({ accountId: input.accountId, name: input.name, scope: input.scope, prefix }),
    }),
  ]);
  return { id, accountId: input.accountId, name: input.name, scope: input.scope, prefix, key };
}

/**
 * Keys recently found, by hash, per isolate: a channel sends many requests in
 * a row and each would otherwise cost a D1 read. A revoked key stops working
 * within PRINCIPAL_TTL_MS.
 */
const PRINCIPAL_TTL_MS = 30_000;
const principals = new Map<string, { principal: ApiPrincipal; until: number }>();

/** The account behind an orders-API bearer token; 401 for anything else. */
export async function authenticateOrdersKey(env: Env, authorization: string | undefined): Promise<ApiPrincipal> {
  const m = /^Bearer\s+(\S+)$/i.exec((authorization ?? "").trim());
  if (!m) throw unauthorized("unauthorized", "send the API key as `Authorization: Bearer <key>`");
  // Found by its hash: the lookup never compares the secret itself.
  const hash = await sha256Hex(m[1]!);
  const now = Date.now();
  const cached = principals.get(hash);
  if (cached && cached.until > now) return cached.principal;
  const [row] = await database(env.DB)
    .select({ id: apiKeys.id, accountId: apiKeys.accountId })
    .from(apiKeys)
    .where(and(eq(apiKeys.keyHash, hash), eq(apiKeys.scope, "orders"), isNull(apiKeys.revokedAt)));
  if (!row) throw unauthorized("unauthorized", "unknown or revoked API key");
  const principal = { keyId: row.id, accountId: row.accountId };
  // Coarse (once per cache period per isolate): enough to see which keys are still in use.
  await database(env.DB).update(apiKeys).set({ lastUsedAt: now }).where(eq(apiKeys.id, row.id));
  if (principals.size > 1_000) principals.clear();
  principals.set(hash, { principal, until: now + PRINCIPAL_TTL_MS });
  return principal;
}

/** The signing key of a payments key id (for webhook verification); null when unknown or revoked. */
export async function paymentsSigningKey(env: Env, keyId: string): Promise<{ key: string; accountId: string } | null> {
  if (!env.AGENT_KEY_SECRET || !/^key_[0-9a-z]{16}$/.test(keyId)) return null;
  const [row] = await database(env.DB)
    .select({ accountId: apiKeys.accountId })
    .from(apiKeys)
    .where(and(eq(apiKeys.id, keyId), eq(apiKeys.scope, "payments"), isNull(apiKeys.revokedAt)));
  if (!row) return null;
  return { key: await derivePaymentsKey(env.AGENT_KEY_SECRET, keyId), accountId: row.accountId };
}

export interface ApiKeyView {
  id: string;
  accountId: string;
  name: string;
  scope: "orders" | "payments";
  prefix: string;
  createdAt: number;
  revokedAt: number | null;
  lastUsedAt: number | null;
}

/** An account's keys, never the keys themselves. */
export async function listApiKeys(env: Env, accountId: string): Promise<ApiKeyView[]> {
  return database(env.DB)
    .select({
      id: apiKeys.id,
      accountId: apiKeys.accountId,
      name: apiKeys.name,
      scope: apiKeys.scope,
      prefix: apiKeys.prefix,
      createdAt: apiKeys.createdAt,
      revokedAt: apiKeys.revokedAt,
      lastUsedAt: apiKeys.lastUsedAt,
    })
    .from(apiKeys)
    .where(eq(apiKeys.accountId, accountId));
}

/** Revokes a key (for good); isolates that found it recently stop accepting it within PRINCIPAL_TTL_MS. */
export async function revokeApiKey(env: Env, keyId: string, actor: string): Promise<void> {
  const db = database(env.DB);
  const [row] = await db.select({ id: apiKeys.id, revokedAt: apiKeys.revokedAt }).from(apiKeys).where(eq(apiKeys.id, keyId));
  if (!row) throw notFound("API key");
  if (row.revokedAt !== null) return;
  await db.batch([
    db.update(apiKeys).set({ revokedAt: Date.now() }).where(eq(apiKeys.id, keyId)),
    db.insert(auditLog).values({ actor, action: "api_key.revoke", targetType: "api_key", targetId: keyId, details: "{}" }),
  ]);
  for (const [hash, c] of principals) if (c.principal.keyId === keyId) principals.delete(hash);
}
