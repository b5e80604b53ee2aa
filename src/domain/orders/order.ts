/**
 * The order as one aggregate: every command is a pure function from the
 * current state to the next one, with the history entries and announcements
 * it implies, or a refusal (and then nothing changed). The order object
 * persists the result atomically; it never decides anything itself.
 */
import type { OrderExport } from "../../protocol/orders";
import type { OrderInput } from "../../protocol/orders";
import { diff } from "./history";
import { paymentIdFor, problemIdFor } from "./ids";
import {
  adjustmentFor,
  applyProviderStatus,
  expire,
  isExpired,
  newPayment,
  nextExpiry,
  onCancelled,
  onCompleted,
  paidAmount,
  type ProviderStatus,
} from "./payments";
import { asked, exportAnswer, exportDue, giveUp, initialExport, requestExport as startExport } from "./pos-export";
import { moveProblem, newProblem, problemIndicator } from "./problems";
import {
  POS_EXPORT_COLOUR,
  type Actor,
  type Culprit,
  type DomainError,
  type HistoryEntry,
  type Json,
  type OrderCard,
  type OrderData,
  type OrderState,
  type Payment,
  type PaymentMethod,
  type PaymentState,
  type ProblemAction,
} from "./types";

export interface OrderSettings {
  paymentExpiryMs: number;
  exportPollMs: number;
  exportMaxAsks: number;
}

export type Announcement =
  | { kind: "problem"; problemId: string }
  | { kind: "payment"; paymentId: string; previousState: PaymentState | null }
  | { kind: "export_failed" };

export type NewHistory = Omit<HistoryEntry, "seq">;

export interface Change {
  state: OrderState;
  history: NewHistory[];
  announce: Announcement[];
}

/** `change: null` means the command was accepted and nothing needed to change (a repeat). */
export type Outcome = { ok: true; change: Change | null } | { ok: false; error: DomainError };

const refuse = (status: DomainError["status"], code: string, message: string): Outcome => ({
  ok: false,
  error: { status, code, message },
});

function dataFrom(input: OrderInput, prev: OrderData | null): OrderData {
  return {
    restaurantId: input.restaurantId,
    source: input.source,
    externalId: input.externalId,
    number: input.number,
    status: input.status ?? prev?.status ?? "new",
    operator: input.operator ?? null,
    client: {
      name: input.client?.name ?? null,
      phone: input.client?.phone ?? null,
      language: input.client?.language ?? null,
      note: input.client?.note ?? null,
    },
    delivery: {
      type: input.delivery.type,
      address: input.delivery.address ?? null,
      note: input.delivery.note ?? null,
      courier: input.delivery.courier ? { name: input.delivery.courier.name, phone: input.delivery.courier.phone ?? null } : null,
      price: input.delivery.price ?? null,
    },
    items: input.items.map((i) => ({
      ...(i.code !== undefined ? { code: i.code } : {}),
      name: i.name,
      quantity: i.quantity,
      price: i.price,
      ...(i.discountedPrice !== undefined ? { discountedPrice: i.discountedPrice } : {}),
    })),
    cutlery: input.cutlery ?? null,
    promotions: input.promotions,
    promoCodes: input.promoCodes,
    cashback: { spent: input.cashback?.spent ?? 0, accrued: input.cashback?.accrued ?? 0 },
    wishes: input.wishes ?? null,
    operatorComment: input.operatorComment ?? null,
    total: input.total,
    currency: input.currency,
    paymentMethod: input.paymentMethod ?? prev?.paymentMethod ?? null,
    needsCall: input.needsCall ?? prev?.needsCall ?? false,
    cancellation: prev?.cancellation ?? null,
  };
}

/** Appends payments with the next ids; returns the new list and history for each. */
function addPayments(
  s: OrderState,
  specs: Array<{ method: PaymentMethod; kind?: Payment["kind"]; amount: number; providerRef?: string | null }>,
  actor: Actor,
  now: number,
  cfg: OrderSettings,
): { payments: Payment[]; history: NewHistory[]; announce: Announcement[] } {
  const payments = [...s.payments];
  const history: NewHistory[] = [];
  const announce: Announcement[] = [];
  for (const spec of specs) {
    if (spec.amount <= 0) continue;
    const p = newPayment(paymentIdFor(s.id, payments.length + 1), spec, now, cfg.paymentExpiryMs);
    payments.push(p);
    history.push({ at: now, actor, action: "payment.created", changes: paymentDetail(p, null) });
    announce.push({ kind: "payment", paymentId: p.id, previousState: null });
  }
  return { payments, history, announce };
}

function paymentDetail(p: Payment, before: PaymentState | null): Record<string, Json> {
  return { paymentId: p.id, method: p.method, kind: p.kind, amount: p.amount, state: [before, p.state] };
}

