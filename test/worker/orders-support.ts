/** Helpers for the orders tests: an account with a restaurant, an API key, and calls to /api/v1. */
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
