/**
 * r_keeper HTTP Order Notify → contract events, on XML fixtures written from
 * the public documentation and the observed driver log (see
 * ../shared/research/rkeeper.md §2.1). The fixtures run in order, as one
 * evening at one cash station: each event is classified against the order as
 * the previous event left it, the way the agent does it.
 */
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { AgentEvent } from "../../src/protocol/events";
import { finalizeDraft } from "../src/events/finalize";
import { classifyNotify, type ClassifyContext } from "../src/rkeeper7/classify";
import { parseNotify, peekGuid } from "../src/rkeeper7/notify-doc";
import type { RkOrder } from "../src/rkeeper7/order-model";
import { guid, localTime, money, quantity } from "../src/rkeeper7/units";
import type { EventDraft } from "../src/source";

const dir = path.join(import.meta.dirname, "fixtures", "rk7");
const fixture = (name: string) => readFileSync(path.join(dir, name), "utf8");
const ctx: ClassifyContext = { timezone: "Europe/Moscow", currency: "RUB" };

/** Classifies the fixtures in order, keeping the last seen order like the agent does. */
function evening(): Map<string, EventDraft[]> {
  const orders = new Map<string, RkOrder>();
  const out = new Map<string, EventDraft[]>();
  for (const name of readdirSync(dir).filter((n) => n.endsWith(".xml")).sort()) {
    const xml = fixture(name);
    const doc = parseNotify(xml, ctx.timezone);
    const prev = doc.order ? orders.get(doc.order.guid) : undefined;
    out.set(name, classifyNotify(doc, xml, prev, ctx).drafts);
    if (doc.order) orders.set(doc.order.guid, doc.order);
  }
  return out;
}

const result = evening();
const of = (name: string) => {
  const d = result.get(name);
  if (!d) throw new Error(`no fixture ${name}`);
  return d;
};

describe("r_keeper units", () => {
  it("reads kopecks, thousandths, braced GUIDs and local times in the restaurant's zone", () => {
    expect(money("250000")).toBe(250000);
    expect(money("-12000")).toBe(-12000);
    expect(quantity("1500")).toBe(1.5);
    expect(guid("5c2a1f00-1111-4222-8333-444455556666")).toBe("{5C2A1F00-1111-4222-8333-444455556666}");
    expect(localTime("2026-11-22T18:03:11", "Europe/Moscow")).toBe("2026-11-22T18:03:11+03:00");
    expect(localTime("2026-07-01T12:00:00", "Europe/Kyiv")).toBe("2026-07-01T12:00:00+03:00");
    expect(localTime("2026-01-01T12:00:00", "Europe/Kyiv")).toBe("2026-01-01T12:00:00+02:00");
    expect(localTime("1899-12-30T00:00:00", "Europe/Moscow")).toBeUndefined();
  });

  it("reads the envelope with exact-case attribute names", () => {
    const doc = parseNotify(fixture("02-login.xml"), "Europe/Moscow");
    expect(doc).toMatchObject({ situation: 21, name: "Login", shiftNum: 42, restCode: "199990001", at: "2026-11-22T09:05:00+03:00" });
    expect(doc.station).toMatchObject({ code: "2", name: "Касса бар", netName: "BAR2" });
    expect(doc.employee).toMatchObject({ code: "17", name: "Иванова А.", role: "Официант" });
    expect(peekGuid(fixture("02-login.xml"))).toBe("{0A000002-0000-4000-8000-000000000002}");
  });
});

