import { env, evictDurableObject, runInDurableObject } from "cloudflare:test";
import { beforeAll, describe, expect, it } from "vitest";
import { admin } from "./helpers";
import { api, journaled, orderBody, ordersWorld, postPaymentWebhook, tickOrder, type OrdersWorld } from "./orders-support";

let w: OrdersWorld;
let payKey: { id: string; key: string };
beforeAll(async () => {
  w = await ordersWorld();
  const k = await admin("POST", "/api-keys", { accountId: w.accountId, name: "LiqPay", scope: "payments" });
  expect(k.status).toBe(201);
  payKey = { id: k.body.id, key: k.body.key };
});

const EXPIRY_MS = 1_800_000;

async function onlineOrder(patch: Record<string, unknown> = {}) {
  const r = await api(w, "POST", "/orders", orderBody(w, patch));
  expect(r.status).toBe(201);
  return r.body;
}

describe("payment provider webhook", () => {
  it("pending → on_hold counts as paid; the resent report changes nothing", async () => {
    const order = await onlineOrder();
    const report = { eventId: "evt-1", orderId: order.id, paymentId: order.payments[0].id, status: "on_hold", providerRef: "liq-77" };
    const a = await postPaymentWebhook(payKey.id, payKey.key, report);
    expect(a.status).toBe(200);
    expect(a.body.payment).toMatchObject({ state: "on_hold", providerRef: "liq-77" });
    const again = await postPaymentWebhook(payKey.id, payKey.key, report);
    expect(again.status).toBe(200);
    const card = (await api(w, "GET", `/orders/${order.id}`)).body;
    expect(card.paid).toBe(32_000);
    expect(card.history.filter((h: any) => h.action === "payment.on_hold")).toEqual([
      expect.objectContaining({ actor: `provider:${payKey.id}`, changes: expect.objectContaining({ state: ["pending", "on_hold"], providerEventId: "evt-1" }) }),
    ]);
  });

  it("refuses a wrong signature, a stale timestamp, an unknown key or an orders key — and nothing changes", async () => {
    const order = await onlineOrder();
    const report = { eventId: "evt-2", orderId: order.id, paymentId: order.payments[0].id, status: "on_hold" };
    expect((await postPaymentWebhook(payKey.id, payKey.key, report, { signWith: "twp_forged" })).body.error.code).toBe("bad_signature");
    expect((await postPaymentWebhook(payKey.id, payKey.key, report, { at: Math.floor(Date.now() / 1000) - 301 })).body.error.code).toBe("stale_timestamp");
    expect((await postPaymentWebhook("key_0000000000000000", payKey.key, report)).status).toBe(401);
    expect((await postPaymentWebhook(w.apiKeyId, w.apiKey, report)).status).toBe(401);
    const card = (await api(w, "GET", `/orders/${order.id}`)).body;
    expect(card.payments[0].state).toBe("pending");
    expect(card.version).toBe(order.version);
  });

  it("an illegal report is 409 and an order of another account is 404", async () => {
    const order = await onlineOrder();
    const captured = await postPaymentWebhook(payKey.id, payKey.key, { eventId: "e", orderId: order.id, paymentId: order.payments[0].id, status: "captured" });
    expect(captured.status).toBe(409);
    const other = await ordersWorld();
    const theirs = (await api(other, "POST", "/orders", orderBody(other))).body;
    const r = await postPaymentWebhook(payKey.id, payKey.key, { eventId: "e", orderId: theirs.id, paymentId: theirs.payments[0].id, status: "on_hold" });
    expect(r.status).toBe(404);
  });

  it("the hold is captured when the order completes and released when it is cancelled", async () => {
    const a = await onlineOrder();
    await postPaymentWebhook(payKey.id, payKey.key, { eventId: "h", orderId: a.id, paymentId: a.payments[0].id, status: "on_hold" });
    const done = await api(w, "POST", "/orders", { ...orderBody(w), externalId: a.data.externalId, number: a.data.number, status: "completed" });
    expect(done.body.payments[0].state).toBe("captured");

    const b = await onlineOrder();
    await postPaymentWebhook(payKey.id, payKey.key, { eventId: "h", orderId: b.id, paymentId: b.payments[0].id, status: "on_hold" });
    const cancelled = await api(w, "POST", `/orders/${b.id}/cancel`, { reason: "Немає кур'єрів", actor: "Оля" });
    expect(cancelled.body.payments[0].state).toBe("released");
  });
});

