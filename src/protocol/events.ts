/**
 * The event catalogue on the wire: one zod schema per event type.
 *
 * Every event shares the envelope `{ id, seq, type, occurredAt }` plus optional
 * context (station, employee, manager, order, items, reason, amount, currency,
 * data). Each type's schema says which of those it cannot do without. Fields
 * the schema does not know are not refused: they are folded into `data`, so a
 * newer agent can say more than an older cloud understands.
 */
import { z } from "zod";
import { Currency, Instant, Item, Money, OrderRef, PosText, Ref } from "./common";
import { Report } from "./report";

/** Types an agent may send. */
export const AGENT_EVENT_TYPES = [
  "precheck.cancelled",
  "check.annulled",
  "check.deleted",
  "dish.moved_in",
  "dish.moved_out",
  "dish.deleted_unsaved",
  "dish.deleted_saved",
  "pos.started",
  "pos.stopped",
  "check.closed",
  "order.saved",
  "order.exited_unsaved",
  "precheck.printed",
  "shift.closed",
  "employee.login",
  "employee.logout",
  "discount.added",
  "discount.removed",
  "loyalty_discount.added",
  "loyalty_discount.removed",
  "service_print",
  "report.shift",
  /** Something the agent saw at the POS but could not classify; kept raw for support. */
  "pos.unclassified",
  /** The agent's own trouble worth a human's attention (spool filling up, clock skew, POS login refused). */
  "agent.warning",
] as const;

/** Types only the cloud makes; a batch from an agent that contains one is invalid. */
export const CLOUD_EVENT_TYPES = [
  "connection.lost",
  "connection.restored",
  "license.expiring",
  "license.expired",
  "order.problem",
  "order.payment",
  "order.pos_export_failed",
] as const;

export type AgentEventType = (typeof AGENT_EVENT_TYPES)[number];
export type CloudEventType = (typeof CLOUD_EVENT_TYPES)[number];
export type EventType = AgentEventType | CloudEventType;
export const EVENT_TYPES: readonly EventType[] = [...AGENT_EVENT_TYPES, ...CLOUD_EVENT_TYPES];

const ENVELOPE_KEYS = [
  "id",
  "seq",
  "type",
  "occurredAt",
  "station",
  "employee",
  "manager",
  "order",
  "items",
  "reason",
  "amount",
  "currency",
  "data",
] as const;
const KNOWN_KEYS = new Set<string>(ENVELOPE_KEYS);

const Data = z.record(z.string(), z.unknown());

/** The envelope every event type starts from; context fields optional here. */
const Envelope = z.object({
  id: z.string().min(1).max(64),
  occurredAt: Instant,
  station: Ref.optional(),
  employee: Ref.optional(),
  manager: Ref.optional(),
  order: OrderRef.optional(),
  items: z.array(Item).max(500).optional(),
  reason: PosText.optional(),
  amount: Money.optional(),
  currency: Currency.optional(),
  data: Data.default({}),
});

const Discount = z.looseObject({
  code: z.string().max(64).optional(),
  name: PosText,
  /** Discount amount in minor units, when the POS knows it. */
  amount: Money.optional(),
  /** Percentage, when the discount is a percent one. */
  percent: z.number().min(0).max(100).optional(),
});

const Card = z.looseObject({
  /** Masked: the agent never sends a full card number. */
  number: z.string().max(64),
  holder: PosText.optional(),
  system: PosText.optional(),
});

const Payment = z.looseObject({ method: PosText, amount: Money, currency: Currency.optional() });

const Shift = z.looseObject({
  number: z.int(),
  openedAt: Instant.optional(),
  closedAt: Instant,
});

const PrintDocument = z.looseObject({
  printer: PosText.optional(),
  purpose: PosText.optional(),
  title: PosText.optional(),
  lines: z.array(z.string().max(500)).max(1000),
});

