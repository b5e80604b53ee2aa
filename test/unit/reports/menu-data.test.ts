/**
 * The /report menu's button payloads: every choice survives the round trip
 * within Telegram's 64 bytes, and anything else is refused as outdated.
 */
import { describe, expect, it } from "vitest";
import { MAX_DATE_PAGE, parseReportData, type ReportAction, reportData } from "../../../src/telegram/bot/report-menu";

const RID = "rst_245zp8pjbyr2kw0m";

describe("report menu payloads", () => {
  it("round-trip every step within 64 bytes", () => {
    const actions: ReportAction[] = [
      { kind: "home" },
      { kind: "close" },
      { kind: "restaurant", restaurantId: RID },
      { kind: "report", restaurantId: RID, report: "employees" },
      { kind: "dates", restaurantId: RID, report: "discounts", page: MAX_DATE_PAGE },
      { kind: "run", restaurantId: RID, report: "deletions", period: "yesterday" },
      { kind: "run", restaurantId: RID, report: "hourly", period: { date: { year: 2026, month: 2, day: 28 } } },
    ];
    for (const a of actions) {
      const data = reportData(a);
      expect(new TextEncoder().encode(data).length).toBeLessThanOrEqual(64);
      expect(parseReportData(data)).toEqual(a);
    }
  });

  it("refuse anything malformed: unknown report, impossible date, page out of range, extra fields, other prefixes", () => {
    for (const bad of [
      "rp:p:" + RID + ":salaries:c",
      "rp:p:" + RID + ":balance:20260230",
      "rp:p:" + RID + ":balance:z",
      "rp:d:" + RID + ":balance:" + (MAX_DATE_PAGE + 1),
      "rp:k:" + RID + ":balance:extra",
      "rp:r:" + RID + ":balance",
      "rp:r:../../etc",
      "rp:h:x",
      "st:k:" + RID,
      "rp:p:" + RID + ":balance:c:more",
    ]) {
      expect(parseReportData(bad), bad).toBeNull();
    }
  });
});
