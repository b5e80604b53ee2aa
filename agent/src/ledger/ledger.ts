/**
 * What happened in one common shift, in the terms reports need. Both sources
 * fill one: the simulator as it emits events, r_keeper from the cash server's
 * orders and receipts. Reports are computed from ledgers only (./reports.ts),
 * so a report always agrees with the events that were sent.
 */
export interface LedgerRef {
  code?: string;
  name: string;
}

export interface LedgerItem {
  code?: string;
  name: string;
  category?: string;
  quantity: number;
  /** Minor units per unit. */
  price: number;
  /** Minor units for the line. */
  amount: number;
}

export interface LedgerDiscount {
  code?: string;
  name: string;
  /** Minor units taken off (positive). */
  amount: number;
  /** Masked loyalty card, when the discount came from a loyalty system. */
  card?: string;
}

export interface LedgerPayment {
  method: string;
  amount: number;
}

export interface LedgerCheck {
  /** The POS's id of the check (receipt line guid, simulator id). */
  id: string;
  number?: string;
  orderId?: string;
  orderNumber?: string;
  table?: string;
  guests?: number;
  /** Instant with offset. */
  closedAt: string;
  waiter?: LedgerRef;
  cashier?: LedgerRef;
  station?: LedgerRef;
  items: LedgerItem[];
  discounts: LedgerDiscount[];
  payments: LedgerPayment[];
  /** Amount paid, minor units (after discounts). */
  total: number;
  /** Deleted or annulled checks are listed but not counted as revenue. */
  state: "closed" | "deleted" | "annulled";
}

export type DeletionKind = "dish.deleted_saved" | "dish.deleted_unsaved" | "check.deleted" | "check.annulled" | "precheck.cancelled";

export interface LedgerDeletion {
  at: string;
  kind: DeletionKind;
  orderNumber?: string;
  table?: string;
  items: LedgerItem[];
  amount: number;
  employee?: LedgerRef;
  manager?: LedgerRef;
  reason?: string;
  /** The event that announced it, when there was one. */
  eventId?: string;
}

export interface LedgerDiscountRemoval {
  at: string;
  orderNumber?: string;
  discount: LedgerDiscount;
  employee?: LedgerRef;
  loyalty: boolean;
}

export interface ShiftLedger {
  shift: { number: number; openedAt: string; closedAt?: string };
  currency: string;
  timezone: string;
  checks: LedgerCheck[];
  deletions: LedgerDeletion[];
  discountRemovals: LedgerDiscountRemoval[];
}

export function emptyLedger(shiftNumber: number, openedAt: string, currency: string, timezone: string): ShiftLedger {
  return { shift: { number: shiftNumber, openedAt }, currency, timezone, checks: [], deletions: [], discountRemovals: [] };
}
