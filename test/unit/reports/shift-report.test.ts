/**
 * A `report.shift` event as a chat's message group: the report's tables under
 * the shift-close headline in the chat's language, never digested, the hourly
 * chart riding on the last part.
 */
import { describe, expect, it } from "vitest";
import { renderEvent } from "../../../src/domain/render-event";
import type { TillEvent } from "../../../src/protocol/events";
import { BALANCE, dishes, hourly } from "./samples";

const restaurant = { id: "rst_1", name: "Бистро «Центр»", timezone: "Europe/Moscow", currency: "RUB" };
const shiftReport = (report: unknown) =>
  ({ id: "e1", seq: 1, type: "report.shift", occurredAt: "2026-11-22T23:10:00+03:00", data: { report } }) as unknown as TillEvent;

describe("the shift report's message group", () => {
  it("heads the report with the shift's close in each language", async () => {
    const headlines = { ru: "Автоотчёт: закрытие смены №128", uk: "Автозвіт: закриття зміни №128", en: "Automatic report: shift #128 closed" } as const;
    for (const [lang, headline] of Object.entries(headlines) as Array<[keyof typeof headlines, string]>) {
      const [m, ...rest] = await renderEvent(shiftReport(BALANCE), 7, { restaurant, lang });
      expect(rest).toEqual([]);
      expect(m).toMatchObject({ alertId: 7, restaurantId: "rst_1", part: 0, kind: "report", noDigest: true });
      expect(m!.html.split("\n")[0]).toBe(`<i>🔒 ${headline}</i>`);
      expect(m!.photo).toBeUndefined();
    }
  });

  it("numbers the parts of a long report and keeps every part within Telegram's limit", async () => {
    const group = await renderEvent(shiftReport(dishes(300)), 8, { restaurant, lang: "ru" });
    expect(group.length).toBeGreaterThan(2);
    expect(group.map((m) => m.part)).toEqual(group.map((_, i) => i));
    for (const m of group) expect(m.html.length).toBeLessThanOrEqual(4096);
  });

  it("attaches the hourly chart to the last part only", async () => {
    const group = await renderEvent(shiftReport(hourly()), 9, { restaurant, lang: "en" });
    expect(group.at(-1)!.photo!.caption).toContain("revenue by hour");
    expect(group.slice(0, -1).every((m) => m.photo === undefined)).toBe(true);
  });

  it("says only 'shift closed' when the till did not number the shift", async () => {
    const unnumbered = { ...BALANCE, period: { from: BALANCE.period.from, to: BALANCE.period.to } };
    const [m] = await renderEvent(shiftReport(unnumbered), 10, { restaurant, lang: "uk" });
    expect(m!.html.split("\n")[0]).toBe("<i>🔒 Автозвіт: закриття зміни</i>");
  });
});
