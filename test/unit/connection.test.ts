import { describe, expect, it } from "vitest";
import { check, NEVER_CONNECTED, nextCheckAt, seen, summarize, type AgentConnection } from "../../src/domain/connection";

const T = 90_000;
const t0 = Date.parse("2026-11-22T12:00:00Z");

function play(steps: Array<["seen" | "check", number]>) {
  let c: AgentConnection = NEVER_CONNECTED;
  const changes: string[] = [];
  for (const [what, at] of steps) {
    const s = what === "seen" ? seen(c, at) : check(c, at, T);
    c = s.next;
    if (s.change) changes.push(`${s.change.type}#${s.change.outage}${s.change.type === "connection.restored" ? ` ${s.change.outageSeconds}s` : ""}`);
  }
  return { c, changes };
}

describe("connection watching", () => {
  it("goes online on the first sign of life, without an alert", () => {
    const { c, changes } = play([["seen", t0]]);
    expect(c.status).toBe("online");
    expect(changes).toEqual([]);
  });

  it("does not alert for silence shorter than the threshold", () => {
    const { c, changes } = play([["seen", t0], ["check", t0 + T - 1], ["seen", t0 + T - 1], ["check", t0 + 2 * T - 2]]);
    expect(c.status).toBe("online");
    expect(changes).toEqual([]);
  });

  it("declares the agent lost once the silence reaches the threshold, lost since its last sign of life", () => {
    const { c, changes } = play([["seen", t0], ["check", t0 + T]]);
    expect(c).toMatchObject({ status: "lost", since: t0, outages: 1 });
    expect(changes).toEqual(["connection.lost#1"]);
  });

  it("alerts once per outage however often it is checked", () => {
    const { changes } = play([["seen", t0], ["check", t0 + T], ["check", t0 + T], ["check", t0 + 5 * T]]);
    expect(changes).toEqual(["connection.lost#1"]);
  });

  it("restores on the next sign of life and says how long the outage was", () => {
    const { c, changes } = play([["seen", t0], ["check", t0 + T], ["seen", t0 + 600_000]]);
    expect(c).toMatchObject({ status: "online", since: t0 + 600_000 });
    expect(changes).toEqual(["connection.lost#1", "connection.restored#1 600s"]);
  });

  it("numbers outages so each gets its own pair of alerts", () => {
    const { changes } = play([
      ["seen", t0], ["check", t0 + T], ["seen", t0 + 2 * T],
      ["check", t0 + 3 * T], ["seen", t0 + 4 * T], ["seen", t0 + 4 * T + 1],
    ]);
    expect(changes).toEqual(["connection.lost#1", "connection.restored#1 180s", "connection.lost#2", "connection.restored#2 180s"]);
  });

  it("ignores a sign of life older than the silence that made the outage", () => {
    const { c, changes } = play([["seen", t0], ["check", t0 + T], ["seen", t0 - 1]]);
    expect(c.status).toBe("lost");
    expect(changes).toEqual(["connection.lost#1"]);
  });

  it("never checks an agent that never connected", () => {
    expect(nextCheckAt(NEVER_CONNECTED, T)).toBeNull();
    expect(check(NEVER_CONNECTED, t0 + 10 * T, T).change).toBeNull();
  });

  it("summarises a restaurant: lost if any agent is lost", () => {
    const online = seen(NEVER_CONNECTED, t0).next;
    const lost = check(online, t0 + T, T).next;
    expect(summarize([])).toEqual({ state: "never", since: null });
    expect(summarize([online]).state).toBe("online");
    expect(summarize([online, lost])).toEqual({ state: "lost", since: t0 });
  });
});