/** Payment moves made by the order itself (completion, cancellation): history and announcements. */
function movePayments(
  payments: Payment[],
  f: (p: Payment) => Payment,
  actor: Actor,
  now: number,
): { payments: Payment[]; history: NewHistory[]; announce: Announcement[] } {
  const history: NewHistory[] = [];
  const announce: Announcement[] = [];
  const next = payments.map((p) => {
    const q = f(p);
    if (q.state !== p.state) {
      history.push({ at: now, actor, action: `payment.${q.state}`, changes: paymentDetail(q, p.state) });
      announce.push({ kind: "payment", paymentId: q.id, previousState: p.state });
    }
    return q;
  });
  return { payments: next, history, announce };
}

const bump = (s: OrderState, now: number, patch: Partial<OrderState>): OrderState => ({
  ...s,
  ...patch,
  version: s.version + 1,
  updatedAt: now,
});

/** A new order from its channel; its chosen payment method becomes its first payment(s). */
export function createOrder(id: string, accountId: string, input: OrderInput, actor: Actor, now: number, cfg: OrderSettings): Change {
  const data = dataFrom(input, null);
  const empty: OrderState = {
    id,
    accountId,
    version: 0,
    createdAt: now,
    updatedAt: now,
    data,
    problems: [],
    payments: [],
    posExport: initialExport(),
    historySeq: 0,
  };
  const history: NewHistory[] = [{ at: now, actor, action: "order.created", changes: diff({}, data) }];
  const specs: Array<{ method: PaymentMethod; amount: number }> = [];
  const cashback = Math.min(data.cashback.spent, data.total);
  if (cashback > 0) specs.push({ method: "cashback", amount: cashback });
  if (data.paymentMethod) specs.push({ method: data.paymentMethod, amount: data.total - cashback });
  const p = addPayments(empty, specs, actor, now, cfg);
  return {
    state: { ...empty, version: 1, payments: p.payments },
    history: [...history, ...p.history],
    announce: p.announce,
  };
}

const closed = (s: OrderState) => s.data.status === "cancelled" || s.data.status === "completed";

/** The channel sent the order again: what differs lands in the history; the same order again changes nothing. */
export function updateOrder(s: OrderState, input: OrderInput, actor: Actor, now: number, cfg: OrderSettings): Outcome {
  if (input.restaurantId !== s.data.restaurantId) {
    return refuse(409, "restaurant_mismatch", "an order cannot move to another restaurant; cancel it and create a new one");
  }
  const data = dataFrom(input, s.data);
  const changes = diff(s.data, data);
  if (Object.keys(changes).length === 0) return { ok: true, change: null };
  if (s.data.status === "cancelled") return refuse(409, "order_cancelled", "the order is cancelled and cannot change");
  if (s.data.status === "completed" && data.status !== "completed") {
    return refuse(409, "order_completed", "a completed order cannot go back to an earlier status");
  }

  const history: NewHistory[] = [{ at: now, actor, action: "order.updated", changes }];
  const announce: Announcement[] = [];
  let payments = s.payments;

  const adjust = adjustmentFor(payments, s.data.total, data.total);
  if (adjust) {
    const p = addPayments({ ...s, payments }, [{ method: "online", ...adjust }], actor, now, cfg);
    payments = p.payments;
    history.push(...p.history);
    announce.push(...p.announce);
  }
  if (data.paymentMethod === "online" && s.data.paymentMethod !== "online" && !payments.some(isLiveOnline)) {
    const due = data.total - paidAmount(payments);
    const p = addPayments({ ...s, payments }, [{ method: "online", amount: due }], actor, now, cfg);
    payments = p.payments;
    history.push(...p.history);
    announce.push(...p.announce);
  }
  if (data.status === "completed" && s.data.status !== "completed") {
    const m = movePayments(payments, (p) => onCompleted(p, now), actor, now);
    payments = m.payments;
    history.push(...m.history);
    announce.push(...m.announce);
  }
  return { ok: true, change: { state: bump(s, now, { data, payments }), history, announce } };
}

const isLiveOnline = (p: Payment) => p.method === "online" && p.kind !== "refund" && ["pending", "on_hold", "captured"].includes(p.state);

export function cancelOrder(s: OrderState, reason: string, actor: Actor, now: number): Outcome {
  if (s.data.status === "cancelled") return refuse(409, "order_cancelled", "the order is already cancelled");
  if (s.data.status === "completed") return refuse(409, "order_completed", "a completed order cannot be cancelled");
  const data: OrderData = { ...s.data, status: "cancelled", cancellation: { reason, actor, at: now } };
  const m = movePayments(s.payments, (p) => onCancelled(p, now), actor, now);
  const posExport = s.posExport.state === "pending" ? { ...s.posExport, nextAskAt: null } : s.posExport;
  return {
    ok: true,
    change: {
      state: bump(s, now, { data, payments: m.payments, posExport }),
      history: [{ at: now, actor, action: "order.cancelled", changes: { status: [s.data.status, "cancelled"], reason } }, ...m.history],
      announce: m.announce,
    },
  };
}

