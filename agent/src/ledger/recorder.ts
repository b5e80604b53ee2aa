/**
 * Builds a shift ledger from the events a source emitted, so reports list
 * exactly what the chats were told: every `check.closed` is a check, every
 * deletion event a deletion row. Pure.
 */
import type { EventDraft } from "../source";
import type { DeletionKind, LedgerCheck, LedgerDiscount, LedgerItem, LedgerRef, ShiftLedger } from "./ledger";

const DELETIONS = new Set<string>(["dish.deleted_saved", "dish.deleted_unsaved", "check.deleted", "check.annulled", "precheck.cancelled"]);

const ref = (r: { code?: string; name: string } | undefined): LedgerRef | undefined => (r ? { ...(r.code ? { code: r.code } : {}), name: r.name } : undefined);

function items(d: EventDraft): LedgerItem[] {
  return (d.items ?? []).map((i) => ({
    ...(i.code ? { code: i.code } : {}),
    name: i.name,
    ...(typeof i.category === "string" ? { category: i.category } : {}),
    quantity: i.quantity,
    price: i.price ?? 0,
    amount: i.amount ?? Math.round((i.price ?? 0) * i.quantity),
  }));
}

/** Applies one event to the ledger (ignores types that do not matter to reports). Returns true when it changed. */
export function recordDraft(ledger: ShiftLedger, d: EventDraft): boolean {
  const data = d.data ?? {};
  if (d.type === "check.closed") {
    if (ledger.checks.some((c) => c.id === d.id)) return false;
    const payments = Array.isArray(data.payments) ? (data.payments as Array<{ method: string; amount: number }>) : [];
    const discounts = Array.isArray(data.discounts) ? (data.discounts as LedgerDiscount[]) : [];
    const check: LedgerCheck = {
      id: d.id,
      ...(typeof data.checkNumber === "string" ? { number: data.checkNumber } : {}),
      ...(d.order?.id ? { orderId: d.order.id } : {}),
      ...(d.order?.number ? { orderNumber: d.order.number } : {}),
      ...(d.order?.table ? { table: d.order.table } : {}),
      ...(d.order?.guests !== undefined ? { guests: d.order.guests } : {}),
      closedAt: d.occurredAt,
      ...(d.order?.waiter ? { waiter: ref(d.order.waiter) } : d.employee ? { waiter: ref(d.employee) } : {}),
      ...(d.employee ? { cashier: ref(d.employee) } : {}),
      ...(d.station ? { station: ref(d.station) } : {}),
      items: items(d),
      discounts: discounts.map((x) => ({ ...x, amount: Math.abs(x.amount ?? 0) })),
      payments: payments.map((p) => ({ method: p.method, amount: p.amount })),
      total: d.amount ?? payments.reduce((s, p) => s + p.amount, 0),
      state: "closed",
    };
    ledger.checks.push(check);
    return true;
  }
  if (DELETIONS.has(d.type)) {
    if (ledger.deletions.some((x) => x.eventId === d.id)) return false;
    if (d.type === "check.deleted" || d.type === "check.annulled") {
      const checkNumber = typeof data.checkNumber === "string" ? data.checkNumber : undefined;
      const target = [...ledger.checks]
        .reverse()
        .find((c) => c.state === "closed" && ((checkNumber && c.number === checkNumber) || (!checkNumber && d.order?.id && c.orderId === d.order.id)));
      if (target) target.state = d.type === "check.deleted" ? "deleted" : "annulled";
    }
    ledger.deletions.push({
      at: d.occurredAt,
      kind: d.type as DeletionKind,
      ...(d.order?.number ? { orderNumber: d.order.number } : {}),
      ...(d.order?.table ? { table: d.order.table } : {}),
      items: items(d),
      amount: d.amount ?? items(d).reduce((s, i) => s + i.amount, 0),
      ...(d.employee ? { employee: ref(d.employee) } : {}),
      ...(d.manager ? { manager: ref(d.manager) } : {}),
      ...(d.reason ? { reason: d.reason } : {}),
      eventId: d.id,
    });
    return true;
  }
  if (d.type === "discount.removed" || d.type === "loyalty_discount.removed") {
    const disc = (data.discount ?? {}) as { code?: string; name?: string; amount?: number };
    const card = (data.card ?? undefined) as { number?: string } | undefined;
    ledger.discountRemovals.push({
      at: d.occurredAt,
      ...(d.order?.number ? { orderNumber: d.order.number } : {}),
      discount: { ...(disc.code ? { code: disc.code } : {}), name: disc.name ?? "?", amount: Math.abs(disc.amount ?? 0), ...(card?.number ? { card: card.number } : {}) },
      ...(d.employee ? { employee: ref(d.employee) } : {}),
      loyalty: d.type === "loyalty_discount.removed",
    });
    return true;
  }
  return false;
}
