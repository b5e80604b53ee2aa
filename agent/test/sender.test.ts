/**
 * Draining the spool to the cloud: batches within the contract's limits,
 * retries with backoff while the cloud is away, slow retries (and a logged
 * body) on refusals, and exactly-once arrival across outages and restarts.
 */
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { CloudClient } from "../src/cloud/client";
import { Sender } from "../src/cloud/sender";
import { Spool } from "../src/spool/spool";
import { backoffDelay } from "../src/util/backoff";
import { AGENT_ID, AGENT_KEY, FakeCloud, until } from "./fake-cloud";
import { captureLog, newEvent, tempDir } from "./helpers";

let cloud: FakeCloud;
beforeEach(async () => {
  cloud = await FakeCloud.start();
});
afterEach(async () => {
  await cloud.stop();
});

const spoolOpts = { maxBytes: 256 * 1024 * 1024, warnBytes: 128 * 1024 * 1024 };

function makeSender(spool: Spool, key = AGENT_KEY) {
  const log = captureLog();
  const warnings: string[] = [];
  const sender = new Sender({
    spool,
    client: new CloudClient({ baseUrl: cloud.url, agentId: AGENT_ID, agentKey: key, timeoutMs: 5000 }),
    log,
    limits: { maxBatchEvents: 500, maxBatchBytes: 1024 * 1024 },
    warn: (code) => warnings.push(code),
    backoff: { baseMs: 5, maxMs: 20 },
    refusalBackoff: { baseMs: 5, maxMs: 20 },
    idlePollMs: 20,
  });
  return { sender, log, warnings };
}

/** Runs the sender until `cond`, then stops it. */
async function drain(sender: Sender, cond: () => boolean | Promise<boolean>, what: string) {
  const ac = new AbortController();
  const loop = sender.run(ac.signal);
  try {
    await until(cond, what, 20_000);
  } finally {
    ac.abort();
    await loop;
  }
}

