/**
 * The operator's order card (../shared/seeds/order-card-uk.txt) as one value:
 * the order's data, its problems, payments, POS export state and history.
 * The order object owns it; D1 holds a projection for lists and the panel.
 */
import type {
  CULPRITS,
  DELIVERY_TYPES,
  ORDER_SOURCES,
  ORDER_STATUSES,
  PAYMENT_METHODS,
  PROBLEM_ACTIONS,
} from "../../protocol/orders";

export type OrderSource = (typeof ORDER_SOURCES)[number];
export type DeliveryType = (typeof DELIVERY_TYPES)[number];
export type OrderStatus = (typeof ORDER_STATUSES)[number];
export type Culprit = (typeof CULPRITS)[number];
export type PaymentMethod = (typeof PAYMENT_METHODS)[number];
export type ProblemAction = (typeof PROBLEM_ACTIONS)[number];

/**
 * Who did something: `api:<keyId>:<name>`, `user:<id>:<name>`,
 * `telegram:<userId>:<name>`, `provider:<keyId>`, or `system`.
 */
export type Actor = string;

export interface OrderItem {
  code?: string | undefined;
  name: string;
  quantity: number;
  price: number;
  discountedPrice?: number | undefined;
}

/** The part of the card the ordering channel sends (create/update). */
export interface OrderData {
  restaurantId: string;
  source: OrderSource;
  externalId: string;
  number: string;
  status: OrderStatus;
  operator: string | null;
  client: { name: string | null; phone: string | null; language: string | null; note: string | null };
  delivery: {
    type: DeliveryType;
    address: string | null;
    note: string | null;
    courier: { name: string; phone: string | null } | null;
    price: number | null;
  };
  items: OrderItem[];
  cutlery: number | null;
  promotions: string[];
  promoCodes: string[];
  cashback: { spent: number; accrued: number };
  wishes: string | null;
  operatorComment: string | null;
  total: number;
  currency: string;
  /** What the client pays with now; falls back to cash when an online payment expires. */
  paymentMethod: PaymentMethod | null;
  /** Set when an online payment expired: an operator must call the client; not auto-dispatched. */
  needsCall: boolean;
  cancellation: { reason: string; actor: Actor; at: number } | null;
}

export type ProblemState = "new" | "in_progress" | "resolved" | "rejected";
export type ProblemIndicator = "orange" | "yellow" | "green" | "grey";

export interface ProblemTransition {
  from: ProblemState | null;
  to: ProblemState;
  actor: Actor;
  at: number;
  resolution?: string | undefined;
}

export interface Problem {
  id: string;
  culprit: Culprit;
  description: string;
  state: ProblemState;
  resolution: string | null;
  createdBy: Actor;
  createdAt: number;
  updatedBy: Actor;
  updatedAt: number;
  /** Every transition with who and when, oldest first (creation included). */
  transitions: ProblemTransition[];
}

export type PaymentKind = "payment" | "surcharge" | "refund";
/**
 * Online: pending → on_hold → captured | released; pending → expired | failed | released.
 * Refund: pending → refunded | failed. Cash, terminal and cashback: pending → captured | released.
 */
export type PaymentState = "pending" | "on_hold" | "captured" | "released" | "expired" | "failed" | "refunded";

export interface Payment {
  id: string;
  method: PaymentMethod;
  kind: PaymentKind;
  amount: number;
  state: PaymentState;
  providerRef: string | null;
  /** For a pending online payment: when it expires. */
  expiresAt: number | null;
  createdAt: number;
  updatedAt: number;
}

export type PosExportState = "not_sent" | "pending" | "created" | "failed";
/** The button's colour in the panel. */
export const POS_EXPORT_COLOUR: Record<PosExportState, "grey" | "orange" | "green" | "red"> = {
  not_sent: "grey",
  pending: "orange",
  created: "green",
  failed: "red",
};

export interface PosExport {
  state: PosExportState;
  /** The current request's id on the agent link; a new one per retry. */
  requestId: string | null;
  /** How many times the current request was actually handed to the agent. */
  asks: number;
  requestedAt: number | null;
  lastAskedAt: number | null;
  /** When the order next re-asks the agent (pending only). */
  nextAskAt: number | null;
  posOrderId: string | null;
  reason: string | null;
  /** What the agent and the cloud said, oldest first (bounded). */
  log: string[];
}

export interface HistoryEntry {
  seq: number;
  at: number;
  actor: Actor;
  action: string;
  /** `{ field: [before, after] }` for data changes, or the action's detail. */
  changes: Record<string, Json>;
}

/** The order object's whole state, without the history (which is append-only rows). */
export interface OrderState {
  id: string;
  accountId: string;
  version: number;
  createdAt: number;
  updatedAt: number;
  data: OrderData;
  problems: Problem[];
  payments: Payment[];
  posExport: PosExport;
  /** Last history seq used. */
  historySeq: number;
}

/** What a reader gets: the state with its derived figures and the whole history. */
export interface OrderCard extends Omit<OrderState, "historySeq"> {
  problemIndicator: ProblemIndicator;
  posExportColour: "grey" | "orange" | "green" | "red";
  /** Sum of on_hold and captured payments minus refunds, minor units. */
  paid: number;
  history: HistoryEntry[];
}

/** A row of the current-orders list (from D1). */
export interface OrderSummary {
  id: string;
  restaurantId: string;
  source: OrderSource;
  externalId: string;
  number: string;
  status: string;
  operator: string | null;
  deliveryType: string;
  total: number;
  currency: string;
  problemIndicator: ProblemIndicator;
  paymentMethod: string | null;
  needsCall: boolean;
  posExportState: PosExportState;
  updatedAt: number;
}

/** What a history entry's detail may hold (plain JSON, so it crosses RPC and D1 as is). */
export type Json = string | number | boolean | null | object;

/** A refusal from a state machine: 409 for an illegal move, 400 for a bad request, 404 for an unknown target. */
export interface DomainError {
  status: 400 | 404 | 409;
  code: string;
  message: string;
}
