/**
 * The agent against the REAL Worker. NEEDS WRANGLER: this file starts
 * `wrangler dev` (workerd with local D1 and Durable Objects, from
 * node_modules; no Cloudflare account, works offline) once, in a scratch
 * state directory, and judges the agent only by what the cloud stored, read
 * back through the admin API.
 *
 * "Exactly once" is checked the strict way: the ids the POS handed to the
 * agent (as soon as they were durably spooled) are the ids in the
 * restaurant's journal, each there once, with consecutive seqs and the
 * cloud's ackSeq on the last one. Waits poll for outcomes; no assertion
 * depends on how fast anything runs.
 */
import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type LocalWorker, provision, startWorker } from "../../bench/lib/worker";
import { VALID } from "../../test/fixtures/events";
import type { AgentEventType } from "../../src/protocol/events";
import { Agent } from "../src/agent";
import { type AgentConfig, loadConfig, parseArgs } from "../src/config/config";
import { SimulatorSource } from "../src/simulator/simulator-source";
import type { EventDraft, EventSink, Source } from "../src/source";
import { AGENT_VERSION } from "../src/version";
import { until } from "./fake-cloud";
import { captureLog } from "./helpers";
import { AdminApi, type StoredRef } from "./real-cloud";

type Who = Awaited<ReturnType<typeof provision>>;

const TZ = "Europe/Moscow";
/** Lunch time, so the simulated restaurant is busy from the first second. */
const LUNCH = Date.parse("2026-11-23T12:00:00+03:00");
const FAST = { senderBackoff: { baseMs: 50, maxMs: 500 }, linkBackoff: { baseMs: 50, maxMs: 500 } };
const WAIT = 40_000;

let stateDir = "";
let worker: LocalWorker;
let admin: AdminApi;
const scratch: string[] = [];
const running: Agent[] = [];

function dir(prefix: string): string {
  const d = mkdtempSync(path.join(os.tmpdir(), prefix));
  scratch.push(d);
  return d;
}

beforeAll(async () => {
  // Our own state dir: it must outlive a stop of the Worker (the outage spec).
  stateDir = dir("tw-agent-worker-");
  worker = await startWorker({ stateDir });
  admin = new AdminApi(worker.url, worker.vars.ADMIN_API_TOKEN!);
}, 180_000);

afterAll(async () => {
  for (const a of running) await a.stop().catch(() => {});
  await worker?.stop();
  for (const d of scratch) rmSync(d, { recursive: true, force: true });
}, 30_000);

function configFor(who: Who, spool: string): AgentConfig {
  const parsed = parseArgs(["--url", worker.url, "--agent-id", who.agentId, "--agent-key", who.agentKey, "--source", "simulator", "--spool", spool, "--timezone", TZ]);
  if (parsed.kind !== "run") throw new Error("unexpected flags");
  return loadConfig(parsed.values, {});
}

async function startAgent(who: Who, spool: string, opts: { source: Source; fetch?: typeof fetch }): Promise<Agent> {
  const agent = await Agent.start({ config: configFor(who, spool), log: captureLog(), source: opts.source, fetch: opts.fetch, tuning: FAST });
  running.push(agent);
  return agent;
}

async function stopAgent(agent: Agent): Promise<void> {
  running.splice(running.indexOf(agent), 1);
  await agent.stop();
}

function simulator(speed: number): SimulatorSource {
  return new SimulatorSource({ seed: 7, speed, startMs: LUNCH, timezone: TZ, currency: "RUB", autoReports: ["balance"], log: captureLog() });
}

/** Passes a source through, keeping the id of every event once the agent has it on disk. */
class Recorded implements Source {
  readonly ids: string[] = [];
  constructor(private readonly inner: Source) {}
  get kind() {
    return this.inner.kind;
  }
  start(sink: EventSink) {
    return this.inner.start({
      emit: async (drafts) => {
        await sink.emit(drafts);
        this.ids.push(...drafts.map((d) => d.id));
      },
    });
  }
  stop() {
    return this.inner.stop();
  }
  status() {
    return this.inner.status();
  }
  report: Source["report"] = (k, p) => this.inner.report(k, p);
  exportOrder: Source["exportOrder"] = (o, r) => this.inner.exportOrder(o, r);
}

/** A POS that says nothing by itself: the spec feeds the agent directly. */
const quiet: Source = {
  kind: "simulator",
  async start() {},
  async stop() {},
  status: () => ({ kind: "simulator", online: true, stations: [] }),
  report: () => Promise.reject(new Error("no reports here")),
  exportOrder: async () => ({ status: "failed" }),
};

const isEventsPost = (input: Parameters<typeof fetch>[0]) => String(input instanceof Request ? input.url : input).endsWith("/agent/v1/events");

/**
 * The agent's view of the network when it dies mid-batch: the `n`th events
 * POST reaches the Worker and is stored, then the agent hears nothing until
 * it is stopped — so the acknowledgement is never written to its spool.
 */
function dieAfterStoring(n: number): { fetch: typeof fetch; died: Promise<void> } {
  let posts = 0;
  let died!: () => void;
  const diedP = new Promise<void>((r) => (died = r));
  const f: typeof fetch = async (input, init) => {
    if (!isEventsPost(input) || ++posts !== n) return fetch(input, init);
    await (await fetch(input, init)).arrayBuffer();
    died();
    return new Promise<Response>((_, reject) => init?.signal?.addEventListener("abort", () => reject(init.signal!.reason), { once: true }));
  };
  return { fetch: f, died: diedP };
}