export function addProblem(s: OrderState, culprit: Culprit, description: string, actor: Actor, now: number): Outcome {
  const p = newProblem(problemIdFor(s.id, s.problems.length + 1), culprit, description, actor, now);
  return {
    ok: true,
    change: {
      state: bump(s, now, { problems: [...s.problems, p] }),
      history: [{ at: now, actor, action: "problem.created", changes: { problemId: p.id, culprit, description, state: [null, "new"] } }],
      announce: [{ kind: "problem", problemId: p.id }],
    },
  };
}

export function transitionProblem(
  s: OrderState,
  problemId: string,
  action: ProblemAction,
  actor: Actor,
  now: number,
  resolution?: string,
): Outcome {
  const i = s.problems.findIndex((p) => p.id === problemId);
  const current = s.problems[i];
  if (!current) return refuse(404, "not_found", `problem ${problemId} not found in this order`);
  const r = moveProblem(current, action, actor, now, resolution);
  if (!r.ok) return r;
  const problems = s.problems.map((p, j) => (j === i ? r.problem : p));
  return {
    ok: true,
    change: {
      state: bump(s, now, { problems }),
      history: [
        {
          at: now,
          actor,
          action: `problem.${action}`,
          changes: {
            problemId,
            state: [current.state, r.problem.state],
            ...(r.problem.resolution !== current.resolution ? { resolution: [current.resolution, r.problem.resolution] } : {}),
          },
        },
      ],
      // A reopened problem is new again: the chats hear about it (with its buttons) as about a new one.
      announce: action === "reopen" ? [{ kind: "problem", problemId }] : [],
    },
  };
}

export function addPayment(
  s: OrderState,
  p: { method: PaymentMethod; amount: number; providerRef: string | null },
  actor: Actor,
  now: number,
  cfg: OrderSettings,
): Outcome {
  if (closed(s)) return refuse(409, `order_${s.data.status}`, `the order is ${s.data.status}; no new payments`);
  const r = addPayments(s, [p], actor, now, cfg);
  return { ok: true, change: { state: bump(s, now, { payments: r.payments }), history: r.history, announce: r.announce } };
}

/** The payment provider's report (signed webhook). A repeat changes nothing. */
export function providerReport(
  s: OrderState,
  report: { paymentId: string; status: ProviderStatus; providerRef?: string | undefined; eventId?: string | undefined },
  actor: Actor,
  now: number,
): Outcome {
  const i = s.payments.findIndex((p) => p.id === report.paymentId);
  const current = s.payments[i];
  if (!current) return refuse(404, "not_found", `payment ${report.paymentId} not found in this order`);
  const r = applyProviderStatus(current, report.status, now, report.providerRef);
  if (!r.ok) return r;
  if (!r.changed) return { ok: true, change: null };
  const payments = s.payments.map((p, j) => (j === i ? r.payment : p));
  return {
    ok: true,
    change: {
      state: bump(s, now, { payments }),
      history: [
        {
          at: now,
          actor,
          action: `payment.${r.payment.state}`,
          changes: { ...paymentDetail(r.payment, current.state), ...(report.eventId ? { providerEventId: report.eventId } : {}) },
        },
      ],
      announce: [{ kind: "payment", paymentId: current.id, previousState: current.state }],
    },
  };
}

/**
 * Online payments still pending at their expiry: expired, the order falls
 * back to cash for that amount and needs a call. Idempotent: a second run at
 * the same moment finds nothing to do.
 */
export function expirePayments(s: OrderState, now: number, cfg: OrderSettings): Change | null {
  const due = s.payments.filter((p) => isExpired(p, now));
  if (due.length === 0) return null;
  const m = movePayments(s.payments, (p) => (isExpired(p, now) ? expire(p, now) : p), "system", now);
  const fallback = addPayments(
    { ...s, payments: m.payments },
    due.filter((p) => !closed(s)).map((p) => ({ method: "cash" as const, kind: p.kind, amount: p.amount })),
    "system",
    now,
    cfg,
  );
  const data: OrderData = closed(s) ? s.data : { ...s.data, paymentMethod: "cash", needsCall: true };
  const dataChanges = diff(s.data, data);
  return {
    state: bump(s, now, { data, payments: fallback.payments }),
    history: [
      ...m.history,
      ...(Object.keys(dataChanges).length > 0 ? [{ at: now, actor: "system", action: "order.needs_call", changes: dataChanges }] : []),
      ...fallback.history,
    ],
    announce: [...m.announce, ...fallback.announce],
  };
}

