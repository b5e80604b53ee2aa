import { describe, expect, it } from "vitest";
import {
  addProblem,
  cancelOrder,
  cardOf,
  createOrder,
  expirePayments,
  exportAsked,
  exportClaim,
  exportDue,
  exportGiveUp,
  exportPayload,
  exportResult,
  providerReport,
  requestExport,
  timersOf,
  transitionProblem,
  updateOrder,
  type Change,
  type Outcome,
} from "../../../src/domain/orders/order";
import { diff } from "../../../src/domain/orders/history";
import { orderOfChildId } from "../../../src/domain/orders/ids";
import type { OrderState } from "../../../src/domain/orders/types";
import { input, ORDER_ID, SETTINGS, T0 } from "./fixtures";

const created = () => createOrder(ORDER_ID, "acc_1", input(), "api:k:Dots_Designer", T0, SETTINGS).state;
function ok(o: Outcome): Change {
  if (!o.ok) throw new Error(`refused: ${o.error.message}`);
  if (!o.change) throw new Error("no change");
  return o.change;
}
const held = (s: OrderState) => ok(providerReport(s, { paymentId: s.payments[0]!.id, status: "on_hold" }, "provider:k", T0 + 60_000)).state;

describe("creating and updating an order", () => {
  it("a new order records the whole card in its history and opens a pending online payment for the total", () => {
    const c = createOrder(ORDER_ID, "acc_1", input(), "api:k:Dots_Designer", T0, SETTINGS);
    expect(c.state.data).toMatchObject({ number: "4232-00200", status: "new", total: 32_000, paymentMethod: "online", needsCall: false });
    expect(c.history[0]).toMatchObject({ action: "order.created", actor: "api:k:Dots_Designer" });
    expect(c.history[0]!.changes["client.phone"]).toEqual([null, "+380501112233"]);
    expect(c.state.payments).toEqual([
      expect.objectContaining({ method: "online", kind: "payment", amount: 32_000, state: "pending", expiresAt: T0 + SETTINGS.paymentExpiryMs }),
    ]);
    expect(orderOfChildId(c.state.payments[0]!.id)).toBe(ORDER_ID);
  });

  it("cashback spent becomes its own payment and the rest is paid by the chosen method", () => {
    const c = createOrder(ORDER_ID, "acc_1", input({ cashback: { spent: 2_000, accrued: 300 }, paymentMethod: "cash" }), "a", T0, SETTINGS);
    expect(c.state.payments.map((p) => [p.method, p.amount])).toEqual([
      ["cashback", 2_000],
      ["cash", 30_000],
    ]);
  });

  it("the same order sent again changes nothing", () => {
    const s = created();
    expect(updateOrder(s, input(), "a", T0 + 1, SETTINGS)).toEqual({ ok: true, change: null });
  });

  it("an update records exactly what changed, before → after", () => {
    const s = created();
    const c = ok(updateOrder(s, input({ client: { name: "Олена", phone: "+380509999999", language: "uk" }, operatorComment: "VIP" }), "api:k:Оля", T0 + 1, SETTINGS));
    expect(c.history).toEqual([
      {
        at: T0 + 1,
        actor: "api:k:Оля",
        action: "order.updated",
        changes: { "client.phone": ["+380501112233", "+380509999999"], operatorComment: [null, "VIP"] },
      },
    ]);
    expect(c.state.version).toBe(s.version + 1);
  });

  it("an order cannot move to another restaurant", () => {
    expect(updateOrder(created(), input({ restaurantId: "rst_2" }), "a", T0, SETTINGS)).toMatchObject({
      ok: false,
      error: { status: 409, code: "restaurant_mismatch" },
    });
  });

  it("completing the order captures the hold", () => {
    const s = held(created());
    const c = ok(updateOrder(s, input({ status: "completed" }), "a", T0 + 2, SETTINGS));
    expect(c.state.payments[0]!.state).toBe("captured");
    expect(c.history.map((h) => h.action)).toEqual(["order.updated", "payment.captured"]);
    expect(updateOrder(c.state, input({ status: "cooking" }), "a", T0 + 3, SETTINGS)).toMatchObject({ ok: false, error: { code: "order_completed" } });
  });
});