describe("total changed after a hold", () => {
  async function heldOrder() {
    const order = await onlineOrder();
    await postPaymentWebhook(payKey.id, payKey.key, { eventId: "h", orderId: order.id, paymentId: order.payments[0].id, status: "on_hold" });
    return order;
  }
  it("up: a surcharge payment for the difference", async () => {
    const o = await heldOrder();
    const r = await api(w, "POST", "/orders", { ...orderBody(w), externalId: o.data.externalId, number: o.data.number, total: 35_500 });
    expect(r.body.payments[1]).toMatchObject({ method: "online", kind: "surcharge", amount: 3_500, state: "pending" });
    expect(r.body.history.at(-1)).toMatchObject({ action: "payment.created", changes: { kind: "surcharge", amount: 3_500 } });
  });
  it("down: a partial refund, confirmed by the provider", async () => {
    const o = await heldOrder();
    const r = await api(w, "POST", "/orders", { ...orderBody(w), externalId: o.data.externalId, number: o.data.number, total: 30_000 });
    const refund = r.body.payments[1];
    expect(refund).toMatchObject({ kind: "refund", amount: 2_000, state: "pending" });
    const done = await postPaymentWebhook(payKey.id, payKey.key, { eventId: "r", orderId: o.id, paymentId: refund.id, status: "refunded" });
    expect(done.body.payment.state).toBe("refunded");
    expect((await api(w, "GET", `/orders/${o.id}`)).body.paid).toBe(30_000);
  });
});

describe("online payment expiry (the order's alarm)", () => {
  it("arms the alarm for the expiry, and the timer survives an eviction", async () => {
    const o = await onlineOrder();
    const stub = env.ORDER.getByName(o.id);
    await evictDurableObject(stub);
    const due = await runInDurableObject(stub, (_obj, state) =>
      state.storage.sql.exec<{ due_at: number }>("SELECT due_at FROM timers WHERE name = 'payments'").one().due_at,
    );
    expect(due).toBe(o.payments[0].expiresAt);
    expect(o.payments[0].expiresAt - o.createdAt).toBe(EXPIRY_MS);
  });

  it("still pending at the expiry: expired, cash, needs a call — once, even when the alarm runs twice; announced", async () => {
    const o = await onlineOrder();
    await tickOrder(o.id, o.createdAt + EXPIRY_MS - 1);
    expect((await api(w, "GET", `/orders/${o.id}`)).body.payments[0].state).toBe("pending");

    await tickOrder(o.id, o.createdAt + EXPIRY_MS);
    await tickOrder(o.id, o.createdAt + EXPIRY_MS);
    const card = (await api(w, "GET", `/orders/${o.id}`)).body;
    expect(card.data).toMatchObject({ paymentMethod: "cash", needsCall: true });
    expect(card.payments.map((p: any) => [p.method, p.state])).toEqual([
      ["online", "expired"],
      ["cash", "pending"],
    ]);
    expect(card.history.filter((h: any) => h.action === "payment.expired")).toHaveLength(1);
    const events = await journaled(w.restaurantId, "order.payment");
    expect(events.map((e: any) => e.event_id)).toContain(`order.payment:${o.payments[0].id}:expired`);
  });

  it("a payment held in time does not expire", async () => {
    const o = await onlineOrder();
    await postPaymentWebhook(payKey.id, payKey.key, { eventId: "h", orderId: o.id, paymentId: o.payments[0].id, status: "on_hold" });
    await tickOrder(o.id, o.createdAt + 2 * EXPIRY_MS);
    const card = (await api(w, "GET", `/orders/${o.id}`)).body;
    expect(card.payments[0].state).toBe("on_hold");
    expect(card.data.needsCall).toBe(false);
  });
});

describe("payments through the API", () => {
  it("adds a terminal payment; a bad amount is 400 and adds nothing", async () => {
    const o = await onlineOrder({ paymentMethod: "cash" });
    expect((await api(w, "POST", `/orders/${o.id}/payments`, { method: "terminal", amount: -5, actor: "Оля" })).status).toBe(400);
    const r = await api(w, "POST", `/orders/${o.id}/payments`, { method: "terminal", amount: 5_000, actor: "Оля" });
    expect(r.status).toBe(201);
    expect(r.body.payments.map((p: any) => p.method)).toEqual(["cash", "terminal"]);
  });
});