const required = { order: OrderRef, items: z.array(Item).min(1).max(500), employee: Ref, amount: Money } as const;
const dataWith = <S extends z.ZodRawShape>(shape: S) => z.looseObject(shape);

const Seq = z.int().min(1).refine(Number.isSafeInteger, "seq must be a safe integer");
/** An agent-sent type: numbered by the agent's `seq`. */
const t = <T extends AgentEventType, S extends z.ZodRawShape>(type: T, shape: S) =>
  Envelope.extend({ type: z.literal(type), seq: Seq, ...shape });
/** A cloud-made type: no agent sequence number. */
const c = <T extends CloudEventType, S extends z.ZodRawShape>(type: T, shape: S) =>
  Envelope.extend({ type: z.literal(type), seq: Seq.optional(), ...shape });

/** One schema per type. Context a type cannot do without is required here. */
export const EVENT_SCHEMAS = {
  "precheck.cancelled": t("precheck.cancelled", { order: required.order }),
  "check.annulled": t("check.annulled", { order: required.order, amount: required.amount }),
  "check.deleted": t("check.deleted", { order: required.order, amount: required.amount }),
  "dish.moved_in": t("dish.moved_in", {
    order: required.order,
    items: required.items,
    data: dataWith({ fromOrder: OrderRef }),
  }),
  "dish.moved_out": t("dish.moved_out", {
    order: required.order,
    items: required.items,
    data: dataWith({ toOrder: OrderRef }),
  }),
  "dish.deleted_unsaved": t("dish.deleted_unsaved", { order: required.order, items: required.items }),
  "dish.deleted_saved": t("dish.deleted_saved", { order: required.order, items: required.items }),
  "pos.started": t("pos.started", {}),
  "pos.stopped": t("pos.stopped", {}),
  "check.closed": t("check.closed", {
    order: required.order,
    amount: required.amount,
    data: dataWith({ payments: z.array(Payment).min(1).max(50) }),
  }),
  "order.saved": t("order.saved", { order: required.order }),
  "order.exited_unsaved": t("order.exited_unsaved", { order: required.order }),
  "precheck.printed": t("precheck.printed", { order: required.order }),
  "shift.closed": t("shift.closed", { data: dataWith({ shift: Shift }) }),
  "employee.login": t("employee.login", { employee: required.employee }),
  "employee.logout": t("employee.logout", { employee: required.employee }),
  "discount.added": t("discount.added", { order: required.order, data: dataWith({ discount: Discount }) }),
  "discount.removed": t("discount.removed", { order: required.order, data: dataWith({ discount: Discount }) }),
  "loyalty_discount.added": t("loyalty_discount.added", {
    order: required.order,
    data: dataWith({ card: Card, discount: Discount.optional() }),
  }),
  "loyalty_discount.removed": t("loyalty_discount.removed", {
    order: required.order,
    data: dataWith({ card: Card, discount: Discount.optional() }),
  }),
  service_print: t("service_print", { data: dataWith({ document: PrintDocument }) }),
  "report.shift": t("report.shift", { data: dataWith({ report: Report }) }),
  "pos.unclassified": t("pos.unclassified", {
    data: dataWith({ source: z.string().max(64), raw: z.string().max(200_000), why: PosText.optional() }),
  }),
  "agent.warning": t("agent.warning", {
    data: dataWith({ code: z.string().max(64), message: PosText }),
  }),
  // Cloud-made events. Their schemas exist so the journal, the router and the
  // formatters see one shape, but the agent batch schema refuses them.
  "connection.lost": c("connection.lost", {
    data: dataWith({ agentId: z.string(), lastSeenAt: Instant, thresholdSeconds: z.int() }),
  }),
  "connection.restored": c("connection.restored", {
    data: dataWith({ agentId: z.string(), lostAt: Instant, lastSeenAt: Instant, outageSeconds: z.int().min(0) }),
  }),
  "license.expiring": c("license.expiring", {
    data: dataWith({ agentId: z.string(), agentName: PosText, expiresAt: Instant, daysLeft: z.int() }),
  }),
  "license.expired": c("license.expired", {
    data: dataWith({ agentId: z.string(), agentName: PosText, expiredAt: Instant }),
  }),
  "order.problem": c("order.problem", {
    data: dataWith({
      orderId: z.string(),
      problemId: z.string(),
      state: z.string(),
      culprit: z.string(),
      description: PosText,
      actor: PosText.optional(),
    }),
  }),
  "order.payment": c("order.payment", {
    data: dataWith({
      orderId: z.string(),
      paymentId: z.string(),
      method: z.string(),
      state: z.string(),
      previousState: z.string().optional(),
    }),
  }),
  "order.pos_export_failed": c("order.pos_export_failed", {
    data: dataWith({ orderId: z.string(), log: z.array(z.string().max(2000)).max(100) }),
  }),
} satisfies { [K in EventType]: z.ZodType };

