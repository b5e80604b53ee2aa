import { describe, expect, it } from "vitest";
import {
  adjustmentFor,
  applyProviderStatus,
  isExpired,
  newPayment,
  nextExpiry,
  onCancelled,
  onCompleted,
  paidAmount,
  type ProviderStatus,
} from "../../../src/domain/orders/payments";
import type { Payment, PaymentState } from "../../../src/domain/orders/types";
import { T0 } from "./fixtures";

const EXPIRY = 1_800_000;
const online = (state: PaymentState = "pending", patch: Partial<Payment> = {}): Payment => ({
  ...newPayment("pay_x_1", { method: "online", amount: 32_000 }, T0, EXPIRY),
  state,
  ...patch,
});

describe("online payment reported by the provider", () => {
  const legal: Record<string, PaymentState> = {
    "pending on_hold": "on_hold",
    "on_hold captured": "captured",
    "pending released": "released",
    "on_hold released": "released",
    "pending failed": "failed",
  };
  const states: PaymentState[] = ["pending", "on_hold", "captured", "released", "expired", "failed", "refunded"];
  const reports: ProviderStatus[] = ["on_hold", "captured", "released", "refunded", "failed"];
  for (const state of states) {
    for (const status of reports) {
      const to = legal[`${state} ${status}`];
      if (state === status) {
        it(`${state} reported again changes nothing (a resent webhook)`, () => {
          const r = applyProviderStatus(online(state), status, T0 + 5);
          expect(r).toMatchObject({ ok: true, changed: false });
        });
      } else if (to) {
        it(`${state} → ${status}`, () => {
          const r = applyProviderStatus(online(state), status, T0 + 5, "prov-1");
          expect(r).toMatchObject({ ok: true, changed: true, payment: { state: to, updatedAt: T0 + 5, providerRef: "prov-1" } });
        });
      } else {
        it(`${state} cannot become ${status}: 409`, () => {
          const r = applyProviderStatus(online(state), status, T0 + 5);
          expect(r).toMatchObject({ ok: false, error: { status: 409, code: "illegal_transition" } });
        });
      }
    }
  }

  it("a refund is pending → refunded, never on hold", () => {
    const refund = newPayment("pay_x_2", { method: "online", kind: "refund", amount: 500 }, T0, EXPIRY);
    expect(refund.expiresAt).toBeNull();
    expect(applyProviderStatus(refund, "refunded", T0)).toMatchObject({ ok: true, payment: { state: "refunded" } });
    expect(applyProviderStatus(refund, "on_hold", T0)).toMatchObject({ ok: false });
  });

  it("a cash payment is not reported by a provider", () => {
    const cash = newPayment("pay_x_3", { method: "cash", amount: 100 }, T0, EXPIRY);
    expect(applyProviderStatus(cash, "on_hold", T0)).toMatchObject({ ok: false, error: { code: "not_online" } });
  });
});

describe("expiry", () => {
  it("an online payment expires PAYMENT_EXPIRY after it was made, only while pending", () => {
    const p = online();
    expect(p.expiresAt).toBe(T0 + EXPIRY);
    expect(isExpired(p, T0 + EXPIRY - 1)).toBe(false);
    expect(isExpired(p, T0 + EXPIRY)).toBe(true);
    expect(isExpired(online("on_hold"), T0 + EXPIRY * 2)).toBe(false);
    expect(newPayment("c", { method: "cash", amount: 1 }, T0, EXPIRY).expiresAt).toBeNull();
  });
  it("the next expiry is the earliest pending one", () => {
    expect(nextExpiry([online("pending", { expiresAt: 9 }), online("pending", { expiresAt: 5 }), online("on_hold", { expiresAt: 1 })])).toBe(5);
    expect(nextExpiry([])).toBeNull();
  });
});

describe("order completes or is cancelled", () => {
  it("completion captures a hold and takes cash; leaves a pending online payment alone", () => {
    expect(onCompleted(online("on_hold"), T0).state).toBe("captured");
    expect(onCompleted(online("pending"), T0).state).toBe("pending");
    expect(onCompleted(newPayment("c", { method: "cash", amount: 1 }, T0, EXPIRY), T0).state).toBe("captured");
  });
  it("cancellation releases holds and pending payments; captured stays captured", () => {
    expect(onCancelled(online("on_hold"), T0).state).toBe("released");
    expect(onCancelled(online("pending"), T0).state).toBe("released");
    expect(onCancelled(online("captured"), T0).state).toBe("captured");
  });
});

describe("change of total after a hold", () => {
  it("up → a surcharge for the difference, down → a partial refund, no hold → nothing", () => {
    expect(adjustmentFor([online("on_hold")], 32_000, 35_000)).toEqual({ kind: "surcharge", amount: 3_000 });
    expect(adjustmentFor([online("on_hold")], 32_000, 30_000)).toEqual({ kind: "refund", amount: 2_000 });
    expect(adjustmentFor([online("on_hold")], 32_000, 32_000)).toBeNull();
    expect(adjustmentFor([online("pending")], 32_000, 35_000)).toBeNull();
  });
  it("paid counts holds and captures, minus refunds", () => {
    const refund = { ...newPayment("r", { method: "online", kind: "refund", amount: 2_000 }, T0, EXPIRY) };
    expect(paidAmount([online("on_hold"), refund, online("pending", { id: "p2", amount: 7 })])).toBe(30_000);
  });
});