// ---------------------------------------------------------------- POS export

export function requestExport(s: OrderState, requestId: string, actor: Actor, now: number): Outcome {
  if (s.data.status === "cancelled") return refuse(409, "order_cancelled", "a cancelled order is not sent to the POS");
  if (s.data.items.length === 0) return refuse(409, "no_items", "the order has no items to send to the POS");
  const r = startExport(s.posExport, requestId, now);
  if (!r.ok) return r;
  return {
    ok: true,
    change: {
      state: bump(s, now, { posExport: r.export }),
      history: [{ at: now, actor, action: "export.requested", changes: { state: [s.posExport.state, "pending"], requestId } }],
      announce: [],
    },
  };
}

export { exportDue };

/**
 * Before handing the export to the agent: the next ask moves one poll away,
 * so an alarm firing while the order waits for the agent's link does not
 * ask a second time.
 */
export function exportClaim(s: OrderState, now: number, cfg: OrderSettings): Change | null {
  if (s.posExport.state !== "pending") return null;
  return { state: bump(s, now, { posExport: { ...s.posExport, nextAskAt: now + cfg.exportPollMs } }), history: [], announce: [] };
}

/** After the order handed (or could not hand) its export to the restaurant's agent. */
export function exportAsked(s: OrderState, requestId: string, sent: boolean, now: number, cfg: OrderSettings): Change | null {
  if (s.posExport.state !== "pending" || s.posExport.requestId !== requestId) return null;
  return { state: bump(s, now, { posExport: asked(s.posExport, sent, now, cfg.exportPollMs) }), history: [], announce: [] };
}

export function exportGiveUp(s: OrderState, now: number): Change | null {
  if (s.posExport.state !== "pending") return null;
  const posExport = giveUp(s.posExport, now);
  return {
    state: bump(s, now, { posExport }),
    history: [{ at: now, actor: "system", action: "export.failed", changes: { state: ["pending", "failed"], reason: posExport.reason } }],
    announce: [{ kind: "export_failed" }],
  };
}

export function exportResult(
  s: OrderState,
  answer: { requestId: string; status: "created" | "failed" | "pending"; posOrderId?: string | undefined; log?: string[] | undefined },
  now: number,
): Change | null {
  const r = exportAnswer(s.posExport, answer, now);
  if (!r.changed) return null;
  const settled = r.export.state !== "pending";
  return {
    state: bump(s, now, { posExport: r.export }),
    history: settled
      ? [
          {
            at: now,
            actor: "pos",
            action: `export.${r.export.state}`,
            changes: {
              state: ["pending", r.export.state],
              ...(r.export.posOrderId ? { posOrderId: r.export.posOrderId } : {}),
              ...(r.export.state === "failed" ? { reason: r.export.reason } : {}),
            },
          },
        ]
      : [],
    announce: r.export.state === "failed" ? [{ kind: "export_failed" }] : [],
  };
}

/** The order as the agent hands it to the POS. */
export function exportPayload(s: OrderState): OrderExport {
  const d = s.data;
  return {
    orderId: s.id,
    number: d.number,
    source: d.source,
    deliveryType: d.delivery.type,
    client: { ...(d.client.name ? { name: d.client.name } : {}), ...(d.client.phone ? { phone: d.client.phone } : {}) },
    ...(d.delivery.address ? { address: d.delivery.address } : {}),
    ...(d.wishes ? { comment: d.wishes } : {}),
    items: d.items.map((i) => ({
      ...(i.code ? { code: i.code } : {}),
      name: i.name,
      quantity: i.quantity,
      price: i.price,
      ...(i.discountedPrice !== undefined ? { discountedPrice: i.discountedPrice } : {}),
    })),
    total: d.total,
    currency: d.currency,
    paid: paidAmount(s.payments) >= d.total,
  };
}

// ---------------------------------------------------------------- reading

/** When the order's alarm must next look at it, per timer (null = not needed). */
export function timersOf(s: OrderState): { export: number | null; payments: number | null } {
  return {
    export: s.posExport.state === "pending" && s.data.status !== "cancelled" ? s.posExport.nextAskAt : null,
    payments: nextExpiry(s.payments),
  };
}

export function cardOf(s: OrderState, history: HistoryEntry[]): OrderCard {
  const { historySeq: _seq, ...rest } = s;
  return {
    ...rest,
    problemIndicator: problemIndicator(s.problems),
    posExportColour: POS_EXPORT_COLOUR[s.posExport.state],
    paid: paidAmount(s.payments),
    history,
  };
}
