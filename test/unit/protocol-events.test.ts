import { describe, expect, it } from "vitest";
import { AGENT_EVENT_TYPES, AgentEvent, CLOUD_EVENT_TYPES, EventBatch } from "../../src/protocol/events";
import { event, INVALID, nextIds, VALID } from "../fixtures/events";

describe("the event catalogue on the wire", () => {
  it("has all 22 seed notifications plus service print and the shift report", () => {
    const seed = [
      "precheck.cancelled", "check.annulled", "check.deleted", "dish.moved_in", "dish.moved_out",
      "dish.deleted_unsaved", "dish.deleted_saved", "pos.started", "pos.stopped", "connection.lost",
      "connection.restored", "check.closed", "order.saved", "order.exited_unsaved", "precheck.printed",
      "shift.closed", "employee.login", "employee.logout", "discount.removed", "discount.added",
      "loyalty_discount.added", "loyalty_discount.removed",
    ];
    expect(seed).toHaveLength(22);
    const all = new Set<string>([...AGENT_EVENT_TYPES, ...CLOUD_EVENT_TYPES]);
    for (const t of [...seed, "service_print", "report.shift"]) expect(all.has(t), t).toBe(true);
  });

  describe.each(AGENT_EVENT_TYPES)("%s", (type) => {
    it("accepts a valid example", () => {
      const r = AgentEvent.safeParse({ ...VALID[type], ...nextIds() });
      expect(r.success, JSON.stringify(r.error?.issues)).toBe(true);
    });
    it("refuses an example missing what the type needs", () => {
      expect(AgentEvent.safeParse({ ...INVALID[type], ...nextIds() }).success).toBe(false);
    });
  });

  it("requires id, seq, type and occurredAt on every event", () => {
    for (const drop of ["id", "seq", "type", "occurredAt"]) {
      const e = event("pos.started");
      delete e[drop];
      expect(AgentEvent.safeParse(e).success, drop).toBe(false);
    }
  });

  it("keeps unknown top-level fields in data instead of refusing them", () => {
    const r = AgentEvent.parse(event("employee.login", { tableColour: "green", data: { shiftNo: 3 } }));
    expect(r.data).toEqual({ tableColour: "green", shiftNo: 3 });
  });

  it("keeps unknown fields inside nested objects too", () => {
    const r = AgentEvent.parse(event("employee.login", { employee: { code: "1", name: "A", role: "Кассир" } }));
    expect(r.employee).toMatchObject({ role: "Кассир" });
  });

  it("refuses cloud-made types from an agent", () => {
    for (const type of CLOUD_EVENT_TYPES) {
      expect(AgentEvent.safeParse({ ...nextIds(), type, occurredAt: "2026-11-22T18:03:11+03:00", data: {} }).success, type).toBe(false);
    }
  });

  it("refuses money with kopecks as fractions", () => {
    expect(AgentEvent.safeParse(event("check.deleted", { amount: 2500.5 })).success).toBe(false);
  });

  it("accepts fractional quantities (weighed dishes)", () => {
    const items = [{ name: "Сёмга", quantity: 0.35, price: 400000, amount: 140000 }];
    expect(AgentEvent.safeParse(event("dish.deleted_saved", { items })).success).toBe(true);
  });
});

describe("a batch", () => {
  it("holds 1 to 500 events", () => {
    expect(EventBatch.safeParse({ events: [] }).success).toBe(false);
    const many = Array.from({ length: 500 }, () => event("order.saved"));
    expect(EventBatch.safeParse({ events: many }).success).toBe(true);
    expect(EventBatch.safeParse({ events: [...many, event("order.saved")] }).success).toBe(false);
  });

  it("is invalid as a whole when one event is, and says which", () => {
    const r = EventBatch.safeParse({ events: [event("order.saved"), { ...INVALID["check.deleted"], ...nextIds() }, event("order.saved")] });
    expect(r.success).toBe(false);
    expect(r.error!.issues[0]!.path.slice(0, 2)).toEqual(["events", 1]);
  });

  it("refuses the same id twice in one batch", () => {
    const e = event("order.saved");
    expect(EventBatch.safeParse({ events: [e, { ...e, seq: 99999 }] }).success).toBe(false);
  });
});
