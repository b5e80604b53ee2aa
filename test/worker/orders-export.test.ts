import { env, evictDurableObject } from "cloudflare:test";
import { beforeAll, describe, expect, it } from "vitest";
import { openAgentLink } from "./helpers";
import { api, journaled, orderBody, ordersWorld, tickOrder, type OrdersWorld } from "./orders-support";

let w: OrdersWorld;
beforeAll(async () => {
  w = await ordersWorld();
});

const POLL_MS = 60_000;

/** Waits until the card satisfies `ok` (the agent's answer travels through the link asynchronously). */
async function cardWhen(orderId: string, ok: (card: any) => boolean) {
  for (let i = 0; i < 100; i++) {
    const card = await env.ORDER.getByName(orderId).card();
    if (card && ok(card)) return card as any;
    await new Promise((r) => setTimeout(r, 20));
  }
  throw new Error(`order ${orderId} never reached the expected state`);
}

async function newOrder() {
  const r = await api(w, "POST", "/orders", orderBody(w));
  expect(r.status).toBe(201);
  expect(r.body.posExport.state).toBe("not_sent");
  return r.body;
}

describe("POS export through the agent's link", () => {
  it("not_sent → pending → created: the agent gets order.export and its answer turns the button green", async () => {
    const link = await openAgentLink(w);
    try {
      const o = await newOrder();
      const r = await api(w, "POST", `/orders/${o.id}/export`, { actor: "Оля" });
      expect(r.status).toBe(202);
      expect(r.body.posExport).toMatchObject({ state: "pending", asks: 1 });
      expect(r.body.posExportColour).toBe("orange");
      const frame = await link.next();
      expect(frame).toMatchObject({ type: "order.export", requestId: r.body.posExport.requestId, order: { orderId: o.id, number: o.data.number, paid: false } });
      link.ws.send(JSON.stringify({ type: "order.export.result", requestId: frame.requestId, status: "created", posOrderId: "RK-1042" }));
      const card = await cardWhen(o.id, (c) => c.posExport.state === "created");
      expect(card).toMatchObject({ posExportColour: "green", posExport: { posOrderId: "RK-1042" } });
      expect(card.history.at(-1)).toMatchObject({ action: "export.created", changes: { state: ["pending", "created"] } });
      expect((await api(w, "POST", `/orders/${o.id}/export`, { actor: "Оля" })).status).toBe(409);
    } finally {
      link.ws.close();
    }
  });

  it("pending → failed with the agent's log, announced to the restaurant's chats; a retry sends it again", async () => {
    const link = await openAgentLink(w);
    try {
      const o = await newOrder();
      await api(w, "POST", `/orders/${o.id}/export`, { actor: "Оля" });
      const frame = await link.next();
      link.ws.send(JSON.stringify({ type: "order.export.result", requestId: frame.requestId, status: "failed", log: ["Блюдо «Борщ» не найдено в меню"] }));
      const card = await cardWhen(o.id, (c) => c.posExport.state === "failed");
      expect(card.posExportColour).toBe("red");
      expect(card.posExport.reason).toBe("Блюдо «Борщ» не найдено в меню");
      expect(card.posExport.log.join("\n")).toContain("Блюдо «Борщ» не найдено в меню");
      await tickOrder(o.id, Date.now());
      const events = await journaled(w.restaurantId, "order.pos_export_failed");
      expect(events.map((e: any) => e.event_id)).toContain(`order.pos_export_failed:${o.id}:${frame.requestId}`);

      const retry = await api(w, "POST", `/orders/${o.id}/export`, { actor: "Старший зміни" });
      expect(retry.body.posExport).toMatchObject({ state: "pending", asks: 1 });
      const again = await link.next();
      expect(again.requestId).not.toBe(frame.requestId);
    } finally {
      link.ws.close();
    }
  });

  it("agent offline: stays pending without spending asks, survives a restart, and is sent when the agent is back", async () => {
    const o = await newOrder();
    const r = await api(w, "POST", `/orders/${o.id}/export`, { actor: "Оля" });
    expect(r.body.posExport).toMatchObject({ state: "pending", asks: 0 });
    const t0 = r.body.posExport.nextAskAt - POLL_MS;
    await tickOrder(o.id, t0 + POLL_MS);
    expect((await env.ORDER.getByName(o.id).card())!.posExport).toMatchObject({ state: "pending", asks: 0, nextAskAt: t0 + 2 * POLL_MS });

    // The order object restarts meanwhile: its pending export and timer live in its storage.
    await evictDurableObject(env.ORDER.getByName(o.id));
    const link = await openAgentLink(w);
    try {
      await tickOrder(o.id, t0 + 2 * POLL_MS);
      const frame = await link.next();
      expect(frame).toMatchObject({ type: "order.export", requestId: r.body.posExport.requestId });
      link.ws.send(JSON.stringify({ type: "order.export.result", requestId: frame.requestId, status: "created" }));
      await cardWhen(o.id, (c) => c.posExport.state === "created");
    } finally {
      link.ws.close();
    }
  });

  it("an agent that never answers is re-asked every poll, then the export fails with the reason", async () => {
    const link = await openAgentLink(w);
    try {
      const o = await newOrder();
      const r = await api(w, "POST", `/orders/${o.id}/export`, { actor: "Оля" });
      const t0 = r.body.posExport.lastAskedAt;
      await link.next();
      // Ticking twice at the same moment asks once: alarms may fire twice.
      await tickOrder(o.id, t0 + POLL_MS);
      await tickOrder(o.id, t0 + POLL_MS);
      expect((await env.ORDER.getByName(o.id).card())!.posExport.asks).toBe(2);
      for (let k = 2; k <= 10; k++) await tickOrder(o.id, t0 + k * POLL_MS);
      const card = (await env.ORDER.getByName(o.id).card())!;
      expect(card.posExport).toMatchObject({ state: "failed", reason: "no final answer from the POS after 10 asks" });
      expect(card.history.at(-1)).toMatchObject({ action: "export.failed", actor: "system" });
    } finally {
      link.ws.close();
    }
  });

  it("an answer that says 'still working' keeps it pending", async () => {
    const link = await openAgentLink(w);
    try {
      const o = await newOrder();
      await api(w, "POST", `/orders/${o.id}/export`, { actor: "Оля" });
      const frame = await link.next();
      link.ws.send(JSON.stringify({ type: "order.export.result", requestId: frame.requestId, status: "pending", log: ["касса занята"] }));
      const card = await cardWhen(o.id, (c) => c.posExport.log.some((l: string) => l.includes("касса занята")));
      expect(card.posExport.state).toBe("pending");
    } finally {
      link.ws.close();
    }
  });
});
