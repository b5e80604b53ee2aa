/** Helpers for the orders tests: an account with a restaurant, an API key, and calls to /api/v1. */
import { env } from "cloudflare:test";
import { admin, call, provision, type Provisioned } from "./helpers";

export interface OrdersWorld extends Provisioned {
  apiKey: string;
  apiKeyId: string;
}

export async function ordersWorld(): Promise<OrdersWorld> {
  const p = await provision({ name: "Піца Дім", timezone: "Europe/Kyiv" });
  const k = await admin("POST", "/api-keys", { accountId: p.accountId, name: "Сайт" });
  if (k.status !== 201) throw new Error(JSON.stringify(k.body));
  return { ...p, apiKey: k.body.key, apiKeyId: k.body.id };
}

export async function api<T = any>(w: { apiKey: string }, method: string, path: string, body?: unknown): Promise<{ status: number; body: T }> {
  const res = await call(`/api/v1${path}`, {
    method,
    headers: { authorization: `Bearer ${w.apiKey}`, ...(body !== undefined ? { "content-type": "application/json" } : {}) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: res.status, body: (await res.json()) as T };
}

let n = 0;
/** The seed's order card: delivery to the door, paid online. */
export function orderBody(w: { restaurantId: string }, patch: Record<string, unknown> = {}) {
  n++;
  return {
    restaurantId: w.restaurantId,
    source: "site",
    externalId: `4232-${String(n).padStart(5, "0")}-${Date.now()}`,
    number: `4232-${String(n).padStart(5, "0")}`,
    operator: "Dots_Designer",
    client: { name: "Олена", phone: "+380501112233", language: "uk" },
    delivery: { type: "door", address: "вул. Хрещатик, 1" },
    items: [
      { name: "Борщ", quantity: 2, price: 12_000 },
      { name: "Вареники", quantity: 1, price: 9_000, discountedPrice: 8_000 },
    ],
    cutlery: 2,
    total: 32_000,
    currency: "UAH",
    paymentMethod: "online",
    actor: "Dots_Designer",
    ...patch,
  };
}

/** Signs a payment provider's webhook with a payments key (HMAC like the agent protocol). */
export async function postPaymentWebhook(
  keyId: string,
  key: string,
  payload: unknown,
  opts: { at?: number; signWith?: string; body?: string } = {},
): Promise<{ status: number; body: any }> {
  const body = opts.body ?? JSON.stringify(payload);
  const ts = String(opts.at ?? Math.floor(Date.now() / 1000));
  const k = await crypto.subtle.importKey("raw", new TextEncoder().encode(opts.signWith ?? key), { name: "HMAC", hash: "SHA-256" }, false, ["sign"]);
  const mac = new Uint8Array(await crypto.subtle.sign("HMAC", k, new TextEncoder().encode(`${ts}.${body}`)));
  const hex = [...mac].map((b) => b.toString(16).padStart(2, "0")).join("");
  const res = await call("/payments/v1/webhook", {
    method: "POST",
    headers: { "content-type": "application/json", "X-Payment-Key-Id": keyId, "X-Payment-Timestamp": ts, "X-Payment-Signature": `v1=${hex}` },
    body,
  });
  return { status: res.status, body: await res.json() };
}

/** The order's alarm work at a chosen moment, then its outbox drained. */
export async function tickOrder(orderId: string, now: number): Promise<void> {
  await env.ORDER.getByName(orderId).tick(now);
}

/** Cloud events the restaurant journaled (announcements of orders), of one type. */
export async function journaled(restaurantId: string, type: string) {
  return env.RESTAURANT.getByName(restaurantId).listJournal({ type });
}
