/**
 * Payments of an order (several per order). Online: `pending → on_hold`
 * (counts as paid) `→ captured` when the order completes or `→ released`
 * when it is cancelled; still pending after the expiry → `expired`, and the
 * order falls back to cash and needs a call. A refund is `pending → refunded`.
 * Cash, terminal and cashback: `pending → captured | released`.
 */
import type { DomainError, Payment, PaymentKind, PaymentMethod, PaymentState } from "./types";

export type ProviderStatus = "on_hold" | "captured" | "released" | "refunded" | "failed";

/** From which states a provider's report may move a payment (refunds have their own column). */
const PROVIDER_MOVES: Record<ProviderStatus, { payment: readonly PaymentState[]; refund: readonly PaymentState[] }> = {
  on_hold: { payment: ["pending"], refund: [] },
  captured: { payment: ["on_hold"], refund: [] },
  released: { payment: ["pending", "on_hold"], refund: [] },
  refunded: { payment: [], refund: ["pending"] },
  failed: { payment: ["pending"], refund: ["pending"] },
};

export function newPayment(
  id: string,
  p: { method: PaymentMethod; kind?: PaymentKind; amount: number; providerRef?: string | null },
  now: number,
  expiryMs: number,
): Payment {
  const kind = p.kind ?? "payment";
  return {
    id,
    method: p.method,
    kind,
    amount: p.amount,
    state: "pending",
    providerRef: p.providerRef ?? null,
    expiresAt: p.method === "online" && kind !== "refund" ? now + expiryMs : null,
    createdAt: now,
    updatedAt: now,
  };
}

const moved = (p: Payment, state: PaymentState, now: number, providerRef?: string | null): Payment => ({
  ...p,
  state,
  expiresAt: state === "pending" ? p.expiresAt : null,
  providerRef: providerRef ?? p.providerRef,
  updatedAt: now,
});

/**
 * A provider's report. The same report twice is not an error: `changed:
 * false` (a webhook may be resent). A move the state does not allow is 409.
 */
export function applyProviderStatus(
  p: Payment,
  status: ProviderStatus,
  now: number,
  providerRef?: string,
): { ok: true; payment: Payment; changed: boolean } | { ok: false; error: DomainError } {
  if (p.method !== "online") {
    return { ok: false, error: { status: 409, code: "not_online", message: `a ${p.method} payment is not reported by a provider` } };
  }
  if (p.state === status) return { ok: true, payment: p, changed: false };
  const allowed = PROVIDER_MOVES[status][p.kind === "refund" ? "refund" : "payment"];
  if (!allowed.includes(p.state)) {
    return {
      ok: false,
      error: { status: 409, code: "illegal_transition", message: `a ${p.kind} that is ${p.state} cannot become ${status}` },
    };
  }
  return { ok: true, payment: moved(p, status, now, providerRef), changed: true };
}

export const isExpired = (p: Payment, now: number): boolean =>
  p.state === "pending" && p.expiresAt !== null && p.expiresAt <= now;

export function expire(p: Payment, now: number): Payment {
  return moved(p, "expired", now);
}

/** The order completed: holds are captured, offline payments taken. */
export function onCompleted(p: Payment, now: number): Payment {
  if (p.kind === "refund") return p;
  if (p.method === "online") return p.state === "on_hold" ? moved(p, "captured", now) : p;
  return p.state === "pending" ? moved(p, "captured", now) : p;
}

/** The order was cancelled: holds and everything not yet taken are released. */
export function onCancelled(p: Payment, now: number): Payment {
  if (p.kind === "refund") return p;
  return p.state === "pending" || p.state === "on_hold" ? moved(p, "released", now) : p;
}

/** Whether money is held or taken online, so a change of total needs a surcharge or a refund. */
export const hasOnlineHold = (payments: readonly Payment[]): boolean =>
  payments.some((p) => p.method === "online" && p.kind !== "refund" && (p.state === "on_hold" || p.state === "captured"));

/**
 * The payment a change of total calls for after a hold: a surcharge when it
 * went up, a partial refund when it went down, nothing otherwise.
 */
export function adjustmentFor(
  payments: readonly Payment[],
  oldTotal: number,
  newTotal: number,
): { kind: "surcharge" | "refund"; amount: number } | null {
  if (newTotal === oldTotal || !hasOnlineHold(payments)) return null;
  return newTotal > oldTotal ? { kind: "surcharge", amount: newTotal - oldTotal } : { kind: "refund", amount: oldTotal - newTotal };
}

/** Held or taken, minus refunds asked for or made. */
export function paidAmount(payments: readonly Payment[]): number {
  let sum = 0;
  for (const p of payments) {
    if (p.kind === "refund") {
      if (p.state === "pending" || p.state === "refunded") sum -= p.amount;
    } else if (p.state === "on_hold" || p.state === "captured") sum += p.amount;
  }
  return sum;
}

/** Next expiry among pending online payments, for the order's alarm. */
export function nextExpiry(payments: readonly Payment[]): number | null {
  let next: number | null = null;
  for (const p of payments) {
    if (p.state === "pending" && p.expiresAt !== null && (next === null || p.expiresAt < next)) next = p.expiresAt;
  }
  return next;
}
