/** The order as the cloud hands it to an agent for creation in the POS (`order.export`). */
import { z } from "zod";
import { Currency, Money, PosText } from "./common";

export const ExportItem = z.object({
  code: z.string().max(64).optional(),
  name: PosText,
  quantity: z.number().positive(),
  price: Money,
  discountedPrice: Money.optional(),
});

export const OrderExport = z.object({
  orderId: z.string().max(64),
  number: z.string().max(64),
  source: z.string().max(32),
  deliveryType: z.string().max(32),
  client: z.object({ name: PosText.optional(), phone: z.string().max(32).optional() }).optional(),
  address: PosText.optional(),
  comment: PosText.optional(),
  items: z.array(ExportItem).min(1).max(500),
  total: Money,
  currency: Currency,
  paid: z.boolean(),
});
export type OrderExport = z.infer<typeof OrderExport>;

// ---------------------------------------------------------------- orders API (/api/v1)

export const ORDER_SOURCES = ["site", "ios", "android", "call_center", "pos"] as const;
export const DELIVERY_TYPES = ["home", "door", "pickup", "table_booking", "to_table", "to_room"] as const;
/** The order's own life; `cancelled` only through the cancel call (it needs a reason and an actor). */
export const ORDER_STATUSES = ["new", "accepted", "cooking", "ready", "delivering", "completed", "cancelled"] as const;
export const CULPRITS = ["restaurant", "courier", "operator", "client", "other"] as const;
export const PAYMENT_METHODS = ["cash", "terminal", "online", "cashback"] as const;
export const PROBLEM_ACTIONS = ["take", "resolve", "reject", "reopen"] as const;

const Text = (max: number) => z.string().trim().min(1).max(max);
/** Who did it, as the ordering channel names its operator ("Dots_Designer", an id, …). */
export const Actor = Text(200);

export const OrderItemInput = z.strictObject({
  code: z.string().max(64).optional(),
  name: Text(500),
  quantity: z.number().positive().max(100_000),
  /** Price of one unit before discounts, minor units. */
  price: Money.refine((n) => n >= 0, "must not be negative"),
  /** Price of one unit after a promotion, when one applies. */
  discountedPrice: Money.refine((n) => n >= 0, "must not be negative").optional(),
});

export const OrderInput = z.strictObject({
  restaurantId: z.string().min(1).max(64),
  source: z.enum(ORDER_SOURCES),
  externalId: Text(128),
  number: Text(64),
  status: z.enum(ORDER_STATUSES).exclude(["cancelled"]).optional(),
  operator: Text(200).optional(),
  client: z
    .strictObject({
      name: Text(200).optional(),
      phone: z.string().trim().max(32).optional(),
      language: z.string().trim().max(16).optional(),
      note: z.string().max(2000).optional(),
    })
    .optional(),
  delivery: z.strictObject({
    type: z.enum(DELIVERY_TYPES),
    address: z.string().max(1000).optional(),
    note: z.string().max(2000).optional(),
    courier: z.strictObject({ name: Text(200), phone: z.string().max(32).optional() }).optional(),
    price: Money.optional(),
  }),
  items: z.array(OrderItemInput).max(500).default([]),
  cutlery: z.int().min(0).max(1000).optional(),
  promotions: z.array(Text(500)).max(50).default([]),
  promoCodes: z.array(Text(100)).max(50).default([]),
  cashback: z.strictObject({ spent: Money.default(0), accrued: Money.default(0) }).optional(),
  wishes: z.string().max(2000).optional(),
  operatorComment: z.string().max(2000).optional(),
  /** What the client pays in all, delivery included, minor units. */
  total: Money.refine((n) => n >= 0, "must not be negative"),
  currency: Currency.default("UAH"),
  /** The payment method the client chose; an online one creates a pending payment awaiting the provider. */
  paymentMethod: z.enum(PAYMENT_METHODS).optional(),
  /** `false` once an operator has called the client about an expired online payment. */
  needsCall: z.boolean().optional(),
  actor: Actor,
});
export type OrderInput = z.output<typeof OrderInput>;

export const CancelOrder = z.strictObject({ reason: Text(1000), actor: Actor });
export type CancelOrder = z.output<typeof CancelOrder>;

export const CreateProblem = z.strictObject({
  culprit: z.enum(CULPRITS),
  description: Text(2000),
  actor: Actor,
});
export type CreateProblem = z.output<typeof CreateProblem>;

export const TransitionProblem = z.strictObject({
  action: z.enum(PROBLEM_ACTIONS),
  actor: Actor,
  /** Required to resolve: what was done. */
  resolution: Text(2000).optional(),
});
export type TransitionProblem = z.output<typeof TransitionProblem>;

export const AddPayment = z.strictObject({
  method: z.enum(PAYMENT_METHODS),
  amount: Money.refine((n) => n > 0, "must be positive"),
  providerRef: z.string().max(128).optional(),
  actor: Actor,
});
export type AddPayment = z.output<typeof AddPayment>;

export const ExportRequest = z.strictObject({ actor: Actor });

// ---------------------------------------------------------------- payment provider webhook

/** What a payment provider reports about one payment (POST /payments/v1/webhook, signed). */
export const PaymentWebhook = z.strictObject({
  /** The provider's id for this notification: a resend is answered again and changes nothing. */
  eventId: z.string().min(1).max(128),
  orderId: z.string().min(1).max(64),
  paymentId: z.string().min(1).max(64),
  status: z.enum(["on_hold", "captured", "released", "refunded", "failed"]),
  providerRef: z.string().max(128).optional(),
});
export type PaymentWebhook = z.output<typeof PaymentWebhook>;

export const PAYMENT_KEY_ID_HEADER = "X-Payment-Key-Id";
export const PAYMENT_TIMESTAMP_HEADER = "X-Payment-Timestamp";
export const PAYMENT_SIGNATURE_HEADER = "X-Payment-Signature";

/** `POST /admin/api/api-keys`: a key for the orders API (bearer) or for a payment provider's webhook (HMAC). */
export const CreateApiKey = z.strictObject({
  accountId: z.string().min(1).max(64),
  name: Text(200),
  scope: z.enum(["orders", "payments"]).default("orders"),
});
export type CreateApiKey = z.output<typeof CreateApiKey>;
