/**
 * Logging in to the admin page: password hashes (PBKDF2-SHA256 through
 * WebCrypto, per-user salt), sessions (only a hash of the cookie token is
 * stored), the CSRF token bound to each session, and login throttling.
 */
import { eq, sql } from "drizzle-orm";
import { database } from "../db/client";
import { auditLog, sessions, users } from "../db/schema";
import type { Env } from "../env";
import { base64url, fromBase64url, utf8 } from "../lib/encoding";
import { randomBytes, randomToken, secretsEqual, sha256Hex } from "../lib/crypto";

/** Workers' WebCrypto refuses PBKDF2 above 100,000 iterations; this is also the floor we accept. */
export const PBKDF2_ITERATIONS = 100_000;
/** A session lives at most this long, and ends earlier after this much idleness. */
export const SESSION_TTL_MS = 12 * 60 * 60_000;
export const SESSION_IDLE_MS = 2 * 60 * 60_000;
/** Throttling: this many failures in the window lock the email (or the address) for LOCK_MS. */
export const THROTTLE = { windowMs: 15 * 60_000, lockMs: 15 * 60_000, perEmail: 5, perAddress: 30 };

export interface PasswordHash {
  hash: string;
  salt: string;
  iterations: number;
}

async function pbkdf2(password: string, salt: Uint8Array, iterations: number): Promise<Uint8Array> {
  const key = await crypto.subtle.importKey("raw", utf8.encode(password), "PBKDF2", false, ["deriveBits"]);
  const bits = await crypto.subtle.deriveBits({ name: "PBKDF2", hash: "SHA-256", salt, iterations }, key, 256);
  return new Uint8Array(bits);
}

export async function hashPassword(password: string): Promise<PasswordHash> {
  const salt = randomBytes(16);
  return { hash: base64url(await pbkdf2(password, salt, PBKDF2_ITERATIONS)), salt: base64url(salt), iterations: PBKDF2_ITERATIONS };
}

export async function verifyPassword(password: string, stored: PasswordHash): Promise<boolean> {
  const got = base64url(await pbkdf2(password, fromBase64url(stored.salt), stored.iterations));
  return secretsEqual(got, stored.hash);
}

/** A hash of a password no one has, so an unknown email costs as much time as a wrong password. */
let decoy: Promise<PasswordHash> | null = null;
export const decoyHash = () => (decoy ??= hashPassword(randomToken()));

// ---------------------------------------------------------------- sessions

export interface SessionUser {
  sessionId: string;
  csrfToken: string;
  id: string;
  email: string;
  role: "admin" | "owner" | "operator";
  accountId: string | null;
}

export async function createSession(env: Env, userId: string, now = Date.now()): Promise<{ token: string; csrfToken: string; expiresAt: number }> {
  const token = randomToken(32);
  const csrfToken = randomToken(24);
  const expiresAt = now + SESSION_TTL_MS;
  const db = database(env.DB);
  await db.batch([
    db.insert(sessions).values({ id: await sha256Hex(token), userId, csrfToken, createdAt: now, expiresAt, lastSeenAt: now }),
    db.insert(auditLog).values({ actor: `user:${userId}`, action: "session.login", targetType: "user", targetId: userId }),
  ]);
  return { token, csrfToken, expiresAt };
}

/** The user behind a session cookie, or null when it is unknown, expired, idle too long, or the user is disabled. */
export async function sessionUser(env: Env, token: string | undefined, now = Date.now()): Promise<SessionUser | null> {
  if (!token || token.length > 128) return null;
  const db = database(env.DB);
  const id = await sha256Hex(token);
  const [row] = await db
    .select({
      sessionId: sessions.id,
      csrfToken: sessions.csrfToken,
      expiresAt: sessions.expiresAt,
      lastSeenAt: sessions.lastSeenAt,
      id: users.id,
      email: users.email,
      role: users.role,
      accountId: users.accountId,
      disabledAt: users.disabledAt,
    })
    .from(sessions)
    .innerJoin(users, eq(users.id, sessions.userId))
    .where(eq(sessions.id, id));
  if (!row) return null;
  if (row.expiresAt <= now || row.lastSeenAt + SESSION_IDLE_MS <= now || row.disabledAt !== null) {
    await db.delete(sessions).where(eq(sessions.id, id));
    return null;
  }
  // Touch at most once a minute: the idle clock does not need more precision than that.
  if (now - row.lastSeenAt > 60_000) await db.update(sessions).set({ lastSeenAt: now }).where(eq(sessions.id, id));
  return { sessionId: row.sessionId, csrfToken: row.csrfToken, id: row.id, email: row.email, role: row.role, accountId: row.accountId };
}

export async function endSession(env: Env, sessionId: string): Promise<void> {
  await database(env.DB).delete(sessions).where(eq(sessions.id, sessionId));
}

export const csrfMatches = (expected: string, got: string | undefined | null): Promise<boolean> =>
  got ? secretsEqual(expected, got) : Promise.resolve(false);

// ---------------------------------------------------------------- throttling

const emailKey = (email: string) => `email:${email.trim().toLowerCase()}`;
const addressKey = (address: string) => `ip:${address}`;

/** When the email or the address is locked: the moment it opens again, else null. */
export async function loginLockedUntil(env: Env, email: string, address: string, now = Date.now()): Promise<number | null> {
  const rows = await env.DB.prepare("SELECT locked_until FROM login_attempts WHERE key IN (?1, ?2) AND locked_until > ?3")
    .bind(emailKey(email), addressKey(address), now)
    .all<{ locked_until: number }>();
  const until = rows.results.map((r) => r.locked_until);
  return until.length ? Math.max(...until) : null;
}

/** Counts one failure against the email and the address; locks whichever passed its limit. One batch. */
export async function recordLoginFailure(env: Env, email: string, address: string, now = Date.now()): Promise<void> {
  const upsert = (key: string, limit: number) =>
    env.DB.prepare(
      `INSERT INTO login_attempts (key, window_start, failures, locked_until) VALUES (?1, ?2, 1, NULL)
       ON CONFLICT(key) DO UPDATE SET
         failures = CASE WHEN window_start <= ?2 - ?3 THEN 1 ELSE failures + 1 END,
         window_start = CASE WHEN window_start <= ?2 - ?3 THEN ?2 ELSE window_start END,
         locked_until = CASE WHEN (CASE WHEN window_start <= ?2 - ?3 THEN 1 ELSE failures + 1 END) >= ?4 THEN ?2 + ?5 ELSE locked_until END`,
    ).bind(key, now, THROTTLE.windowMs, limit, THROTTLE.lockMs);
  await env.DB.batch([upsert(emailKey(email), THROTTLE.perEmail), upsert(addressKey(address), THROTTLE.perAddress)]);
}

/** A successful login forgets the email's failures (the address keeps its count: it may be guessing many emails). */
export async function clearLoginFailures(env: Env, email: string): Promise<void> {
  await database(env.DB).run(sql`DELETE FROM login_attempts WHERE key = ${emailKey(email)}`);
}

/** Retention (hourly cron): ended sessions and throttling rows whose window and lock are over. */
export async function purgeAuthLeftovers(env: Env, now = Date.now()): Promise<void> {
  await env.DB.batch([
    env.DB.prepare("DELETE FROM sessions WHERE expires_at <= ?1 OR last_seen_at <= ?2").bind(now, now - SESSION_IDLE_MS),
    env.DB.prepare("DELETE FROM login_attempts WHERE window_start <= ?1 AND (locked_until IS NULL OR locked_until <= ?2)").bind(now - THROTTLE.windowMs, now),
  ]);
}
