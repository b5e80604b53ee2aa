/**
 * Setting Tillwatch up: accounts, restaurants, agents (licenses) and link
 * codes. The admin JSON API and the admin page both call these, so the rules
 * live in one place. Every change is written together with its audit row.
 */
import { and, desc, eq, isNull } from "drizzle-orm";
import type { z } from "zod";
import { database, type Db } from "../db/client";
import { accounts, agents, auditLog, linkCodes, restaurants } from "../db/schema";
import { isValidTimeZone } from "../domain/format/time";
import { expiresAt, extend, licenseState } from "../domain/licensing";
import { config, type Env } from "../env";
import { ApiError, badRequest, notFound } from "../lib/errors";
import { sha256Hex } from "../lib/crypto";
import { newId, newLinkCode } from "../lib/ids";
import type { RestaurantStatus } from "../objects/restaurant-object";
import type { CreateLinkCode, CreateRestaurant, ExtendLicense, UpdateRestaurant } from "../protocol/admin";

export type Actor = string;

const audit = (db: Db, actor: Actor, action: string, targetType: string, targetId: string, details: unknown = {}) =>
  db.insert(auditLog).values({ actor, action, targetType, targetId, details: JSON.stringify(details) });

export async function createAccount(env: Env, input: { name: string }, actor: Actor): Promise<{ id: string }> {
  const db = database(env.DB);
  const id = newId.account();
  await db.batch([db.insert(accounts).values({ id, name: input.name }), audit(db, actor, "account.create", "account", id, input)]);
  return { id };
}

export async function createRestaurant(env: Env, input: z.output<typeof CreateRestaurant>, actor: Actor): Promise<{ id: string }> {
  if (!isValidTimeZone(input.timezone)) throw badRequest(`unknown time zone "${input.timezone}" (use an IANA name like Europe/Moscow)`);
  const db = database(env.DB);
  const [account] = await db.select({ id: accounts.id }).from(accounts).where(eq(accounts.id, input.accountId));
  if (!account) throw notFound("account");
  const id = newId.restaurant();
  await db.batch([
    db.insert(restaurants).values({
      id,
      accountId: input.accountId,
      name: input.name,
      timezone: input.timezone,
      currency: input.currency,
      city: input.city ?? null,
      cityColor: input.cityColor ?? null,
    }),
    audit(db, actor, "restaurant.create", "restaurant", id, input),
  ]);
  return { id };
}

export async function updateRestaurant(env: Env, id: string, input: z.output<typeof UpdateRestaurant>, actor: Actor): Promise<void> {
  if (input.timezone !== undefined && !isValidTimeZone(input.timezone)) throw badRequest(`unknown time zone "${input.timezone}"`);
  const db = database(env.DB);
  const [row] = await db.select({ id: restaurants.id }).from(restaurants).where(eq(restaurants.id, id));
  if (!row) throw notFound("restaurant");
  const set = Object.fromEntries(Object.entries(input).filter(([, v]) => v !== undefined));
  if (Object.keys(set).length === 0) return;
  await db.batch([db.update(restaurants).set(set).where(eq(restaurants.id, id)), audit(db, actor, "restaurant.update", "restaurant", id, set)]);
}

/**
 * A new agent (= cash server = license, with a trial from now). The key is
 * issued by the restaurant's object first: if the D1 write then fails, the
 * credential is revoked again so no orphan can sign requests.
 */
export async function createAgent(
  env: Env,
  restaurantId: string,
  input: { name: string },
  actor: Actor,
  now = Date.now(),
): Promise<{ agentId: string; agentKey: string }> {
  const db = database(env.DB);
  const [rest] = await db.select({ id: restaurants.id }).from(restaurants).where(eq(restaurants.id, restaurantId));
  if (!rest) throw notFound("restaurant");
  requireAgentSecret(env);
  const agentId = newId.agent();
  const stub = env.RESTAURANT.getByName(restaurantId);
  const agentKey = await stub.issueAgentKey(agentId);
  try {
    await db.batch([
      db.insert(agents).values({ id: agentId, restaurantId, name: input.name, trialStartedAt: now, licensePlan: "trial" }),
      audit(db, actor, "agent.create", "agent", agentId, { restaurantId, name: input.name }),
    ]);
  } catch (err) {
    await stub.revokeAgent(agentId);
    throw err;
  }
  return { agentId, agentKey };
}

async function agentRow(db: Db, agentId: string) {
  const [row] = await db.select().from(agents).where(eq(agents.id, agentId));
  if (!row) throw notFound("agent");
  return row;
}

