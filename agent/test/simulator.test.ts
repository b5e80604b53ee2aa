/**
 * The simulated restaurant (`--source simulator`): repeatable by seed, a
 * believable mix of what happens at a till, and reports whose numbers agree
 * with the events it sent.
 */
import { describe, expect, it } from "vitest";
import { AGENT_EVENT_TYPES } from "../../src/protocol/events";
import type { Report } from "../../src/protocol/report";
import { SimWorld } from "../src/simulator/world";
import type { EventDraft } from "../src/source";

const MORNING = Date.parse("2026-11-23T09:00:00+03:00");
const HOUR = 3600_000;

function day(seed: number, runId = "run", hours = 15): { world: SimWorld; events: EventDraft[] } {
  const world = new SimWorld({ seed, startMs: MORNING, timezone: "Europe/Moscow", currency: "RUB", runId, autoReports: ["balance", "deletions", "payments"] });
  return { world, events: world.advanceTo(MORNING + hours * HOUR) };
}

/** What happened, without the run's prefix that event and order ids carry. */
const facts = (events: EventDraft[], runId: string) => events.map((e) => JSON.stringify(e).replaceAll(`"${runId}-`, '"'));
const count = (events: EventDraft[], ...types: string[]) => events.filter((e) => types.includes(e.type)).length;
const sumOf = (events: EventDraft[], ...types: string[]) => events.filter((e) => types.includes(e.type)).reduce((s, e) => s + (e.amount ?? 0), 0);
const shiftReport = (events: EventDraft[], kind: string) => (events.find((e) => e.type === "report.shift" && (e.data?.report as Report).kind === kind)!.data!.report as Report);

describe("the simulated restaurant", () => {
  it("gives the same day for the same seed (only the run's id prefix differs) and another day for another seed", () => {
    const a = day(3, "first");
    const b = day(3, "second");
    expect(facts(b.events, "second")).toEqual(facts(a.events, "first"));
    expect(a.events.every((e) => e.id.startsWith("first-"))).toBe(true);
    expect(facts(day(4, "first").events, "first")).not.toEqual(facts(a.events, "first"));
  });

  it("over a week does everything a till does: every event kind an agent sends, except the agent's own", () => {
    const { events } = day(1, "week", 7 * 24);
    const seen = new Set(events.map((e) => e.type));
    const expected = AGENT_EVENT_TYPES.filter((t) => t !== "pos.unclassified" && t !== "agent.warning");
    expect(expected.filter((t) => !seen.has(t))).toEqual([]);
    const voids = events.filter((e) => e.type === "dish.deleted_saved");
    expect(voids.every((e) => e.reason && e.manager?.name)).toBe(true);
    expect(events.some((e) => e.type === "service_print" && /банкет/i.test(JSON.stringify(e.data)))).toBe(true);
  });

  it("closes the common shift at 23:30 and its reports agree with the events of the day", () => {
    const { world, events } = day(3);
    const closedAt = events.findIndex((e) => e.type === "shift.closed");
    expect(closedAt).toBeGreaterThan(0);
    expect(events.slice(closedAt + 1).map((e) => e.type)).toEqual(["report.shift", "report.shift", "report.shift"]);

    const balance = shiftReport(events, "balance");
    const [checks, , , , revenue] = balance.sections[0]!.rows[0] as number[];
    // Deleted and annulled checks leave the balance.
    expect(checks).toBe(count(events, "check.closed") - count(events, "check.deleted", "check.annulled"));
    expect(revenue).toBe(sumOf(events, "check.closed") - sumOf(events, "check.deleted", "check.annulled"));
    expect(shiftReport(events, "payments").sections[0]!.totals?.[2]).toBe(revenue);
    const deletions = shiftReport(events, "deletions").sections[0]!.rows;
    expect(deletions).toHaveLength(count(events, "dish.deleted_saved", "dish.deleted_unsaved", "check.deleted", "check.annulled", "precheck.cancelled"));

    // Asked for later, the last shift's report is the one sent at the close.
    expect(world.report("balance", { shift: "last" })).toEqual(balance);
  });
});
