/** Periods as people pick them in /report, turned into what the till is asked for. */
import { describe, expect, it } from "vitest";
import { parseTypedDate, periodLabel, periodRequest } from "../../../src/domain/reports/period";
import { displayWidth, fitWidth } from "../../../src/domain/reports/width";

const NOW = Date.parse("2026-11-22T21:30:00Z"); // 00:30 on the 23rd in Moscow, 23:30 on the 22nd in Kyiv

describe("periods", () => {
  it("asks for the current or last closed shift as a shift", () => {
    expect(periodRequest("current", "Europe/Moscow", NOW)).toEqual({ shift: "current" });
    expect(periodRequest("last", "Europe/Moscow", NOW)).toEqual({ shift: "last" });
  });

  it("takes 'today' and 'yesterday' as local midnight to midnight in the restaurant's zone", () => {
    expect(periodRequest("today", "Europe/Moscow", NOW)).toEqual({ from: "2026-11-22T21:00:00.000Z", to: "2026-11-23T21:00:00.000Z" });
    expect(periodRequest("yesterday", "Europe/Moscow", NOW)).toEqual({ from: "2026-11-21T21:00:00.000Z", to: "2026-11-22T21:00:00.000Z" });
    expect(periodRequest("today", "Europe/Kyiv", NOW)).toEqual({ from: "2026-11-21T22:00:00.000Z", to: "2026-11-22T22:00:00.000Z" });
  });

  it("gives a day across a DST change its 25 hours", () => {
    const { from, to } = periodRequest({ date: { year: 2026, month: 10, day: 25 } }, "Europe/Kyiv", NOW) as { from: string; to: string };
    expect(Date.parse(to) - Date.parse(from)).toBe(25 * 3_600_000);
  });

  it("reads dates as people type them, and refuses what is not a date", () => {
    const today = { year: 2026, month: 11, day: 22 };
    expect(parseTypedDate("21.11.2026", today)).toEqual({ year: 2026, month: 11, day: 21 });
    expect(parseTypedDate("21.11.26", today)).toEqual({ year: 2026, month: 11, day: 21 });
    expect(parseTypedDate(" 2026-11-01 ", today)).toEqual({ year: 2026, month: 11, day: 1 });
    expect(parseTypedDate("21/11", today)).toEqual({ year: 2026, month: 11, day: 21 });
    // A day and month later than today is last year's.
    expect(parseTypedDate("30.12", today)).toEqual({ year: 2025, month: 12, day: 30 });
    for (const bad of ["31.11.2026", "29.02.2026", "вчера", "", "1.1.1.1", "2026-13-01"]) expect(parseTypedDate(bad, today)).toBeNull();
  });

  it("writes the period line in the chat's language", () => {
    const day = { from: "2026-11-21T21:00:00.000Z", to: "2026-11-22T21:00:00.000Z" };
    expect(periodLabel(day, "Europe/Moscow", "ru")).toBe("22.11.2026");
    expect(periodLabel(day, "Europe/Moscow", "en")).toBe("22/11/2026");
    const open = { from: "2026-11-22T06:00:00.000Z", to: "2026-11-22T18:00:00.000Z", shift: { number: 7 } };
    expect(periodLabel(open, "Europe/Moscow", "uk")).toBe("Зміна №7 (відкрита) · 22.11.2026, 09:00–21:00");
  });
});

describe("cell widths", () => {
  it("count what a phone draws: Cyrillic one cell, emoji two, combining marks none", () => {
    expect(displayWidth("Борщ")).toBe(4);
    expect(displayWidth("Пицца 🍕")).toBe(8);
    expect(displayWidth("é")).toBe(1);
    expect(fitWidth("Стейк рибай прожарки medium", 10)).toBe("Стейк риб…");
    expect(displayWidth(fitWidth("🍕🍕🍕🍕", 5))).toBeLessThanOrEqual(5);
  });
});