describe("total changed after a hold", () => {
  it("up: a pending online surcharge for the difference, announced and in the history", () => {
    const s = held(created());
    const c = ok(updateOrder(s, input({ total: 35_000 }), "a", T0 + 120_000, SETTINGS));
    expect(c.state.payments[1]).toMatchObject({ method: "online", kind: "surcharge", amount: 3_000, state: "pending" });
    expect(c.history.map((h) => h.action)).toEqual(["order.updated", "payment.created"]);
    expect(c.announce).toEqual([{ kind: "payment", paymentId: c.state.payments[1]!.id, previousState: null }]);
  });
  it("down: a partial refund for the difference", () => {
    const s = held(created());
    const c = ok(updateOrder(s, input({ total: 30_000 }), "a", T0 + 120_000, SETTINGS));
    expect(c.state.payments[1]).toMatchObject({ kind: "refund", amount: 2_000, state: "pending", expiresAt: null });
    expect(cardOf(c.state, []).paid).toBe(30_000);
  });
  it("before any hold: no surcharge, the pending payment is simply for the order", () => {
    const c = ok(updateOrder(created(), input({ total: 35_000 }), "a", T0 + 1, SETTINGS));
    expect(c.state.payments).toHaveLength(1);
  });
});

describe("cancelling", () => {
  it("records the reason and the actor, and releases the hold", () => {
    const s = held(created());
    const c = ok(cancelOrder(s, "Клієнт передумав", "api:k:Оля", T0 + 5));
    expect(c.state.data.status).toBe("cancelled");
    expect(c.state.data.cancellation).toEqual({ reason: "Клієнт передумав", actor: "api:k:Оля", at: T0 + 5 });
    expect(c.state.payments[0]!.state).toBe("released");
    expect(c.history[0]).toMatchObject({ action: "order.cancelled", changes: { status: ["new", "cancelled"], reason: "Клієнт передумав" } });
  });
  it("twice is a 409, and a cancelled order takes no updates", () => {
    const s = ok(cancelOrder(created(), "x", "a", T0)).state;
    expect(cancelOrder(s, "x", "a", T0)).toMatchObject({ ok: false, error: { status: 409 } });
    expect(updateOrder(s, input({ total: 1 }), "a", T0, SETTINGS)).toMatchObject({ ok: false, error: { code: "order_cancelled" } });
  });
});

describe("payment expiry", () => {
  it("nothing happens before the expiry", () => {
    expect(expirePayments(created(), T0 + SETTINGS.paymentExpiryMs - 1, SETTINGS)).toBeNull();
  });
  it("at the expiry: expired, falls back to cash, needs a call; running it twice does nothing more", () => {
    const s = created();
    const c = expirePayments(s, T0 + SETTINGS.paymentExpiryMs, SETTINGS)!;
    expect(c.state.payments.map((p) => [p.method, p.state, p.amount])).toEqual([
      ["online", "expired", 32_000],
      ["cash", "pending", 32_000],
    ]);
    expect(c.state.data).toMatchObject({ paymentMethod: "cash", needsCall: true });
    expect(c.history.map((h) => h.action)).toEqual(["payment.expired", "order.needs_call", "payment.created"]);
    expect(c.history[1]!.changes).toEqual({ needsCall: [false, true], paymentMethod: ["online", "cash"] });
    expect(expirePayments(c.state, T0 + SETTINGS.paymentExpiryMs + 1, SETTINGS)).toBeNull();
    expect(timersOf(c.state).payments).toBeNull();
  });
  it("a payment put on hold in time never expires", () => {
    const s = held(created());
    expect(expirePayments(s, T0 + 10 * SETTINGS.paymentExpiryMs, SETTINGS)).toBeNull();
  });
});