describe("classification table", () => {
  const table: Array<[string, string[]]> = [
    ["01-started-server.xml", ["pos.started"]],
    ["02-login.xml", ["employee.login"]],
    ["03-open-order.xml", []],
    ["04-order-changed-kds.xml", []],
    ["05-order-changed-unsaved-deleted.xml", ["dish.deleted_unsaved"]],
    ["06-save-order.xml", ["order.saved", "service_print"]],
    ["07-void-saved-dish.xml", ["dish.deleted_saved"]],
    ["08-order-b-open.xml", []],
    ["09-loyalty-discount-added.xml", ["loyalty_discount.added"]],
    ["10-precheck-printed.xml", ["precheck.printed"]],
    ["11-precheck-cancelled.xml", ["precheck.cancelled"]],
    ["12-receipt-closed.xml", ["check.closed"]],
    ["13-quit-order-unsaved.xml", ["order.exited_unsaved"]],
    ["14-unknown-situation.xml", ["pos.unclassified"]],
    ["15-unknown-operation.xml", ["pos.unclassified"]],
    ["16-dish-moved-out.xml", ["dish.moved_out"]],
  ];

  it.each(table)("%s → %j", (name, types) => {
    expect(of(name).map((d) => d.type)).toEqual(types);
  });

  it("covers every fixture", () => {
    expect([...result.keys()]).toEqual(table.map(([n]) => n));
  });

  it("every event passes the contract's schema and carries its raw XML", () => {
    for (const [name, drafts] of result) {
      for (const d of drafts) {
        const f = finalizeDraft(d);
        expect(f.invalid, `${name}: ${d.type}`).toBeUndefined();
        const parsed = AgentEvent.parse(JSON.parse(f.toJson(1)));
        expect((parsed as { data: { raw: string } }).data.raw).toBe(fixture(name));
      }
    }
  });

  it("gives the same fact the same id every time (a resend is a duplicate, not a second alert)", () => {
    const again = evening();
    for (const [name, drafts] of result) expect(again.get(name)!.map((d) => d.id)).toEqual(drafts.map((d) => d.id));
    const all = [...result.values()].flat().map((d) => d.id);
    expect(new Set(all).size).toBe(all.length);
  });
});

describe("what the events say", () => {
  it("a deleted unsaved dish names the dish, the portions (×1000 → 1.5) and the money", () => {
    const [d] = of("05-order-changed-unsaved-deleted.xml");
    expect(d).toMatchObject({
      occurredAt: "2026-11-22T18:01:30+03:00",
      station: { code: "2", name: "Касса бар" },
      employee: { code: "17", name: "Иванова А." },
      order: { id: "{5C2A1F00-1111-4222-8333-444455556666}", number: "123", table: "5", guests: 2 },
      items: [{ code: "2002", name: "Морс клюквенный", quantity: 1.5, price: 10000, amount: 15000 }],
      amount: 15000,
      currency: "RUB",
    });
  });

  it("a void of a saved dish carries the reason and the manager who authorised it", () => {
    const [d] = of("07-void-saved-dish.xml");
    expect(d).toMatchObject({
      occurredAt: "2026-11-22T18:03:11+03:00",
      reason: "Ошибка официанта",
      manager: { code: "1", name: "Петров С." },
      employee: { code: "17", name: "Иванова А." },
      items: [{ code: "1001", name: "Стейк рибай", quantity: 1, amount: 250000 }],
      amount: 250000,
    });
  });

  it("a saved order prints a service ticket for the kitchen", () => {
    const print = of("06-save-order.xml").find((d) => d.type === "service_print")!;
    const doc = (print.data as { document: { title: string; lines: string[] } }).document;
    expect(doc.title).toContain("Стол 5");
    expect(doc.lines).toContain("Стейк рибай × 1");
  });

  it("a loyalty discount shows only the last four digits of the card", () => {
    const [d] = of("09-loyalty-discount-added.xml");
    const card = (d!.data as { card: { number: string; system: string } }).card;
    expect(card).toEqual({ number: "**** 3344", system: "PrimeHill" });
    expect(JSON.stringify({ ...d, data: { ...d!.data, raw: "" } })).not.toContain("7788990011223344");
  });

  it("a cancelled precheck names the reason and the manager", () => {
    const [d] = of("11-precheck-cancelled.xml");
    expect(d).toMatchObject({ amount: 108000, reason: "Гость передумал", manager: { code: "1", name: "Петров С." } });
  });

  it("a closed receipt lists its payments by method", () => {
    const [d] = of("12-receipt-closed.xml");
    expect(d).toMatchObject({ amount: 108000, occurredAt: "2026-11-22T19:50:00+03:00" });
    expect((d!.data as { payments: unknown }).payments).toEqual([
      { method: "Наличные", amount: 50000 },
      { method: "Банковская карта", amount: 58000 },
    ]);
    expect((d!.data as { checkNumber: string }).checkNumber).toBe("88");
  });

  it("an unknown situation or operation is kept raw and reported, never dropped", () => {
    const [s] = of("14-unknown-situation.xml");
    expect((s!.data as { why: string }).why).toContain("unknown notify situation 77");
    const [o] = of("15-unknown-operation.xml");
    expect((o!.data as { why: string }).why).toContain("operation 9999 «Неведомая операция»");
  });

  it("a site can teach the classifier an operation id (rk7OperMap)", () => {
    const xml = fixture("15-unknown-operation.xml");
    const drafts = classifyNotify(parseNotify(xml, "Europe/Moscow"), xml, undefined, { ...ctx, operMap: { "9999": "ignore" } }).drafts;
    expect(drafts).toEqual([]);
  });
});
