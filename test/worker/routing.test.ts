import { env } from "cloudflare:test";
import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { database } from "../../src/db/client";
import { alerts, deliveries } from "../../src/db/schema";
import { recordsDb } from "../../src/db/shards";
import { event } from "../fixtures/events";
import { admin, agentPost, chatQueue, delivered, linkChat, provision, settle, textOf } from "./helpers";

const db = () => database(env.DB);
const deliveriesOf = async (restaurantId: string) =>
  recordsDb(env, restaurantId)
    .select({ type: alerts.type, chatId: deliveries.chatId, status: deliveries.status, error: deliveries.error, summary: alerts.summary })
    .from(deliveries)
    .innerJoin(alerts, eq(alerts.id, deliveries.alertId))
    .where(eq(alerts.restaurantId, restaurantId))
    .orderBy(alerts.id, deliveries.chatId);

describe("an accepted event is routed to the chats that should see it", () => {
  it("creates a delivery for the restaurant's chat and the owner's chat, and the alert reaches each", async () => {
    const p = await provision();
    const local = await linkChat({ restaurantId: p.restaurantId });
    const owner = await linkChat({ accountId: p.accountId });
    const r = await agentPost(p, "/events", { events: [event("dish.deleted_saved")] });
    expect(r.body.accepted).toBe(1);
    await settle(p.restaurantId);

    const rows = await deliveriesOf(p.restaurantId);
    expect(rows.map((d) => d.chatId)).toEqual([local.chatId, owner.chatId].sort());
    expect(rows[0]!.summary).toContain("dish.deleted_saved");
    for (const c of [local, owner]) {
      const sent = await delivered(c.telegramChatId, 1);
      expect(sent).toHaveLength(1);
      expect(textOf(sent[0]!)).toContain("Бистро «Тест»");
    }
  });

  it("does not deliver a resent event twice", { timeout: 40_000 }, async () => {
    const p = await provision();
    const chat = await linkChat({ restaurantId: p.restaurantId });
    const batch = { events: [event("check.deleted"), event("precheck.cancelled")] };
    await agentPost(p, "/events", batch);
    await settle(p.restaurantId);
    await delivered(chat.telegramChatId, 2);
    await agentPost(p, "/events", batch);
    await settle(p.restaurantId);
    expect(await deliveriesOf(p.restaurantId)).toHaveLength(2);
    // Nothing more arrives, however long we wait for a third message.
    expect(await delivered(chat.telegramChatId, 3, 2_500)).toHaveLength(2);
    expect(await chatQueue(chat.chatId)).toEqual([]);
  });

  it("delivers a chat's alerts in the order the events were accepted", { timeout: 40_000 }, async () => {
    const p = await provision();
    const chat = await linkChat({ restaurantId: p.restaurantId });
    const events = Array.from({ length: 30 }, (_, i) => event("dish.deleted_saved", { reason: `причина ${i}` }));
    await agentPost(p, "/events", { events: events.slice(0, 10) });
    await agentPost(p, "/events", { events: events.slice(10) });
    await settle(p.restaurantId);
    // Thirty alerts would take over a minute one by one in a group: they come as digests, still in order.
    const deadline = Date.now() + 30_000;
    let text = "";
    while (Date.now() < deadline) {
      text = (await delivered(chat.telegramChatId, 1)).map(textOf).join("\n");
      if (text.includes("причина 29")) break;
      await new Promise((r) => setTimeout(r, 200));
    }
    const positions = events.map((_, i) => text.search(new RegExp(`причина ${i}(?![0-9])`)));
    expect(positions.every((x) => x >= 0)).toBe(true);
    expect(positions).toEqual([...positions].sort((a, b) => a - b));
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

  it("stores events of an expired license but stops alerts, and tells the chats once why", { timeout: 40_000 }, async () => {
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
    const sent = await delivered(chat.telegramChatId, 2, 3_000);
    expect(sent).toHaveLength(1);
    expect(textOf(sent[0]!)).toContain("Лицензия истекла");
  });
});