describe("problems on the order", () => {
  it("several problems, each announced when new, moved with history", () => {
    let s = created();
    const a = ok(addProblem(s, "courier", "Запізнюється", "api:k:Оля", T0 + 1));
    s = a.state;
    expect(a.announce).toEqual([{ kind: "problem", problemId: s.problems[0]!.id }]);
    s = ok(addProblem(s, "restaurant", "Холодний борщ", "api:k:Оля", T0 + 2)).state;
    expect(cardOf(s, []).problemIndicator).toBe("orange");
    const t = ok(transitionProblem(s, s.problems[0]!.id, "take", "telegram:7:Іван", T0 + 3));
    expect(t.history[0]).toMatchObject({ action: "problem.take", actor: "telegram:7:Іван", changes: { state: ["new", "in_progress"] } });
    expect(orderOfChildId(s.problems[1]!.id)).toBe(ORDER_ID);
  });
  it("a reopened problem is announced again", () => {
    let s = ok(addProblem(created(), "client", "x", "a", T0)).state;
    const id = s.problems[0]!.id;
    s = ok(transitionProblem(s, id, "reject", "a", T0 + 1)).state;
    const r = ok(transitionProblem(s, id, "reopen", "a", T0 + 2));
    expect(r.announce).toEqual([{ kind: "problem", problemId: id }]);
  });
  it("an operator clears 'needs a call' by sending needsCall: false", () => {
    const s = expirePayments(created(), T0 + SETTINGS.paymentExpiryMs, SETTINGS)!.state;
    const c = ok(updateOrder(s, input({ paymentMethod: "cash", needsCall: false }), "api:k:Оля", T0 + SETTINGS.paymentExpiryMs + 1, SETTINGS));
    expect(c.history[0]!.changes).toEqual({ needsCall: [true, false] });
  });
  it("an unknown problem is 404 and an illegal move 409", () => {
    const s = ok(addProblem(created(), "client", "x", "a", T0)).state;
    expect(transitionProblem(s, "prb_nope_1", "take", "a", T0)).toMatchObject({ ok: false, error: { status: 404 } });
    expect(transitionProblem(s, s.problems[0]!.id, "resolve", "a", T0)).toMatchObject({ ok: false, error: { status: 409 } });
  });
});

