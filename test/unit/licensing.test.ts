import { describe, expect, it } from "vitest";
import { DAY_MS, expiresAt, extend, licenseState, noticeDue } from "../../src/domain/licensing";

const t0 = Date.parse("2026-11-01T00:00:00Z");
const trial = { plan: "trial" as const, trialStartedAt: t0, paidUntil: null };

describe("licenses", () => {
  it("give a new agent a 30-day trial", () => {
    expect(licenseState(trial, t0 + 29 * DAY_MS, 30)).toBe("trial");
    expect(licenseState(trial, t0 + 30 * DAY_MS, 30)).toBe("expired");
  });

  it("run until the later of the trial's end and the paid period", () => {
    const paid = { ...trial, plan: "monthly" as const, paidUntil: t0 + 100 * DAY_MS };
    expect(expiresAt(paid, 30)).toBe(t0 + 100 * DAY_MS);
    expect(licenseState(paid, t0 + 50 * DAY_MS, 30)).toBe("active");
  });

  it("extend from the current end, not from today, while still running", () => {
    const until = extend(trial, 1, t0 + 10 * DAY_MS, 30);
    expect(new Date(until).toISOString()).toBe("2027-01-01T00:00:00.000Z");
  });

  it("extend from today once expired", () => {
    const now = t0 + 90 * DAY_MS;
    expect(extend(trial, 12, now, 30)).toBe(Date.parse("2028-01-30T00:00:00Z"));
  });

  it("warn 7 days and 1 day before expiry and at expiry, each once", () => {
    const end = expiresAt(trial, 30);
    const none = { stage: null, forExpiry: null };
    expect(noticeDue(trial, end - 8 * DAY_MS, 30, none)).toBeNull();
    expect(noticeDue(trial, end - 6 * DAY_MS, 30, none)?.stage).toBe("7d");
    expect(noticeDue(trial, end - 6 * DAY_MS, 30, { stage: "7d", forExpiry: end })).toBeNull();
    expect(noticeDue(trial, end - DAY_MS / 2, 30, { stage: "7d", forExpiry: end })?.stage).toBe("1d");
    expect(noticeDue(trial, end + 1, 30, { stage: "1d", forExpiry: end })?.stage).toBe("expired");
    expect(noticeDue(trial, end + 1, 30, { stage: "expired", forExpiry: end })).toBeNull();
  });

  it("warn again after an extension moves the expiry", () => {
    const end = expiresAt(trial, 30);
    const later = { ...trial, paidUntil: end + 30 * DAY_MS };
    expect(noticeDue(later, end + 24 * DAY_MS, 30, { stage: "expired", forExpiry: end })?.stage).toBe("7d");
  });
});
