/**
 * Orders for the Worker's surfaces (orders API, admin page, Telegram buttons):
 * thin calls into the order's Durable Object (the source of truth) and reads
 * of the D1 projection for lists. Every function throws `ApiError` with the
 * common error shape when the order refuses (404 unknown, 409 illegal move,
 * 400 invalid) — nothing has changed then.
 *
 * Actors are strings: `user:<id>:<name>` (admin page), `api:<keyId>:<name>`,
 * `telegram:<userId>:<name>`, `system`.
 */
import { and, desc, inArray, notInArray, or, gt } from "drizzle-orm";
import { database } from "../db/client";
import { orders } from "../db/schema";
import type {
  Actor,
  Culprit,
  OrderCard,
  OrderSummary,
  PaymentMethod,
  ProblemAction,
  ProblemIndicator,
  PosExportState,
  OrderSource,
} from "../domain/orders/types";
import type { Env } from "../env";
import { ApiError } from "../lib/errors";
import type { OrderResult } from "../objects/order-object";
import type { AddPayment, CancelOrder, OrderInput, PaymentWebhook } from "../protocol/orders";
import { type AlreadyEdited, refreshProblemMessages } from "./problem-messages";

export type { OrderCard, OrderSummary, Actor, ProblemAction, Culprit } from "../domain/orders/types";
export type { Problem, Payment, PosExport, HistoryEntry, OrderData, ProblemIndicator } from "../domain/orders/types";

/** Orders finished longer ago than this drop out of the "current" list. */
const CURRENT_WINDOW_MS = 12 * 60 * 60_000;

const stub = (env: Env, orderId: string) => env.ORDER.getByName(orderId);

function unwrap(r: OrderResult): OrderCard {
  if (r.ok) return r.card;
  throw new ApiError(r.error.status, r.error.code, r.error.message);
}

/**
 * The panel's list: orders of these restaurants that are still open, plus
 * those completed or cancelled in the last 12 hours; newest change first.
 */
export async function listCurrentOrders(
  env: Env,
  restaurantIds: string[],
  opts: { now?: number; limit?: number } = {},
): Promise<OrderSummary[]> {
  if (restaurantIds.length === 0) return [];
  const now = opts.now ?? Date.now();
  const rows = await database(env.DB)
    .select()
    .from(orders)
    .where(
      and(
        inArray(orders.restaurantId, restaurantIds),
        or(notInArray(orders.status, ["completed", "cancelled"]), gt(orders.updatedAt, now - CURRENT_WINDOW_MS)),
      ),
    )
    .orderBy(desc(orders.updatedAt))
    .limit(Math.min(1000, Math.max(1, opts.limit ?? 500)));
  return rows.map((r) => ({
    id: r.id,
    restaurantId: r.restaurantId,
    source: r.source as OrderSource,
    externalId: r.externalId,
    number: r.number,
    status: r.status,
    operator: r.operator,
    deliveryType: r.deliveryType,
    total: r.total,
    currency: r.currency,
    problemIndicator: r.problemIndicator as ProblemIndicator,
    paymentMethod: r.paymentMethod,
    needsCall: r.needsCall,
    posExportState: r.posExportState as PosExportState,
    updatedAt: r.updatedAt,
  }));
}

/** The whole card from the order object (never stale); null for an order that does not exist. */
export async function getOrderCard(env: Env, orderId: string): Promise<OrderCard | null> {
  return stub(env, orderId).card();
}

/** Creates or updates the order the channel knows by `input.externalId` (idempotent). */
export async function upsertOrder(
  env: Env,
  accountId: string,
  orderId: string,
  input: OrderInput,
  actor: Actor,
): Promise<{ card: OrderCard; created: boolean }> {
  const r = await stub(env, orderId).upsert(accountId, orderId, input, actor);
  return { card: unwrap(r), created: r.ok && "created" in r && r.created === true };
}

export async function cancelOrder(env: Env, orderId: string, cmd: Omit<CancelOrder, "actor">, actor: Actor): Promise<OrderCard> {
  return unwrap(await stub(env, orderId).cancel(cmd.reason, actor));
}

export async function createProblem(
  env: Env,
  orderId: string,
  problem: { culprit: Culprit; description: string },
  actor: Actor,
): Promise<OrderCard> {
  return unwrap(await stub(env, orderId).createProblem(problem.culprit, problem.description, actor));
}

export async function transitionProblem(
  env: Env,
  orderId: string,
  problemId: string,
  action: ProblemAction,
  actor: Actor,
  resolution?: string,
  /** The chats' announcements are edited to the new state unless `false`; `skip` is a message the caller edits itself. */
  refresh: false | { skip?: AlreadyEdited } = {},
): Promise<OrderCard> {
  const card = unwrap(await stub(env, orderId).transitionProblem(problemId, action, actor, resolution));
  if (refresh) await refreshProblemMessages(env, card, problemId, refresh.skip);
  return card;
}

export async function addPayment(env: Env, orderId: string, p: Omit<AddPayment, "actor">, actor: Actor): Promise<OrderCard> {
  return unwrap(await stub(env, orderId).addPayment(p.method as PaymentMethod, p.amount, p.providerRef ?? null, actor));
}

export async function paymentReport(env: Env, report: PaymentWebhook, actor: Actor): Promise<OrderCard> {
  return unwrap(await stub(env, report.orderId).paymentReport(report, actor));
}

/** Sends the order to the POS now (from not_sent), or again (from failed, or a pending one stuck). */
export async function retryExport(env: Env, orderId: string, actor: Actor): Promise<OrderCard> {
  return unwrap(await stub(env, orderId).requestExport(actor));
}

/** Whose order it is; null when it does not exist. */
export async function orderOwner(env: Env, orderId: string): Promise<{ accountId: string; restaurantId: string } | null> {
  return stub(env, orderId).owner();
}