/** A new key; the old one stops working at once (the object replaces the salt). */
export async function rotateAgentKey(env: Env, agentId: string, actor: Actor, now = Date.now()): Promise<{ agentId: string; agentKey: string }> {
  const db = database(env.DB);
  const row = await agentRow(db, agentId);
  if (row.revokedAt) throw new ApiError(409, "revoked", "the agent is revoked; create a new one");
  requireAgentSecret(env);
  const agentKey = await env.RESTAURANT.getByName(row.restaurantId).issueAgentKey(agentId);
  await db.batch([
    db.update(agents).set({ keyRotatedAt: now }).where(eq(agents.id, agentId)),
    audit(db, actor, "agent.rotate_key", "agent", agentId),
  ]);
  return { agentId, agentKey };
}

export async function revokeAgent(env: Env, agentId: string, actor: Actor, now = Date.now()): Promise<void> {
  const db = database(env.DB);
  const row = await agentRow(db, agentId);
  await env.RESTAURANT.getByName(row.restaurantId).revokeAgent(agentId);
  if (!row.revokedAt) {
    await db.batch([db.update(agents).set({ revokedAt: now }).where(eq(agents.id, agentId)), audit(db, actor, "agent.revoke", "agent", agentId)]);
  }
}

export async function extendLicense(
  env: Env,
  agentId: string,
  input: z.output<typeof ExtendLicense>,
  actor: Actor,
  now = Date.now(),
): Promise<LicenseView> {
  const db = database(env.DB);
  const row = await agentRow(db, agentId);
  const { trialDays } = config(env);
  const license = { plan: row.licensePlan, trialStartedAt: row.trialStartedAt, paidUntil: row.paidUntil };
  let plan: "monthly" | "yearly";
  let paidUntil: number;
  if ("paidUntil" in input) {
    paidUntil = Date.parse(input.paidUntil);
    plan = input.plan ?? (row.licensePlan === "yearly" ? "yearly" : "monthly");
  } else {
    plan = input.plan;
    paidUntil = extend(license, (plan === "yearly" ? 12 : 1) * input.periods, now, trialDays);
  }
  await db.batch([
    db.update(agents).set({ licensePlan: plan, paidUntil }).where(eq(agents.id, agentId)),
    audit(db, actor, "license.extend", "agent", agentId, { plan, paidUntil: new Date(paidUntil).toISOString() }),
  ]);
  return licenseView({ ...row, licensePlan: plan, paidUntil }, now, trialDays);
}

export interface LicenseView {
  plan: "trial" | "monthly" | "yearly";
  state: "trial" | "active" | "expired";
  trialStartedAt: string;
  paidUntil: string | null;
  expiresAt: string;
}

export function licenseView(
  row: { licensePlan: "trial" | "monthly" | "yearly"; trialStartedAt: number; paidUntil: number | null },
  now: number,
  trialDays: number,
): LicenseView {
  const l = { plan: row.licensePlan, trialStartedAt: row.trialStartedAt, paidUntil: row.paidUntil };
  return {
    plan: row.licensePlan,
    state: licenseState(l, now, trialDays),
    trialStartedAt: new Date(row.trialStartedAt).toISOString(),
    paidUntil: row.paidUntil ? new Date(row.paidUntil).toISOString() : null,
    expiresAt: new Date(expiresAt(l, trialDays)).toISOString(),
  };
}

/** A single-use code for `/link` in Telegram; only its hash is stored. */
export async function createLinkCode(
  env: Env,
  input: z.output<typeof CreateLinkCode>,
  actor: Actor,
  now = Date.now(),
): Promise<{ code: string; expiresAt: string; scope: "restaurant" | "account"; targetId: string }> {
  const db = database(env.DB);
  const scope = "restaurantId" in input ? "restaurant" : "account";
  const targetId = "restaurantId" in input ? input.restaurantId : input.accountId;
  if (scope === "restaurant") {
    const [r] = await db.select({ id: restaurants.id }).from(restaurants).where(eq(restaurants.id, targetId));
    if (!r) throw notFound("restaurant");
  } else {
    const [a] = await db.select({ id: accounts.id }).from(accounts).where(eq(accounts.id, targetId));
    if (!a) throw notFound("account");
  }
  const ttl = (input.ttlMinutes ?? config(env).linkCodeTtlMinutes) * 60_000;
  const code = newLinkCode();
  const expires = now + ttl;
  await db.batch([
    db.insert(linkCodes).values({
      codeHash: await sha256Hex(code),
      restaurantId: scope === "restaurant" ? targetId : null,
      accountId: scope === "account" ? targetId : null,
      expiresAt: expires,
    }),
    audit(db, actor, "link_code.create", scope, targetId, { expiresAt: new Date(expires).toISOString() }),
  ]);
  return { code, expiresAt: new Date(expires).toISOString(), scope, targetId };
}