describe("POS export", () => {
  it("not_sent → pending, asked every poll until the limit, then failed and announced", () => {
    let s = ok(requestExport(created(), "req-1", "a", T0)).state;
    expect(s.posExport).toMatchObject({ state: "pending", requestId: "req-1", nextAskAt: T0 });
    let now = T0;
    for (let i = 1; i <= SETTINGS.exportMaxAsks; i++) {
      expect(exportDue(s.posExport, now, SETTINGS.exportMaxAsks)).toBe("ask");
      s = exportAsked(s, "req-1", true, now, SETTINGS)!.state;
      expect(exportDue(s.posExport, now + 59_999, SETTINGS.exportMaxAsks)).toBe("none");
      now += SETTINGS.exportPollMs;
    }
    expect(exportDue(s.posExport, now, SETTINGS.exportMaxAsks)).toBe("give_up");
    const g = exportGiveUp(s, now)!;
    expect(g.state.posExport).toMatchObject({ state: "failed", reason: "no final answer from the POS after 3 asks" });
    expect(g.announce).toEqual([{ kind: "export_failed" }]);
  });
  it("claiming an ask before sending it makes it not due, so a second alarm does not ask twice", () => {
    const s = ok(requestExport(created(), "req-1", "a", T0)).state;
    const claimed = exportClaim(s, T0, SETTINGS)!.state;
    expect(exportDue(claimed.posExport, T0, SETTINGS.exportMaxAsks)).toBe("none");
    expect(claimed.posExport.asks).toBe(0);
  });
  it("an offline agent costs no ask: the order stays pending and asks again next poll", () => {
    let s = ok(requestExport(created(), "req-1", "a", T0)).state;
    s = exportAsked(s, "req-1", false, T0, SETTINGS)!.state;
    expect(s.posExport).toMatchObject({ state: "pending", asks: 0, nextAskAt: T0 + 60_000 });
  });
  it("created is final; a later retry is refused", () => {
    let s = ok(requestExport(created(), "req-1", "a", T0)).state;
    const c = exportResult(s, { requestId: "req-1", status: "created", posOrderId: "POS-77" }, T0 + 1)!;
    s = c.state;
    expect(s.posExport).toMatchObject({ state: "created", posOrderId: "POS-77" });
    expect(c.history[0]).toMatchObject({ action: "export.created", changes: { state: ["pending", "created"] } });
    expect(requestExport(s, "req-2", "a", T0 + 2)).toMatchObject({ ok: false, error: { code: "already_exported" } });
  });
  it("failed with the agent's log, announced; a retry starts a fresh request", () => {
    let s = ok(requestExport(created(), "req-1", "a", T0)).state;
    const c = exportResult(s, { requestId: "req-1", status: "failed", log: ["Блюдо 1001 не найдено"] }, T0 + 1)!;
    s = c.state;
    expect(s.posExport).toMatchObject({ state: "failed", reason: "Блюдо 1001 не найдено" });
    expect(s.posExport.log.some((l) => l.includes("agent: Блюдо 1001 не найдено"))).toBe(true);
    expect(c.announce).toEqual([{ kind: "export_failed" }]);
    s = ok(requestExport(s, "req-2", "a", T0 + 2)).state;
    expect(s.posExport).toMatchObject({ state: "pending", requestId: "req-2", asks: 0 });
  });
  it("an answer to an older request, or a repeat of the final one, changes nothing", () => {
    let s = ok(requestExport(created(), "req-1", "a", T0)).state;
    s = ok(requestExport({ ...s, posExport: { ...s.posExport, state: "failed" } }, "req-2", "a", T0)).state;
    expect(exportResult(s, { requestId: "req-1", status: "created" }, T0 + 1)).toBeNull();
    s = exportResult(s, { requestId: "req-2", status: "created" }, T0 + 1)!.state;
    expect(exportResult(s, { requestId: "req-2", status: "failed" }, T0 + 2)).toBeNull();
  });
  it("a cancelled order or one without items is not exported", () => {
    expect(requestExport(created(), "r", "a", T0).ok).toBe(true);
    const empty = createOrder(ORDER_ID, "acc_1", input({ items: [] }), "a", T0, SETTINGS).state;
    expect(requestExport(empty, "r", "a", T0)).toMatchObject({ ok: false, error: { code: "no_items" } });
    const cancelled = ok(cancelOrder(created(), "x", "a", T0)).state;
    expect(requestExport(cancelled, "r", "a", T0)).toMatchObject({ ok: false, error: { code: "order_cancelled" } });
  });
  it("the payload tells the POS whether the order is paid", () => {
    expect(exportPayload(created())).toMatchObject({ orderId: ORDER_ID, number: "4232-00200", paid: false, items: [{ name: "Борщ" }, { discountedPrice: 8_000 }] });
    expect(exportPayload(held(created())).paid).toBe(true);
  });
});

describe("history diff", () => {
  it("nested fields by dotted path, lists as a whole, nothing when equal", () => {
    expect(diff({ a: { b: 1, c: [1] } }, { a: { b: 2, c: [1] } })).toEqual({ "a.b": [1, 2] });
    expect(diff({ l: [1, 2] }, { l: [2] })).toEqual({ l: [[1, 2], [2]] });
    expect(diff({ x: null }, { x: undefined })).toEqual({});
  });
});
