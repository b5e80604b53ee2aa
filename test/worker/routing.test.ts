import { env } from "cloudflare:test";
import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { database } from "../../src/db/client";
import { alerts, deliveries } from "../../src/db/schema";
import { recordsDb } from "../../src/db/shards";
import { event } from "../fixtures/events";
import { admin, agentPost, chatQueue, linkChat, provision, settle } from "./helpers";

const db = () => database(env.DB);
const deliveriesOf = async (restaurantId: string) =>
  recordsDb(env, restaurantId)
    .select({ type: alerts.type, chatId: deliveries.chatId, status: deliveries.status, error: deliveries.error, summary: alerts.summary })
    .from(deliveries)
    .innerJoin(alerts, eq(alerts.id, deliveries.alertId))
    .where(eq(alerts.restaurantId, restaurantId))
    .orderBy(alerts.id, deliveries.chatId);

describe("an accepted event is routed to the chats that should see it", () => {
  it("creates a pending delivery for the restaurant's chat and the owner's chat, and queues the message in each", async () => {
    const p = await provision();
    const local = await linkChat({ restaurantId: p.restaurantId });
    const owner = await linkChat({ accountId: p.accountId });
    const r = await agentPost(p, "/events", { events: [event("dish.deleted_saved")] });
    expect(r.body.accepted).toBe(1);
    await settle(p.restaurantId);

    const rows = await deliveriesOf(p.restaurantId);
    expect(rows.map((d) => [d.chatId, d.status])).toEqual(
      [[local.chatId, "pending"], [owner.chatId, "pending"]].sort((a, b) => a[0]!.localeCompare(b[0]!)),
    );
    expect(rows[0]!.summary).toContain("dish.deleted_saved");
    for (const c of [local, owner]) {
      const q = await chatQueue(c.chatId);
      expect(q).toHaveLength(1);
      expect(q[0]!.html).toContain("Бистро «Тест»".replace("«", "«"));
    }
  });

  it("does not deliver a resent event twice", async () => {
    const p = await provision();
    const chat = await linkChat({ restaurantId: p.restaurantId });
    const batch = { events: [event("check.deleted"), event("precheck.cancelled")] };
    await agentPost(p, "/events", batch);
    await settle(p.restaurantId);
    await agentPost(p, "/events", batch);
    await settle(p.restaurantId);
    expect(await deliveriesOf(p.restaurantId)).toHaveLength(2);
    expect(await chatQueue(chat.chatId)).toHaveLength(2);
  });

  it("keeps messages for a chat in the order the events were accepted", async () => {
    const p = await provision();
    const chat = await linkChat({ restaurantId: p.restaurantId });
    const events = Array.from({ length: 30 }, (_, i) => event("dish.deleted_saved", { reason: `причина ${i}` }));
    await agentPost(p, "/events", { events: events.slice(0, 10) });
    await agentPost(p, "/events", { events: events.slice(10) });
    await settle(p.restaurantId);
    const q = await chatQueue(chat.chatId);
    expect(q.map((m) => m.alertId)).toEqual([...q.map((m) => m.alertId)].sort((a, b) => a - b));
    expect(q).toHaveLength(30);
  });

  it("respects a chat's switches and records nothing for events no chat wants", async () => {
    const p = await provision();
    await linkChat({ restaurantId: p.restaurantId }, { settings: { notifications: { "discount.added": false } } });
    await agentPost(p, "/events", { events: [event("discount.added"), event("order.saved"), event("check.closed")] });
    await settle(p.restaurantId);
    expect(await deliveriesOf(p.restaurantId)).toEqual([]);
  });

  it("records a delivery to an inactive chat as skipped, with the reason", async () => {
    const p = await provision();
    const chat = await linkChat({ restaurantId: p.restaurantId }, { status: "inactive", statusReason: "kicked" });
    await agentPost(p, "/events", { events: [event("check.deleted")] });
    await settle(p.restaurantId);
    expect(await deliveriesOf(p.restaurantId)).toMatchObject([{ chatId: chat.chatId, status: "skipped", error: "chat_inactive:kicked" }]);
    expect(await chatQueue(chat.chatId)).toEqual([]);
  });

  it("stores events of an expired license but stops alerts, and tells the chats once why", async () => {
    const p = await provision();
    const chat = await linkChat({ restaurantId: p.restaurantId });
    // A license that ended yesterday.
    await admin("POST", `/agents/${p.agentId}/license`, { paidUntil: new Date(Date.now() - 86_400_000).toISOString(), plan: "monthly" });
    const { agents } = await import("../../src/db/schema");
    await db().update(agents).set({ trialStartedAt: Date.now() - 60 * 86_400_000 }).where(eq(agents.id, p.agentId));

    const r = await agentPost(p, "/events", { events: [event("check.deleted"), event("dish.deleted_saved")] });
    expect(r.body.accepted).toBe(2);
    await settle(p.restaurantId);
    await agentPost(p, "/events", { events: [event("check.deleted")] });
    await settle(p.restaurantId);

    const rows = await deliveriesOf(p.restaurantId);
    expect(rows.map((d) => d.type)).toEqual(["license.expired"]);
    expect((await chatQueue(chat.chatId)).length).toBe(1);
  });
});
