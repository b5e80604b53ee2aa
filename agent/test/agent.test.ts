/**
 * The whole agent (Agent.start: spool, sender, heartbeat, link) against the
 * stand-in cloud: what a person must be told (a wrong clock, a filling
 * spool) reaches the cloud as `agent.warning`; the heartbeat tells "POS down,
 * agent up" apart; the link answers reports and exports, across reconnects.
 */
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { VALID } from "../../test/fixtures/events";
import type { Report } from "../../src/protocol/report";
import { Agent } from "../src/agent";
import { loadConfig, parseArgs } from "../src/config/config";
import type { EventDraft, ExportOutcome, PosStatus, Source } from "../src/source";
import { AGENT_ID, AGENT_KEY, FakeCloud, type StoredEvent, until } from "./fake-cloud";
import { captureLog, tempDir } from "./helpers";

const REPORT = (VALID["report.shift"].data as { report: Report }).report;
const FAST = { senderBackoff: { baseMs: 20, maxMs: 200 }, linkBackoff: { baseMs: 20, maxMs: 200 }, refusalBackoff: { baseMs: 20, maxMs: 200 } };

/** A till the spec controls: its status, its reports and its exports. */
class TestTill implements Source {
  readonly kind = "simulator";
  pos: PosStatus = { kind: "simulator", online: true, stations: [{ code: "1", name: "Касса зал" }] };
  exports: string[] = [];
  async start() {}
  async stop() {}
  status() {
    return this.pos;
  }
  async report() {
    return REPORT;
  }
  async exportOrder(order: { orderId: string }): Promise<ExportOutcome> {
    this.exports.push(order.orderId);
    return { status: "created", posOrderId: `POS-${order.orderId}` };
  }
}

let cloud: FakeCloud;
const agents: Agent[] = [];
beforeEach(async () => {
  cloud = await FakeCloud.start();
});
afterEach(async () => {
  for (const a of agents.splice(0)) await a.stop();
  await cloud.stop();
});

async function startAgent(till: Source = new TestTill(), flags: string[] = []) {
  const parsed = parseArgs(["--url", cloud.url, "--agent-id", AGENT_ID, "--agent-key", AGENT_KEY, "--source", "simulator", "--spool", await tempDir(), ...flags]);
  if (parsed.kind !== "run") throw new Error("unexpected flags");
  const log = captureLog();
  const agent = await Agent.start({ config: loadConfig(parsed.values, {}), log, source: till, tuning: FAST });
  agents.push(agent);
  return { agent, log };
}

const drafts = (prefix: string, n: number): EventDraft[] =>
  Array.from({ length: n }, (_, i) => ({ ...(VALID["dish.deleted_saved"] as Omit<EventDraft, "id">), id: `${prefix}-${i}`, reason: "x".repeat(400) }));

const warnings = (code: string): StoredEvent[] =>
  [...cloud.events.values()].filter((e) => e.type === "agent.warning" && (e.data as { code?: string }).code === code);

describe("the agent as a whole", () => {
  it("with the computer's clock an hour off, signs with the cloud's time, delivers everything and reports the skew", async () => {
    cloud.skewSeconds = 3600;
    const { agent, log } = await startAgent();
    await agent.emit(drafts("skew", 20));

    await until(() => drafts("skew", 20).every((d) => cloud.events.has(d.id)) && warnings("clock_skew").length > 0, "events and a clock_skew warning", 15_000);
    const skew = (warnings("clock_skew")[0]!.data as { details?: { skewSeconds?: number } }).details?.skewSeconds;
    expect(Math.abs((skew ?? 0) - 3600)).toBeLessThanOrEqual(5);
    expect(cloud.refusals.some((r) => r.code === "stale_timestamp")).toBe(true);
    expect(log.lines.some((l) => /^\S+ (WARN|ERROR) .*clock.*Windows time/.test(l))).toBe(true);
  });

  it("when the spool passes its warning threshold while the cloud is away, the warning reaches the cloud once it is back", async () => {
    cloud.mode = "refuse";
    // 16 MiB limit, warning at 10 %: 1.6 MiB of unsent events.
    const { agent, log } = await startAgent(new TestTill(), ["--spool-max-mb", "16", "--spool-warn-percent", "10"]);
    for (let i = 0; i < 4; i++) await agent.emit(drafts(`fill${i}`, 1000));
    expect(log.lines.some((l) => l.includes("WARN") && l.includes("Spool holds"))).toBe(true);

    cloud.mode = "up";
    await until(() => warnings("spool_high").length === 1 && cloud.events.size >= 4001, "the backlog and the spool_high warning", 30_000);
    expect((warnings("spool_high")[0]!.data as { message: string }).message).toMatch(/unsent events/);
  }, 40_000);

  it("the heartbeat carries the POS state, so the cloud can tell 'POS down, agent up' from 'restaurant offline'", async () => {
    const till = new TestTill();
    till.pos = { kind: "rkeeper7", version: "7.6.5.440", online: false, detail: "cannot reach the cash server at 127.0.0.1:8086", stations: [{ code: "1", name: "Касса зал" }] };
    await startAgent(till);
    await until(() => cloud.heartbeats.length > 0, "a heartbeat");
    expect(cloud.heartbeats[0]).toMatchObject({
      agentVersion: expect.any(String),
      pos: { kind: "rkeeper7", version: "7.6.5.440", online: false, detail: expect.stringContaining("cannot reach") },
      stations: [{ code: "1", name: "Касса зал" }],
      spool: { pending: expect.any(Number), bytes: expect.any(Number) },
    });
  });

  it("answers report requests and order exports on the link, and again after the link was dropped", async () => {
    const till = new TestTill();
    const { agent } = await startAgent(till);
    await until(() => cloud.linked === 1, "the link");

    cloud.sendToAgent({ type: "report.request", requestId: "r1", report: "balance", period: { shift: "current" } });
    await until(() => cloud.linkFrames.some((f) => (f as { requestId?: string }).requestId === "r1"), "the report");
    expect(cloud.linkFrames.find((f) => (f as { requestId?: string }).requestId === "r1")).toMatchObject({ type: "report.result", report: { kind: "balance" } });

    const connects = agent.link.connects;
    cloud.dropLinks();
    await until(() => agent.link.connects > connects && cloud.linked === 1, "the link back");

    const order = { orderId: "ord-1", number: "17", source: "site", deliveryType: "home", items: [{ name: "Борщ", quantity: 1, price: 45000 }], total: 45000, currency: "RUB", paid: true };
    cloud.sendToAgent({ type: "order.export", requestId: "x1", order });
    await until(() => cloud.linkFrames.some((f) => (f as { requestId?: string }).requestId === "x1"), "the export answer");
    expect(cloud.linkFrames.find((f) => (f as { requestId?: string }).requestId === "x1")).toMatchObject({ type: "order.export.result", status: "created", posOrderId: "POS-ord-1" });
    expect(till.exports).toEqual(["ord-1"]);
  });
});