export interface RestaurantView {
  id: string;
  accountId: string;
  name: string;
  timezone: string;
  currency: string;
  city: string | null;
  connection: { state: "never" | "online" | "lost"; since: string | null };
  pos: { online: boolean | null; since: string | null };
  lastEventAt: string | null;
  agents: Array<{
    id: string;
    name: string;
    revoked: boolean;
    license: LicenseView;
    connection: { state: "never" | "online" | "lost"; since: string | null; lastSeenAt: string | null };
    agentVersion: string | null;
    pos: { kind: string | null; online: boolean | null };
    linked: boolean;
    ackSeq: number;
  }>;
}

const isoOrNull = (ms: number | null | undefined) => (ms ? new Date(ms).toISOString() : null);

/** A restaurant with its live state straight from its object (the D1 copy may lag by seconds). */
export async function restaurantView(env: Env, id: string, now = Date.now()): Promise<RestaurantView> {
  const db = database(env.DB);
  const [row] = await db.select().from(restaurants).where(eq(restaurants.id, id));
  if (!row) throw notFound("restaurant");
  const agentRows = await db.select().from(agents).where(eq(agents.restaurantId, id)).orderBy(agents.createdAt);
  const status: RestaurantStatus = await env.RESTAURANT.getByName(id).status();
  const byId = new Map(status.agents.map((a) => [a.agentId, a]));
  const { trialDays } = config(env);
  return {
    id: row.id,
    accountId: row.accountId,
    name: row.name,
    timezone: row.timezone,
    currency: row.currency,
    city: row.city,
    connection: { state: status.connection.state, since: isoOrNull(status.connection.since) },
    pos: { online: status.pos.online, since: isoOrNull(status.pos.since) },
    lastEventAt: isoOrNull(status.lastEventAt),
    agents: agentRows.map((a) => {
      const live = byId.get(a.id);
      return {
        id: a.id,
        name: a.name,
        revoked: a.revokedAt !== null,
        license: licenseView(a, now, trialDays),
        connection: {
          state: live?.connection.status ?? "never",
          since: isoOrNull(live?.connection.since),
          lastSeenAt: isoOrNull(live?.connection.lastSeenAt),
        },
        agentVersion: live?.heartbeat?.agentVersion ?? a.agentVersion,
        pos: { kind: live?.heartbeat?.pos.kind ?? a.posKind, online: live?.pos.online ?? null },
        linked: live?.linked ?? false,
        ackSeq: live?.ackSeq ?? 0,
      };
    }),
  };
}

/** Restaurants as D1 knows them (live state as last projected), optionally of one account. */
export async function listRestaurants(env: Env, accountId?: string) {
  const db = database(env.DB);
  const q = db.select().from(restaurants);
  const rows = await (accountId ? q.where(eq(restaurants.accountId, accountId)) : q).orderBy(restaurants.name);
  return rows.map((r) => ({
    id: r.id,
    accountId: r.accountId,
    name: r.name,
    timezone: r.timezone,
    currency: r.currency,
    city: r.city,
    connection: { state: r.connectionState, since: isoOrNull(r.connectionSince) },
    pos: { online: r.posOnline, since: isoOrNull(r.posSince) },
    lastSeenAt: isoOrNull(r.lastSeenAt),
    lastEventAt: isoOrNull(r.lastEventAt),
  }));
}

export async function getAccount(env: Env, id: string) {
  const db = database(env.DB);
  const [row] = await db.select().from(accounts).where(eq(accounts.id, id));
  if (!row) throw notFound("account");
  return { id: row.id, name: row.name, createdAt: new Date(row.createdAt).toISOString(), restaurants: await listRestaurants(env, id) };
}

export async function listAgents(env: Env, restaurantId: string, now = Date.now()) {
  const db = database(env.DB);
  const rows = await db
    .select()
    .from(agents)
    .where(and(eq(agents.restaurantId, restaurantId), isNull(agents.revokedAt)))
    .orderBy(desc(agents.createdAt));
  const { trialDays } = config(env);
  return rows.map((a) => ({ id: a.id, name: a.name, license: licenseView(a, now, trialDays), lastSeenAt: isoOrNull(a.lastSeenAt) }));
}

function requireAgentSecret(env: Env): void {
  if (!env.AGENT_KEY_SECRET) throw new ApiError(503, "not_configured", "AGENT_KEY_SECRET is not set on the Worker");
}
