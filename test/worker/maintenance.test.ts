import { env } from "cloudflare:test";
import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { database } from "../../src/db/client";
import { agents, alerts } from "../../src/db/schema";
import { recordsDb } from "../../src/db/shards";
import { DAY_MS } from "../../src/domain/licensing";
import { sendLicenseNotices, applyRetention } from "../../src/services/maintenance";
import { event } from "../fixtures/events";
import { agentPost, delivered, linkChat, provision, settle, textOf } from "./helpers";

describe("license notices", () => {
  it("warn the chats 7 days and 1 day before expiry and at expiry, each once", { timeout: 40_000 }, async () => {
    const p = await provision();
    const chat = await linkChat({ restaurantId: p.restaurantId });
    const [a] = await database(env.DB).select().from(agents).where(eq(agents.id, p.agentId));
    const end = a!.trialStartedAt + 30 * DAY_MS;

    for (const at of [end - 8 * DAY_MS, end - 6 * DAY_MS, end - 5 * DAY_MS, end - DAY_MS / 2, end - DAY_MS / 3, end + 1, end + DAY_MS]) {
      await sendLicenseNotices(env, at);
      await settle(p.restaurantId);
    }
    const { restaurantId } = p;
    const rows = await recordsDb(env, restaurantId).select({ type: alerts.type }).from(alerts).where(eq(alerts.restaurantId, restaurantId));
    expect(rows.map((r) => r.type)).toEqual(["license.expiring", "license.expiring", "license.expired"]);
    const sent = (await delivered(chat.telegramChatId, 4, 6_000)).map(textOf);
    expect(sent).toHaveLength(3);
    expect(sent[0]).toContain("Лицензия скоро закончится");
    expect(sent[2]).toContain("Лицензия истекла");
  });
});

describe("retention", () => {
  it("drops alerts older than the retention period and keeps the rest", async () => {
    const p = await provision();
    await linkChat({ restaurantId: p.restaurantId });
    const old = new Date(Date.now() - 100 * DAY_MS).toISOString();
    await agentPost(p, "/events", { events: [event("check.deleted", { occurredAt: old }), event("check.deleted")] });
    await settle(p.restaurantId);
    await applyRetention(env);
    const rows = await recordsDb(env, p.restaurantId).select().from(alerts).where(eq(alerts.restaurantId, p.restaurantId));
    expect(rows).toHaveLength(1);
  });
});
