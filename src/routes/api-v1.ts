/**
 * The orders API for ordering channels (`/api/v1`, per-account API key as a
 * bearer token). Thin: validate, check the order is the caller's account's,
 * hand it to the order object, answer the whole card. Invalid input is 400
 * and an illegal move 409; in both cases nothing changed.
 */
import { eq } from "drizzle-orm";
import { Hono } from "hono";
import { createMiddleware } from "hono/factory";
import { database } from "../db/client";
import { restaurants } from "../db/schema";
import { isOrderId, orderIdFor } from "../domain/orders/ids";
import type { Env } from "../env";
import { jsonBody } from "../lib/body";
import { notFound } from "../lib/errors";
import { AddPayment, CancelOrder, CreateProblem, ExportRequest, OrderInput, ORDER_SOURCES, TransitionProblem } from "../protocol/orders";
import { authenticateOrdersKey, type ApiPrincipal } from "../services/orders-api-keys";
import * as orders from "../services/orders";

type ApiEnv = { Bindings: Env; Variables: { principal: ApiPrincipal } };

export const apiV1 = new Hono<ApiEnv>();

apiV1.use(
  createMiddleware<ApiEnv>(async (c, next) => {
    c.set("principal", await authenticateOrdersKey(c.env, c.req.header("authorization")));
    await next();
  }),
);

const actorOf = (p: ApiPrincipal, name: string) => `api:${p.keyId}:${name}`;

/** The order, if it exists and belongs to the caller's account (otherwise 404: no probing other accounts). */
async function ownOrder(env: Env, p: ApiPrincipal, orderId: string): Promise<string> {
  if (!isOrderId(orderId)) throw notFound("order");
  const owner = await orders.orderOwner(env, orderId);
  if (!owner || owner.accountId !== p.accountId) throw notFound("order");
  return orderId;
}

/** A restaurant never changes account: remembered per isolate once read. */
const restaurantAccounts = new Map<string, string>();

async function accountOfRestaurant(env: Env, restaurantId: string): Promise<string | null> {
  const known = restaurantAccounts.get(restaurantId);
  if (known) return known;
  const [r] = await database(env.DB).select({ accountId: restaurants.accountId }).from(restaurants).where(eq(restaurants.id, restaurantId));
  if (!r) return null;
  if (restaurantAccounts.size > 10_000) restaurantAccounts.clear();
  restaurantAccounts.set(restaurantId, r.accountId);
  return r.accountId;
}

/** Create or update, idempotent on the channel's (source, externalId): 201 when created, 200 otherwise. */
apiV1.post("/orders", async (c) => {
  const p = c.get("principal");
  const input = await jsonBody(c, OrderInput);
  if ((await accountOfRestaurant(c.env, input.restaurantId)) !== p.accountId) throw notFound("restaurant");
  const orderId = await orderIdFor(p.accountId, input.source, input.externalId);
  const { card, created } = await orders.upsertOrder(c.env, p.accountId, orderId, input, actorOf(p, input.actor));
  return c.json(card, created ? 201 : 200);
});

/** The order a channel knows by its own id. */
apiV1.get("/orders/by-external/:source/:externalId", async (c) => {
  const p = c.get("principal");
  const source = c.req.param("source");
  if (!(ORDER_SOURCES as readonly string[]).includes(source)) throw notFound("order");
  const card = await orders.getOrderCard(c.env, await orderIdFor(p.accountId, source, c.req.param("externalId")));
  if (!card || card.accountId !== p.accountId) throw notFound("order");
  return c.json(card);
});

apiV1.get("/orders/:id", async (c) => {
  const orderId = c.req.param("id");
  const card = isOrderId(orderId) ? await orders.getOrderCard(c.env, orderId) : null;
  if (!card || card.accountId !== c.get("principal").accountId) throw notFound("order");
  return c.json(card);
});

apiV1.post("/orders/:id/cancel", async (c) => {
  const p = c.get("principal");
  const body = await jsonBody(c, CancelOrder);
  const orderId = await ownOrder(c.env, p, c.req.param("id"));
  return c.json(await orders.cancelOrder(c.env, orderId, body, actorOf(p, body.actor)));
});

apiV1.post("/orders/:id/problems", async (c) => {
  const p = c.get("principal");
  const body = await jsonBody(c, CreateProblem);
  const orderId = await ownOrder(c.env, p, c.req.param("id"));
  return c.json(await orders.createProblem(c.env, orderId, body, actorOf(p, body.actor)), 201);
});

apiV1.post("/orders/:id/problems/:problemId", async (c) => {
  const p = c.get("principal");
  const body = await jsonBody(c, TransitionProblem);
  const orderId = await ownOrder(c.env, p, c.req.param("id"));
  return c.json(
    await orders.transitionProblem(c.env, orderId, c.req.param("problemId"), body.action, actorOf(p, body.actor), body.resolution),
  );
});

apiV1.post("/orders/:id/payments", async (c) => {
  const p = c.get("principal");
  const body = await jsonBody(c, AddPayment);
  const orderId = await ownOrder(c.env, p, c.req.param("id"));
  return c.json(await orders.addPayment(c.env, orderId, body, actorOf(p, body.actor)), 201);
});

/** Send to the POS now, or again after a failure: 202, the answer comes later (poll the card). */
apiV1.post("/orders/:id/export", async (c) => {
  const p = c.get("principal");
  const body = await jsonBody(c, ExportRequest);
  const orderId = await ownOrder(c.env, p, c.req.param("id"));
  return c.json(await orders.retryExport(c.env, orderId, actorOf(p, body.actor)), 202);
});
