/**
 * The automatic report at shift close, end to end: the agent posts
 * `shift.closed` then one `report.shift` per configured report; each chat
 * with the shift report on receives the closing alert, then each report as
 * its own group of messages (tables cut at row boundaries), the hourly one
 * followed by its chart — in that order, as the fake Bot API saw them.
 */
import { describe, expect, it } from "vitest";
import { event } from "../fixtures/events";
import { BALANCE, dishes, hourly } from "../unit/reports/samples";
import { agentPost, delivered, linkChat, provision, settle } from "./helpers";

const SHIFT = { number: 128, openedAt: "2026-11-22T09:00:00+03:00", closedAt: "2026-11-22T23:10:00+03:00" };

describe("the shift report at shift close", () => {
  it("follows the closing alert as one message group per report, tables whole, the hourly chart last", { timeout: 60_000 }, async () => {
    const p = await provision({ name: "Бистро «Центр»" });
    const on = await linkChat({ restaurantId: p.restaurantId });
    const off = await linkChat({ restaurantId: p.restaurantId }, { settings: { notifications: { "report.shift": false } } });
    const longDishes = dishes(120);
    const events = [
      event("shift.closed", { occurredAt: SHIFT.closedAt, data: { shift: SHIFT } }),
      event("report.shift", { occurredAt: SHIFT.closedAt, data: { report: BALANCE, reportKind: "balance", shiftNumber: 128 } }),
      event("report.shift", { occurredAt: SHIFT.closedAt, data: { report: longDishes, reportKind: "dishes", shiftNumber: 128 } }),
      event("report.shift", { occurredAt: SHIFT.closedAt, data: { report: hourly(), reportKind: "hourly", shiftNumber: 128 } }),
    ];
    const r = await agentPost(p, "/events", { events });
    expect(r.status).toBe(200);
    await settle(p.restaurantId);

    // 1 alert + 1 balance + the dish parts + 1 hourly table + its chart.
    const sent = await delivered(on.telegramChatId, 6);
    const texts = sent.map((c) => (c.method === "sendPhoto" ? "[photo]" : String(c.payload.text)));
    expect(texts[0]).toContain("Закрытие общей смены №128");
    expect(texts[1]).toContain("Автоотчёт: закрытие смены №128");
    expect(texts[1]).toContain("📊 <b>Балансовый отчёт</b>");
    const dishParts = texts.filter((t) => t.includes("Расход блюд"));
    expect(dishParts.length).toBeGreaterThan(1);
    expect(texts.slice(2, 2 + dishParts.length)).toEqual(dishParts);
    dishParts.forEach((t, i) => {
      expect(t).toContain(`часть ${i + 1} из ${dishParts.length}`);
      expect(t.match(/<pre>/g)?.length).toBe(t.match(/<\/pre>/g)?.length);
    });
    // Only the first part carries the shift headline; the others read "(продолжение)".
    expect(dishParts.slice(1).every((t) => !t.includes("Автоотчёт") && t.includes("(продолжение)"))).toBe(true);
    const joined = dishParts.join("\n");
    for (let n = 1; n <= 120; n++) expect(joined.split(`&lt;№${n}&gt;`).length - 1).toBe(1);
    expect(texts.slice(2 + dishParts.length)).toEqual([expect.stringContaining("Продажи по часам"), "[photo]"]);
    const photo = sent.at(-1)!.payload;
    expect(String(photo.caption)).toContain("выручка по часам");
    expect(photo.photo).toMatchObject({ type: "image/png" });
    expect((photo.photo as { head: string }).head.slice(0, 16)).toBe("89504e470d0a1a0a");

    // A chat with the shift report switched off gets the closing alert only.
    const other = await delivered(off.telegramChatId, 1);
    expect(other).toHaveLength(1);
    expect(String(other[0]!.payload.text)).toContain("Закрытие общей смены №128");
  });
});
