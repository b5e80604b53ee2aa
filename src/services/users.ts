/**
 * Users of the admin page and what each may see. `admin` sees everything;
 * an `owner` sees their account's restaurants; an `operator` sees the orders
 * of the restaurants assigned to them. Every page and action asks `scopeOf`
 * first, and anything outside the scope answers as if it did not exist.
 */
import { and, eq, inArray } from "drizzle-orm";
import { database } from "../db/client";
import { accounts, auditLog, restaurants, userRestaurants, users } from "../db/schema";
import type { Env } from "../env";
import { ApiError, badRequest, notFound } from "../lib/errors";
import { newId } from "../lib/ids";
import { hashPassword, type SessionUser } from "./auth";

export type Role = "admin" | "owner" | "operator";
export type UserRow = typeof users.$inferSelect;

export const MIN_PASSWORD_LENGTH = 10;

export async function findUserByEmail(env: Env, email: string): Promise<UserRow | null> {
  const [row] = await database(env.DB).select().from(users).where(eq(users.email, email.trim().toLowerCase()));
  return row ?? null;
}

export interface NewUser {
  email: string;
  password: string;
  role: Role;
  accountId?: string | null;
  restaurantIds?: string[];
}

export async function createUser(env: Env, input: NewUser, actor: string): Promise<{ id: string }> {
  const email = input.email.trim().toLowerCase();
  if (!/^[^\s@]+@[^\s@]+$/.test(email) || email.length > 200) throw badRequest("enter a valid email address");
  if (input.password.length < MIN_PASSWORD_LENGTH) throw badRequest(`the password needs at least ${MIN_PASSWORD_LENGTH} characters`);
  const accountId = input.role === "admin" ? null : (input.accountId ?? null);
  if (input.role !== "admin" && !accountId) throw badRequest("owners and operators belong to an account");
  const db = database(env.DB);
  if (accountId) {
    const [a] = await db.select({ id: accounts.id }).from(accounts).where(eq(accounts.id, accountId));
    if (!a) throw notFound("account");
  }
  const restaurantIds = input.role === "operator" ? [...new Set(input.restaurantIds ?? [])] : [];
  if (restaurantIds.length) {
    const own = await db
      .select({ id: restaurants.id })
      .from(restaurants)
      .where(and(inArray(restaurants.id, restaurantIds), eq(restaurants.accountId, accountId!)));
    if (own.length !== restaurantIds.length) throw badRequest("an operator can only be assigned restaurants of their account");
  }
  if (await findUserByEmail(env, email)) throw new ApiError(409, "exists", "a user with this email already exists");
  const id = newId.user();
  const pw = await hashPassword(input.password);
  await db.batch([
    db.insert(users).values({ id, email, passwordHash: pw.hash, passwordSalt: pw.salt, passwordIterations: pw.iterations, role: input.role, accountId }),
    ...restaurantIds.map((restaurantId) => db.insert(userRestaurants).values({ userId: id, restaurantId })),
    db.insert(auditLog).values({ actor, action: "user.create", targetType: "user", targetId: id, details: JSON.stringify({ email, role: input.role, accountId, restaurantIds }) }),
  ]);
  return { id };
}

/**
 * The first admin comes from the ADMIN_EMAIL / ADMIN_PASSWORD secrets: made
 * once, when no user has that email yet. Changing the secret later does not
 * change an existing user's password.
 */
export async function ensureFirstAdmin(env: Env): Promise<void> {
  const email = env.ADMIN_EMAIL?.trim().toLowerCase();
  const password = env.ADMIN_PASSWORD;
  if (!email || !password) return;
  if (await findUserByEmail(env, email)) return;
  const pw = await hashPassword(password);
  const id = newId.user();
  const db = database(env.DB);
  // INSERT OR IGNORE: two first logins at once make one admin.
  await db.batch([
    db.insert(users).values({ id, email, passwordHash: pw.hash, passwordSalt: pw.salt, passwordIterations: pw.iterations, role: "admin" }).onConflictDoNothing(),
    db.insert(auditLog).values({ actor: "secret:ADMIN_EMAIL", action: "user.create", targetType: "user", targetId: id, details: JSON.stringify({ email, role: "admin" }) }),
  ]);
}

// ---------------------------------------------------------------- scope

export interface Scope {
  user: SessionUser;
  /** Restaurants visible to the user (all of them for admins), with what pages need. */
  restaurants: Array<{ id: string; accountId: string; name: string; timezone: string; city: string | null; cityColor: string | null }>;
  ids: Set<string>;
  /** May set things up (restaurants, agents, chats): admins, and owners within their account. */
  canManage: boolean;
}

export async function scopeOf(env: Env, user: SessionUser): Promise<Scope> {
  const db = database(env.DB);
  const cols = {
    id: restaurants.id,
    accountId: restaurants.accountId,
    name: restaurants.name,
    timezone: restaurants.timezone,
    city: restaurants.city,
    cityColor: restaurants.cityColor,
  };
  let rows;
  if (user.role === "admin") rows = await db.select(cols).from(restaurants).orderBy(restaurants.name);
  else if (user.role === "owner") rows = await db.select(cols).from(restaurants).where(eq(restaurants.accountId, user.accountId ?? "")).orderBy(restaurants.name);
  else
    rows = await db
      .select(cols)
      .from(userRestaurants)
      .innerJoin(restaurants, eq(restaurants.id, userRestaurants.restaurantId))
      .where(and(eq(userRestaurants.userId, user.id), eq(restaurants.accountId, user.accountId ?? "")))
      .orderBy(restaurants.name);
  return { user, restaurants: rows, ids: new Set(rows.map((r) => r.id)), canManage: user.role !== "operator" };
}

/** Accounts the user may act for: every account for admins, their own for owners, none for operators. */
export async function accountsOf(env: Env, user: SessionUser): Promise<Array<{ id: string; name: string }>> {
  const db = database(env.DB);
  if (user.role === "admin") return db.select({ id: accounts.id, name: accounts.name }).from(accounts).orderBy(accounts.name);
  if (user.role === "owner" && user.accountId) return db.select({ id: accounts.id, name: accounts.name }).from(accounts).where(eq(accounts.id, user.accountId));
  return [];
}

export async function listUsers(env: Env, user: SessionUser) {
  const db = database(env.DB);
  const cols = { id: users.id, email: users.email, role: users.role, accountId: users.accountId, disabledAt: users.disabledAt };
  if (user.role === "admin") return db.select(cols).from(users).orderBy(users.email);
  if (user.role === "owner" && user.accountId) return db.select(cols).from(users).where(eq(users.accountId, user.accountId)).orderBy(users.email);
  return [];
}