describe("sending events to the cloud", () => {
  it("signs requests so that the contract's verifier accepts them", async () => {
    const spool = await Spool.open(await tempDir(), spoolOpts);
    await spool.append([newEvent("a")]);
    const { sender } = makeSender(spool);
    expect(await sender.step()).toBe(0);
    expect(cloud.events.has("a")).toBe(true);
    expect(cloud.refusals).toEqual([]);
    await spool.close();
  });

  it("sends a backlog in batches of at most 500 events and 1 MiB, each event once", async () => {
    const spool = await Spool.open(await tempDir(), spoolOpts);
    const small = Array.from({ length: 1200 }, (_, i) => newEvent(`s${i}`));
    const big = Array.from({ length: 1500 }, (_, i) => newEvent(`b${i}`, { data: { pad: "я".repeat(1500) } }));
    await spool.append(small);
    await spool.append(big);
    const { sender } = makeSender(spool);
    await drain(sender, async () => (await spool.stats()).pending === 0, "all 2700 events acknowledged");
    expect(cloud.received).toHaveLength(2700);
    expect(Math.max(...cloud.batches.map((b) => b.events))).toBe(500);
    for (const b of cloud.batches) expect(b.bytes).toBeLessThanOrEqual(1024 * 1024);
    expect(cloud.batches.some((b) => b.bytes > 900 * 1024)).toBe(true);
    expect((await spool.stats()).pending).toBe(0);
    await spool.close();
  });

  it("keeps retrying while the cloud is unreachable and delivers everything exactly once when it returns", async () => {
    const spool = await Spool.open(await tempDir(), spoolOpts);
    await spool.append(Array.from({ length: 20 }, (_, i) => newEvent(`e${i}`)));
    cloud.mode = "refuse";
    const { sender } = makeSender(spool);
    const ac = new AbortController();
    const loop = sender.run(ac.signal);
    await until(() => sender.status.consecutiveFailures >= 3, "three failed attempts");
    expect(cloud.events.size).toBe(0);
    // More arrive while offline.
    await spool.append(Array.from({ length: 10 }, (_, i) => newEvent(`late${i}`)));
    cloud.mode = "503";
    await until(() => cloud.refusals.length >= 2, "two 503 answers");
    cloud.mode = "up";
    await until(async () => (await spool.stats()).pending === 0, "all 30 acknowledged");
    ac.abort();
    await loop;
    expect(cloud.received).toHaveLength(30);
    expect((await spool.stats()).pending).toBe(0);
    expect(sender.status.consecutiveFailures).toBe(0);
    await spool.close();
  });

  it("after a restart sends only what the cloud has not acknowledged", async () => {
    const dir = await tempDir();
    const spool = await Spool.open(dir, spoolOpts);
    await spool.append(Array.from({ length: 5 }, (_, i) => newEvent(`first${i}`)));
    await makeSender(spool).sender.step();
    await spool.append(Array.from({ length: 3 }, (_, i) => newEvent(`second${i}`)));
    await spool.close();

    const reopened = await Spool.open(dir, spoolOpts);
    const { sender } = makeSender(reopened);
    await drain(sender, () => cloud.events.size === 8, "all 8 stored");
    expect(cloud.received.map((e) => e.id)).toEqual([...[0, 1, 2, 3, 4].map((i) => `first${i}`), ...[0, 1, 2].map((i) => `second${i}`)]);
    await reopened.close();
  });

  it("a batch the cloud stored but whose answer was lost (crash mid-batch) is resent, counted as duplicates, stored once", async () => {
    const dir = await tempDir();
    const spool = await Spool.open(dir, spoolOpts);
    await spool.append(Array.from({ length: 4 }, (_, i) => newEvent(`e${i}`)));
    cloud.mode = "lose-answer";
    const wait = await makeSender(spool).sender.step();
    expect(wait).toBeGreaterThan(0);
    expect(cloud.events.size).toBe(4);
    await spool.close();

    cloud.mode = "up";
    const reopened = await Spool.open(dir, spoolOpts);
    const { sender } = makeSender(reopened);
    expect(await sender.step()).toBe(0);
    expect(cloud.events.size).toBe(4);
    expect(cloud.received).toHaveLength(8);
    expect((await reopened.stats()).pending).toBe(0);
    await reopened.close();
  });

  it("a refused key is logged with the cloud's answer and retried slowly, not spun", async () => {
    const spool = await Spool.open(await tempDir(), spoolOpts);
    await spool.append([newEvent("a")]);
    const log = captureLog();
    // Default (production) refusal backoff: at least 30 s.
    const sender = new Sender({
      spool,
      client: new CloudClient({ baseUrl: cloud.url, agentId: AGENT_ID, agentKey: "wrong-key-".repeat(5) }),
      log,
      limits: { maxBatchEvents: 500, maxBatchBytes: 1024 * 1024 },
      warn: () => {},
    });
    const wait = await sender.step();
    expect(wait).toBeGreaterThanOrEqual(30_000);
    expect(cloud.refusals).toEqual([{ status: 401, code: "bad_signature" }]);
    expect(log.lines.join("\n")).toContain("signature does not match");
    expect((await spool.stats()).pending).toBe(1);
    await spool.close();
  });

  it("sets aside an event the cloud names as invalid and sends the rest", async () => {
    const spool = await Spool.open(await tempDir(), spoolOpts);
    await spool.append([newEvent("ok1"), { id: "bad", toJson: (seq) => JSON.stringify({ id: "bad", seq, type: "connection.lost", occurredAt: "2026-11-22T18:03:11+03:00" }) }, newEvent("ok2")]);
    const { sender, warnings } = makeSender(spool);
    await drain(sender, () => cloud.events.size === 2, "the two valid events stored");
    expect([...cloud.events.keys()].sort()).toEqual(["ok1", "ok2"]);
    expect(warnings).toContain("events_quarantined");
    expect((await spool.stats()).pending).toBe(0);
    await spool.close();
  });
});

describe("backoff", () => {
  it("grows exponentially up to the cap, with full jitter above a floor", () => {
    const o = { baseMs: 1000, maxMs: 60_000, minMs: 200 };
    expect([0, 1, 2, 3, 10].map((n) => backoffDelay(n, { ...o, random: () => 1 }))).toEqual([1000, 2000, 4000, 8000, 60_000]);
    expect(backoffDelay(5, { ...o, random: () => 0 })).toBe(200);
    expect(backoffDelay(3, { ...o, random: () => 0.5 })).toBe(4100);
  });
});