type Schemas = typeof EVENT_SCHEMAS;
/** A validated event of any type, discriminated on `type`. */
export type TillEvent = { [K in EventType]: z.output<Schemas[K]> }[EventType];
export type EventOf<K extends EventType> = z.output<Schemas[K]>;

/**
 * Moves top-level fields the envelope does not know into `data`; an explicit
 * `data` key wins over a stray top-level one with the same name.
 */
export function foldUnknownIntoData(input: unknown): unknown {
  if (typeof input !== "object" || input === null || Array.isArray(input)) return input;
  const src = input as Record<string, unknown>;
  const out: Record<string, unknown> = {};
  const extra: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(src)) {
    if (KNOWN_KEYS.has(k)) out[k] = v;
    else extra[k] = v;
  }
  if (Object.keys(extra).length === 0) return out;
  const data = src.data;
  if (data === undefined) out.data = extra;
  else if (typeof data === "object" && data !== null && !Array.isArray(data)) out.data = { ...extra, ...data };
  return out;
}

const agentSchemas = AGENT_EVENT_TYPES.map((k) => EVENT_SCHEMAS[k]) as unknown as [
  Schemas[AgentEventType],
  ...Schemas[AgentEventType][],
];
const allSchemas = EVENT_TYPES.map((k) => EVENT_SCHEMAS[k]) as unknown as [Schemas[EventType], ...Schemas[EventType][]];

/** An event as an agent may send it (cloud-made types are refused). */
export const AgentEvent = z.preprocess(foldUnknownIntoData, z.discriminatedUnion("type", agentSchemas));
/** Any event of the catalogue, including cloud-made ones (used when reading the journal back). */
export const AnyEvent = z.preprocess(foldUnknownIntoData, z.discriminatedUnion("type", allSchemas));

/** Limits of one `POST /agent/v1/events` call. */
export const BATCH_MAX_EVENTS = 500;
export const BATCH_MAX_BYTES = 1024 * 1024;

export const EventBatch = z
  .object({
    events: z.array(AgentEvent).min(1).max(BATCH_MAX_EVENTS),
    /**
     * Optional: every seq below `floorSeq` is either already acknowledged or
     * will never be sent (the agent lost or never had it). Lets `ackSeq` move
     * past a permanent gap, e.g. after an agent was reinstalled.
     */
    floorSeq: z.int().min(1).optional(),
  })
  .superRefine((batch, ctx) => {
    const seen = new Map<string, number>();
    batch.events.forEach((e, i) => {
      const first = seen.get(e.id);
      if (first !== undefined) {
        ctx.addIssue({ code: "custom", path: ["events", i, "id"], message: `duplicate id in batch (also at events[${first}])` });
      } else seen.set(e.id, i);
    });
  });
export type EventBatch = z.infer<typeof EventBatch>;

export const EventBatchResult = z.object({
  accepted: z.int(),
  duplicates: z.int(),
  ackSeq: z.int(),
});
export type EventBatchResult = z.infer<typeof EventBatchResult>;
