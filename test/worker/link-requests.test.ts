/**
 * The cloud reaching an agent behind NAT: requests go down the agent's link
 * (a WebSocket the agent dialled out), answers come back as frames.
 */
import { env } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import type { OrderExport } from "../../src/protocol/orders";
import type { Report } from "../../src/protocol/report";
import { openAgentLink, provision, type Provisioned } from "./helpers";

const stub = (p: Provisioned) => env.RESTAURANT.getByName(p.restaurantId);

const REPORT: Report = {
  kind: "balance",
  title: "Баланс",
  period: { from: "2026-11-22T09:00:00+03:00", to: "2026-11-22T23:00:00+03:00" },
  currency: "RUB",
  sections: [{ title: "Итого", columns: [{ title: "Выручка", type: "money" }], rows: [[1_250_000]] }],
};

describe("report requests over the agent link", () => {
  it("answers 'offline' at once, with when the agent was last seen, when no link is open", async () => {
    const p = await provision();
    expect(await stub(p).requestReport({ report: "balance", period: { shift: "current" } })).toEqual({
      ok: false,
      reason: "offline",
      lastSeenAt: null,
    });
  });

  it("sends report.request to the agent and returns the report it answers", async () => {
    const p = await provision();
    const link = await openAgentLink(p);
    const answer = stub(p).requestReport({ report: "balance", period: { shift: "last" } });
    const frame = await link.next();
    expect(frame).toMatchObject({ type: "report.request", report: "balance", period: { shift: "last" } });
    link.ws.send(JSON.stringify({ type: "report.result", requestId: frame.requestId, report: REPORT }));
    expect(await answer).toEqual({ ok: true, report: REPORT });
    link.ws.close();
  });

  it("serves two identical requests in flight with one agent round trip", async () => {
    const p = await provision();
    const link = await openAgentLink(p);
    const a = stub(p).requestReport({ report: "balance", period: { shift: "current" } });
    const b = stub(p).requestReport({ report: "balance", period: { shift: "current" } });
    const frame = await link.next();
    link.ws.send(JSON.stringify({ type: "report.result", requestId: frame.requestId, report: REPORT }));
    expect(await a).toEqual({ ok: true, report: REPORT });
    expect(await b).toEqual({ ok: true, report: REPORT });
    expect(link.frames).toEqual([]);
    link.ws.close();
  });

  it("passes on the agent's error, and times out when the agent stays silent", async () => {
    const p = await provision();
    const link = await openAgentLink(p);
    const failing = stub(p).requestReport({ report: "dishes", period: { shift: "current" } });
    const f1 = await link.next();
    link.ws.send(JSON.stringify({ type: "report.error", requestId: f1.requestId, message: "смена не открыта" }));
    expect(await failing).toEqual({ ok: false, reason: "agent_error", message: "смена не открыта" });

    // REPORT_TIMEOUT_MS is 1.5 s in the test configuration.
    const silent = stub(p).requestReport({ report: "hourly", period: { shift: "current" } });
    await link.next();
    expect(await silent).toEqual({ ok: false, reason: "timeout" });
    link.ws.close();
  });

  it("ignores an answer nobody is waiting for", async () => {
    const p = await provision();
    const link = await openAgentLink(p);
    link.ws.send(JSON.stringify({ type: "report.result", requestId: "late-or-forged", report: REPORT }));
    link.ws.send('{"type":"ping"}');
    expect(await link.next()).toEqual({ type: "pong" });
    link.ws.close();
  });
});

describe("order exports over the agent link", () => {
  const ORDER: OrderExport = {
    orderId: "ord_1",
    number: "1042",
    source: "site",
    deliveryType: "home",
    items: [{ name: "Піца Маргарита", quantity: 1, price: 25_000 }],
    total: 25_000,
    currency: "UAH",
    paid: true,
  };

  it("reports not sent when no agent is connected, and sends order.export when one is", async () => {
    const p = await provision();
    expect(await stub(p).exportOrder("ord_1", "exp-1", ORDER)).toEqual({ sent: false });
    const link = await openAgentLink(p);
    expect(await stub(p).exportOrder("ord_1", "exp-2", ORDER)).toEqual({ sent: true });
    expect(await link.next()).toMatchObject({ type: "order.export", requestId: "exp-2", order: { number: "1042" } });
    link.ws.close();
  });
});
