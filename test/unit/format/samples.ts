/**
 * A valid event of every type, agent-sent ones from test/fixtures/events.ts
 * and the cloud-made ones here, parsed through the protocol's own schema.
 */
import { AnyEvent, EVENT_TYPES, type CloudEventType, type EventType, type TillEvent } from "../../../src/protocol/events";
import { VALID } from "../../fixtures/events";

export const CLOUD: Record<CloudEventType, Record<string, unknown>> = {
  "connection.lost": {
    type: "connection.lost",
    occurredAt: "2026-11-22T15:05:00Z",
    data: { agentId: "agt_1", agentName: "Касса 1", lastSeenAt: "2026-11-22T15:03:30Z", thresholdSeconds: 90 },
  },
  "connection.restored": {
    type: "connection.restored",
    occurredAt: "2026-11-22T16:08:30Z",
    data: { agentId: "agt_1", agentName: "Касса 1", lostAt: "2026-11-22T15:05:00Z", lastSeenAt: "2026-11-22T15:03:30Z", outageSeconds: 3900 },
  },
  "license.expiring": {
    type: "license.expiring",
    occurredAt: "2026-11-22T06:00:00Z",
    data: { agentId: "agt_1", agentName: "Касса 1", expiresAt: "2026-11-29T21:30:00Z", daysLeft: 7 },
  },
  "license.expired": {
    type: "license.expired",
    occurredAt: "2026-11-29T21:30:00Z",
    data: { agentId: "agt_1", agentName: "Касса 1", expiredAt: "2026-11-29T21:30:00Z" },
  },
  "order.problem": {
    type: "order.problem",
    occurredAt: "2026-11-22T15:03:11Z",
    order: { number: "A-77" },
    data: { orderId: "ord_1", problemId: "prb_7Qx", state: "new", culprit: "courier", description: "Курьер опоздал на 40 минут", actor: "Оператор Анна" },
  },
  "order.payment": {
    type: "order.payment",
    occurredAt: "2026-11-22T15:03:11Z",
    order: { number: "A-78" },
    amount: 125050,
    currency: "UAH",
    data: { orderId: "ord_2", paymentId: "pay_1", method: "online", state: "on_hold", previousState: "pending" },
  },
  "order.pos_export_failed": {
    type: "order.pos_export_failed",
    occurredAt: "2026-11-22T15:03:11Z",
    order: { number: "A-79" },
    reason: "Блюдо 1001 не найдено",
    data: { orderId: "ord_3", log: ["18:01 отправлен на кассу", "18:02 касса отказала: блюдо 1001 не найдено"] },
  },
};

const RAW: Record<EventType, Record<string, unknown>> = { ...VALID, ...CLOUD };

/** A parsed event of `type`, with `overrides` applied to the raw example first. */
export function sample(type: EventType, overrides: Record<string, unknown> = {}): TillEvent {
  return AnyEvent.parse({ id: `sample-${type}`, seq: 1, ...RAW[type], ...overrides }) as TillEvent;
}

export const ALL_TYPES: readonly EventType[] = EVENT_TYPES;
