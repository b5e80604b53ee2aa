import { env, runDurableObjectAlarm } from "cloudflare:test";
import { eq } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { database } from "../../src/db/client";
import { apiKeys, orderHistory, orders } from "../../src/db/schema";
import { listCurrentOrders } from "../../src/services/orders";
import { admin, call } from "./helpers";
import { api, orderBody, ordersWorld, type OrdersWorld } from "./orders-support";

let w: OrdersWorld;
beforeAll(async () => {
  w = await ordersWorld();
});

/** Runs the order's alarm until its outbox is empty (the D1 projection is then current). */
async function settleOrder(orderId: string) {
  const stub = env.ORDER.getByName(orderId);
  for (let i = 0; i < 20; i++) {
    await runDurableObjectAlarm(stub);
    const [row] = await database(env.DB).select({ version: orders.version }).from(orders).where(eq(orders.id, orderId));
    const card = await stub.card();
    if (row && card && row.version === card.version) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error("the order's projection did not catch up");
}

describe("API keys", () => {
  it("are created through the admin API, shown once, stored only as a hash", async () => {
    const k = await admin("POST", "/api-keys", { accountId: w.accountId, name: "iOS app" });
    expect(k.status).toBe(201);
    expect(k.body.key).toMatch(/^two_/);
    const [row] = await database(env.DB).select().from(apiKeys).where(eq(apiKeys.id, k.body.id));
    expect(row!.keyHash).not.toContain(k.body.key);
    expect(JSON.stringify(row)).not.toContain(k.body.key);
  });
  it("are listed without the key, and a revoked key is refused", async () => {
    const k = await admin("POST", "/api-keys", { accountId: w.accountId, name: "Android" });
    expect((await api({ apiKey: k.body.key }, "GET", "/orders/ord_000000000000000000000000")).status).toBe(404);
    const list = await admin("GET", `/api-keys?accountId=${w.accountId}`);
    const mine = list.body.apiKeys.find((x: any) => x.id === k.body.id);
    expect(mine).toMatchObject({ name: "Android", scope: "orders", prefix: k.body.key.slice(0, 10), revokedAt: null });
    expect(mine.lastUsedAt).toEqual(expect.any(Number));
    expect(JSON.stringify(list.body)).not.toContain(k.body.key);
    expect((await admin("POST", `/api-keys/${k.body.id}/revoke`)).status).toBe(200);
    expect((await api({ apiKey: k.body.key }, "GET", "/orders/ord_000000000000000000000000")).status).toBe(401);
  });
  it("an unknown account is 404; no or a wrong key is 401", async () => {
    expect((await admin("POST", "/api-keys", { accountId: "acc_nope", name: "x" })).status).toBe(404);
    expect((await call("/api/v1/orders/ord_x")).status).toBe(401);
    expect((await api({ apiKey: "two_wrong" }, "GET", "/orders/ord_x")).body.error.code).toBe("unauthorized");
  });
});

describe("create and update", () => {
  it("creates the order (201) and a repeat with the same external id is the same order (200), unchanged", async () => {
    const body = orderBody(w);
    const a = await api(w, "POST", "/orders", body);
    expect(a.status).toBe(201);
    expect(a.body).toMatchObject({ id: expect.stringMatching(/^ord_/), data: { number: body.number, total: 32_000 }, problemIndicator: "grey", posExportColour: "grey" });
    const b = await api(w, "POST", "/orders", body);
    expect(b.status).toBe(200);
    expect(b.body.id).toBe(a.body.id);
    expect(b.body.version).toBe(a.body.version);
    expect(b.body.history).toHaveLength(a.body.history.length);
  });

  it("concurrent creates of one order make one order with one creation in its history", async () => {
    const body = orderBody(w);
    const answers = await Promise.all(Array.from({ length: 5 }, () => api(w, "POST", "/orders", body)));
    expect(answers.map((a) => a.status).sort()).toEqual([200, 200, 200, 200, 201]);
    expect(new Set(answers.map((a) => a.body.id)).size).toBe(1);
    const card = await api(w, "GET", `/orders/${answers[0]!.body.id}`);
    expect(card.body.history.filter((h: any) => h.action === "order.created")).toHaveLength(1);
  });

  it("an update lands in the history as before → after, with who and when", async () => {
    const body = orderBody(w);
    const a = await api(w, "POST", "/orders", body);
    const b = await api(w, "POST", "/orders", { ...body, operatorComment: "Подзвонити перед доставкою", delivery: { ...body.delivery, address: "вул. Січових Стрільців, 5" }, actor: "Оля" });
    expect(b.status).toBe(200);
    const last = b.body.history.at(-1);
    expect(last).toMatchObject({
      action: "order.updated",
      actor: `api:${w.apiKeyId}:Оля`,
      changes: {
        "delivery.address": ["вул. Хрещатик, 1", "вул. Січових Стрільців, 5"],
        operatorComment: [null, "Подзвонити перед доставкою"],
      },
    });
    expect(last.seq).toBe(a.body.history.at(-1).seq + 1);
  });

  it("invalid input is 400 with the issues, and nothing changes", async () => {
    const body = orderBody(w);
    const a = await api(w, "POST", "/orders", body);
    const bad = await api(w, "POST", "/orders", { ...body, total: 12.5, delivery: { type: "teleport" } });
    expect(bad.status).toBe(400);
    expect(bad.body.error.code).toBe("invalid_body");
    expect(bad.body.error.issues.map((i: any) => i.path.join("."))).toEqual(expect.arrayContaining(["total", "delivery.type"]));
    const after = await api(w, "GET", `/orders/${a.body.id}`);
    expect(after.body.version).toBe(a.body.version);
  });

  it("a restaurant of another account is 404", async () => {
    const other = await ordersWorld();
    const r = await api(w, "POST", "/orders", orderBody(other));
    expect(r.status).toBe(404);
  });

  it("another account cannot read or change the order", async () => {
    const other = await ordersWorld();
    const a = await api(w, "POST", "/orders", orderBody(w));
    expect((await api(other, "GET", `/orders/${a.body.id}`)).status).toBe(404);
    expect((await api(other, "POST", `/orders/${a.body.id}/cancel`, { reason: "x", actor: "y" })).status).toBe(404);
  });

  it("the order is found by the channel's own id", async () => {
    const body = orderBody(w);
    const a = await api(w, "POST", "/orders", body);
    const r = await api(w, "GET", `/orders/by-external/site/${encodeURIComponent(body.externalId)}`);
    expect(r.body.id).toBe(a.body.id);
  });
});

describe("cancel", () => {
  it("needs a reason and an actor: without them 400, and the order stays as it was", async () => {
    const a = await api(w, "POST", "/orders", orderBody(w));
    expect((await api(w, "POST", `/orders/${a.body.id}/cancel`, { actor: "Оля" })).status).toBe(400);
    expect((await api(w, "POST", `/orders/${a.body.id}/cancel`, { reason: "Клієнт передумав" })).status).toBe(400);
    expect((await api(w, "POST", `/orders/${a.body.id}/cancel`, { reason: " ", actor: "Оля" })).status).toBe(400);
    expect((await api(w, "GET", `/orders/${a.body.id}`)).body.data.status).toBe("new");
  });
  it("records time, person and reason; a second cancel is 409", async () => {
    const a = await api(w, "POST", "/orders", orderBody(w));
    const c = await api(w, "POST", `/orders/${a.body.id}/cancel`, { reason: "Клієнт передумав", actor: "Оля" });
    expect(c.status).toBe(200);
    expect(c.body.data).toMatchObject({ status: "cancelled", cancellation: { reason: "Клієнт передумав", actor: `api:${w.apiKeyId}:Оля` } });
    expect(c.body.payments[0].state).toBe("released");
    const again = await api(w, "POST", `/orders/${a.body.id}/cancel`, { reason: "x", actor: "y" });
    expect(again.status).toBe(409);
    expect(again.body.error.code).toBe("order_cancelled");
  });
});

describe("problems", () => {
  it("new → in progress → resolved through the API, the indicator follows, an illegal move is 409 and changes nothing", async () => {
    const a = await api(w, "POST", "/orders", orderBody(w));
    const id = a.body.id;
    const p = await api(w, "POST", `/orders/${id}/problems`, { culprit: "courier", description: "Кур'єр запізнюється на 20 хв", actor: "Оля" });
    expect(p.status).toBe(201);
    expect(p.body.problemIndicator).toBe("orange");
    const problemId = p.body.problems[0].id;

    const illegal = await api(w, "POST", `/orders/${id}/problems/${problemId}`, { action: "resolve", actor: "Оля" });
    expect(illegal.status).toBe(409);
    expect(illegal.body.error.code).toBe("illegal_transition");
    expect((await api(w, "GET", `/orders/${id}`)).body.version).toBe(p.body.version);

    const taken = await api(w, "POST", `/orders/${id}/problems/${problemId}`, { action: "take", actor: "Старший зміни" });
    expect(taken.body.problemIndicator).toBe("yellow");
    const resolved = await api(w, "POST", `/orders/${id}/problems/${problemId}`, { action: "resolve", actor: "Старший зміни", resolution: "Знижка 10% на наступне" });
    expect(resolved.body.problemIndicator).toBe("green");
    expect(resolved.body.problems[0]).toMatchObject({ state: "resolved", resolution: "Знижка 10% на наступне" });
    expect(resolved.body.problems[0].transitions.map((t: any) => t.to)).toEqual(["new", "in_progress", "resolved"]);
    const reopened = await api(w, "POST", `/orders/${id}/problems/${problemId}`, { action: "reopen", actor: "Оля" });
    expect(reopened.body.problemIndicator).toBe("orange");
    expect(reopened.body.problems[0].resolution).toBeNull();
    await api(w, "POST", `/orders/${id}/problems/${problemId}`, { action: "take", actor: "Старший зміни" });
    await api(w, "POST", `/orders/${id}/problems/${problemId}`, { action: "resolve", actor: "Старший зміни", resolution: "Знижка 10% на наступне" });
    const rejectedAfter = await api(w, "POST", `/orders/${id}/problems/${problemId}`, { action: "reject", actor: "x" });
    expect(rejectedAfter.status).toBe(409);
    expect((await api(w, "POST", `/orders/${id}/problems/prb_nope_1`, { action: "take", actor: "x" })).status).toBe(404);
  });
});

describe("concurrent changes to one order", () => {
  it("two operators take the same problem at once: one wins, the other gets 409, one move in the history", async () => {
    const a = await api(w, "POST", "/orders", orderBody(w));
    const p = await api(w, "POST", `/orders/${a.body.id}/problems`, { culprit: "client", description: "Не відповідає", actor: "Оля" });
    const pid = p.body.problems[0].id;
    const answers = await Promise.all(
      ["Оля", "Іра", "Петро"].map((who) => api(w, "POST", `/orders/${a.body.id}/problems/${pid}`, { action: "take", actor: who })),
    );
    expect(answers.map((r) => r.status).sort()).toEqual([200, 409, 409]);
    const card = await api(w, "GET", `/orders/${a.body.id}`);
    expect(card.body.history.filter((h: any) => h.action === "problem.take")).toHaveLength(1);
  });

  it("ten updates racing each other all land, each exactly once, in order of the versions", async () => {
    const body = orderBody(w);
    const a = await api(w, "POST", "/orders", body);
    const answers = await Promise.all(
      Array.from({ length: 10 }, (_, i) => api(w, "POST", "/orders", { ...body, cutlery: i + 10, actor: `op${i}` })),
    );
    expect(answers.every((r) => r.status === 200)).toBe(true);
    const card = (await api(w, "GET", `/orders/${a.body.id}`)).body;
    const updates = card.history.filter((h: any) => h.action === "order.updated");
    expect(updates).toHaveLength(10);
    expect(card.version).toBe(a.body.version + 10);
    // Each update's "before" is the previous one's "after": no change was lost or applied to a stale card.
    for (let i = 1; i < updates.length; i++) expect(updates[i].changes.cutlery[0]).toBe(updates[i - 1].changes.cutlery[1]);
  });
});

describe("the D1 record", () => {
  it("catches up with the object: card, problems, payments and the full history in one batch", async () => {
    const a = await api(w, "POST", "/orders", orderBody(w));
    const id = a.body.id;
    await api(w, "POST", `/orders/${id}/problems`, { culprit: "restaurant", description: "Холодний борщ", actor: "Оля" });
    const last = await api(w, "POST", "/orders", { ...orderBody(w), externalId: a.body.data.externalId, number: a.body.data.number, wishes: "Без цибулі" });
    await settleOrder(id);
    const db = database(env.DB);
    const [row] = await db.select().from(orders).where(eq(orders.id, id));
    expect(row).toMatchObject({ version: last.body.version, problemIndicator: "orange", paymentMethod: "online", posExportState: "not_sent" });
    const history = await db.select().from(orderHistory).where(eq(orderHistory.orderId, id));
    expect(history.map((h) => h.seq)).toEqual(last.body.history.map((h: any) => h.seq));
    expect(JSON.parse(row!.card).data.wishes).toBe("Без цибулі");
  });

  it("the panel's list shows open orders and those finished in the last 12 hours, newest change first", async () => {
    const open = (await api(w, "POST", "/orders", orderBody(w))).body;
    const done = (await api(w, "POST", "/orders", orderBody(w))).body;
    await api(w, "POST", `/orders/${done.id}/cancel`, { reason: "Дубль", actor: "Оля" });
    await settleOrder(open.id);
    await settleOrder(done.id);
    const now = Date.now();
    const list = await listCurrentOrders(env, [w.restaurantId], { now });
    const ids = list.map((o) => o.id);
    expect(ids).toEqual(expect.arrayContaining([open.id, done.id]));
    expect(ids.indexOf(done.id)).toBeLessThan(ids.indexOf(open.id));
    expect(list.find((o) => o.id === open.id)).toMatchObject({ number: open.data.number, status: "new", problemIndicator: "grey", posExportState: "not_sent", needsCall: false });
    const later = await listCurrentOrders(env, [w.restaurantId], { now: now + 13 * 3_600_000 });
    expect(later.map((o) => o.id)).toContain(open.id);
    expect(later.map((o) => o.id)).not.toContain(done.id);
    expect(await listCurrentOrders(env, [])).toEqual([]);
  });
});
