/** A long on-demand report's further parts and its chart, as handed to the chat's delivery queue. */
import { describe, expect, it } from "vitest";
import { digestible } from "../../../src/domain/delivery/digest";
import { followUpRef, reportFollowUps } from "../../../src/domain/reports/follow-ups";

const photo = { pngBase64: "iVBORw0KGgo=", caption: "Продажи по часам" };
const ref = { restaurantId: "rst_1", ref: followUpRef(1_700_000_000_000, 0.5), now: 1_700_000_000_000 };

describe("an on-demand report's follow-ups", () => {
  it("are the parts after the first, in order, never digested, under one reference with no alert row", () => {
    const out = reportFollowUps(["часть 2", "часть 3"], null, ref);
    expect(out.map((m) => [m.part, m.html])).toEqual([[1, "часть 2"], [2, "часть 3"]]);
    expect(out.every((m) => m.alertId === ref.ref && m.alertId < 0 && m.kind === "report" && !digestible(m))).toBe(true);
  });

  it("carry the chart on the last part, or alone when the report fit one message", () => {
    expect(reportFollowUps(["часть 2"], photo, ref)).toMatchObject([{ part: 1, html: "часть 2", photo }]);
    expect(reportFollowUps([], photo, ref)).toMatchObject([{ part: 1, html: "", photo }]);
    expect(reportFollowUps([], null, ref)).toEqual([]);
  });

  it("use a fresh negative reference per request", () => {
    expect(followUpRef(1_700_000_000_000, 0.1)).not.toBe(followUpRef(1_700_000_000_001, 0.1));
    expect(followUpRef(Date.now())).toBeLessThan(0);
    expect(Number.isSafeInteger(followUpRef(Date.now()))).toBe(true);
  });
});
