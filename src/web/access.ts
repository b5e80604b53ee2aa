/**
 * Scope checks for ids that arrive in URLs and forms: anything outside the
 * user's scope is "not found", exactly like an id that does not exist.
 */
import { eq } from "drizzle-orm";
import { database } from "../db/client";
import { agents } from "../db/schema";
import type { Env } from "../env";
import { notFound } from "../lib/errors";
import type { Scope } from "../services/users";

export function restaurantIn(scope: Scope, id: string | undefined) {
  const r = scope.restaurants.find((x) => x.id === id);
  if (!r) throw notFound("restaurant");
  return r;
}

export async function agentIn(env: Env, scope: Scope, agentId: string) {
  const [row] = await database(env.DB).select().from(agents).where(eq(agents.id, agentId));
  if (!row || !scope.ids.has(row.restaurantId)) throw notFound("agent");
  return row;
}

/** Accounts are acted for by admins (any) and owners (their own). */
export function accountIn(scope: Scope, accountId: string | undefined): string {
  if (scope.user.role === "admin" && accountId) return accountId;
  if (scope.user.role === "owner" && scope.user.accountId && (!accountId || accountId === scope.user.accountId)) return scope.user.accountId;
  throw notFound("account");
}

export const actorOf = (scope: Scope) => `user:${scope.user.id}:${scope.user.email}`;