/** Real fetch, adding up the `duplicates` of every events answer. */
function countDuplicates(add: (n: number) => void): typeof fetch {
  return async (input, init) => {
    const res = await fetch(input, init);
    if (isEventsPost(input) && res.status === 200) add(((await res.clone().json()) as { duplicates: number }).duplicates);
    return res;
  };
}

const TYPES = Object.keys(VALID) as AgentEventType[];
/** `n` valid events of every kind in turn, with ids unique to this spec. */
function drafts(prefix: string, n: number, from = 0): EventDraft[] {
  return Array.from({ length: n }, (_, i) => {
    const type = TYPES[(from + i) % TYPES.length]!;
    return { ...(VALID[type] as Omit<EventDraft, "id">), id: `${prefix}-${from + i}` };
  });
}

/** Everything spooled is acknowledged, as the cloud itself reports it. */
async function drained(agent: Agent, who: Who): Promise<void> {
  await until(
    async () => (await agent.spool.stats()).pending === 0 && (await admin.agent(who.restaurantId, who.agentId)).ackSeq === agent.spool.nextSeq - 1,
    "the spool drained and the cloud's ackSeq on the last event",
    WAIT,
  );
}

function expectExactlyOnce(stored: StoredRef[], spooledIds: string[]): void {
  const ids = stored.map((s) => s.id);
  expect(new Set(ids).size, "an event stored twice").toBe(ids.length);
  expect([...ids].sort()).toEqual([...spooledIds].sort());
  const seqs = stored.map((s) => s.seq!).sort((a, b) => a - b);
  expect(seqs.every((s, i) => i === 0 || s === seqs[i - 1]! + 1), "seqs are consecutive, none repeated or skipped").toBe(true);
}

describe("the agent against the real Worker (wrangler dev)", () => {
  it("events flow: every simulated event is stored once, the heartbeat shows the POS and the link is up", async () => {
    const who = await provision(worker.url, worker.vars.ADMIN_API_TOKEN!, { restaurant: "Flow" });
    const source = new Recorded(simulator(3600));
    const agent = await startAgent(who, dir("tw-spool-"), { source });

    await until(() => source.ids.length >= 100, "the simulator to produce 100 events", WAIT);
    await until(async () => (await admin.agent(who.restaurantId, who.agentId)).linked, "the link", WAIT);
    await source.stop();
    await drained(agent, who);

    expectExactlyOnce(await admin.journal(who.restaurantId, who.agentId), source.ids);
    const view = await admin.agent(who.restaurantId, who.agentId);
    expect(view.agentVersion).toBe(AGENT_VERSION);
    expect(view.pos).toEqual({ kind: "simulator", online: true });
    expect(view.connection.state).toBe("online");
    await stopAgent(agent);
  }, 60_000);

  it("the cloud goes away for a while and comes back: what was spooled meanwhile arrives, each event once", async () => {
    const who = await provision(worker.url, worker.vars.ADMIN_API_TOKEN!, { restaurant: "Outage" });
    const source = new Recorded(simulator(1800));
    const agent = await startAgent(who, dir("tw-spool-"), { source });
    await until(async () => (await admin.agent(who.restaurantId, who.agentId)).ackSeq > 0, "the first events stored", WAIT);

    // The Worker stops; its D1 and Durable Object state stay on disk.
    await worker.stop();
    const atOutage = source.ids.length;
    await until(() => source.ids.length >= atOutage + 100 && agent.sender.status.consecutiveFailures > 0, "events spooled while the cloud is away", WAIT);
    expect((await agent.spool.stats()).pending).toBeGreaterThanOrEqual(100);

    // Back on the same address with the same state; the agent finds it by itself.
    worker = await startWorker({ stateDir, port: worker.port });
    await until(async () => (await admin.agent(who.restaurantId, who.agentId)).ackSeq >= agent.spool.nextSeq - 50, "the backlog sent after the return", WAIT);
    await source.stop();
    await drained(agent, who);

    expectExactlyOnce(await admin.journal(who.restaurantId, who.agentId), source.ids);
    expect(agent.sender.status.consecutiveFailures).toBe(0);
    await stopAgent(agent);
  }, 90_000);

  it("an agent that dies mid-batch (stored by the cloud, answer never heard) resends it on restart: nothing lost, nothing doubled", async () => {
    const who = await provision(worker.url, worker.vars.ADMIN_API_TOKEN!, { restaurant: "Crash" });
    const spool = dir("tw-spool-");

    const crash = dieAfterStoring(2);
    const first = await startAgent(who, spool, { source: quiet, fetch: crash.fetch });
    const before = drafts("crash", 1200);
    await first.emit(before);
    await crash.died;
    const agentBelieves = (await first.spool.stats()).pending;
    await stopAgent(first);

    // The cloud holds more than the agent knows was stored: the dead batch.
    const stored = await admin.journal(who.restaurantId, who.agentId);
    expect(agentBelieves).toBeGreaterThan(0);
    const lost = stored.length - (before.length - agentBelieves);
    expect(lost).toBeGreaterThan(0);

    let duplicates = 0;
    const second = await startAgent(who, spool, { source: quiet, fetch: countDuplicates((n) => (duplicates += n)) });
    const after = drafts("crash", 100, before.length);
    await second.emit(after);
    await drained(second, who);

    expectExactlyOnce(await admin.journal(who.restaurantId, who.agentId), [...before, ...after].map((d) => d.id));
    // The resent batch was recognised, not stored again.
    expect(duplicates).toBe(lost);
    await stopAgent(second);
  }, 60_000);
});
