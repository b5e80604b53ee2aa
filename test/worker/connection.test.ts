import { env, evictDurableObject, runDurableObjectAlarm, runInDurableObject } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { event } from "../fixtures/events";
import { agentHeaders, call, heartbeatBody, provision, signedForObject, type Provisioned } from "./helpers";

const SEC = 1000;
/**
 * Tests that drive the clock use moments an hour ahead: the object's real
 * alarm (armed for those moments) then cannot fire during the test.
 */
const future = () => Date.now() + 60 * 60 * SEC;
const stubOf = (p: Provisioned) => env.RESTAURANT.getByName(p.restaurantId);

/** What the restaurant object journaled by itself (connection and POS events), oldest first. */
async function cloudEvents(p: Provisioned): Promise<Array<{ type: string; data: any }>> {
  return runInDurableObject(stubOf(p), (_o, s) =>
    s.storage.sql
      .exec<{ body: string }>("SELECT body FROM journal WHERE source = 'cloud' ORDER BY id")
      .toArray()
      .map((r) => JSON.parse(r.body)),
  );
}

/** An authenticated request from the agent at a chosen moment (a sign of life at `at`). */
async function heartbeatAt(p: Provisioned, at: number, online = true) {
  const req = await signedForObject(p, heartbeatBody(online));
  const r = await stubOf(p).heartbeat(req, at);
  expect(r.status).toBe(200);
}

describe("connection watching in the restaurant object", () => {
  it("has never seen a new agent, and is online after its first request", async () => {
    const p = await provision();
    expect((await stubOf(p).status()).connection.state).toBe("never");
    await heartbeatAt(p, Date.now());
    expect((await stubOf(p).status()).connection.state).toBe("online");
  });

  it("does not alert for a blip shorter than the threshold", async () => {
    const p = await provision();
    const t0 = future();
    await heartbeatAt(p, t0);
    await stubOf(p).tick(t0 + 89 * SEC);
    await heartbeatAt(p, t0 + 89 * SEC);
    await stubOf(p).tick(t0 + 170 * SEC);
    expect(await cloudEvents(p)).toEqual([]);
    expect((await stubOf(p).status()).connection.state).toBe("online");
  });

  it("alerts once when the silence passes the threshold, and once when the agent is back, with the outage length", async () => {
    const p = await provision();
    const t0 = future();
    await heartbeatAt(p, t0);
    await stubOf(p).tick(t0 + 90 * SEC);
    await stubOf(p).tick(t0 + 91 * SEC); // an alarm that runs twice
    await stubOf(p).tick(t0 + 300 * SEC);
    const s = await stubOf(p).status();
    expect(s.connection).toEqual({ state: "lost", since: t0 });
    await heartbeatAt(p, t0 + 1205 * SEC);
    const evs = await cloudEvents(p);
    expect(evs.map((e) => e.type)).toEqual(["connection.lost", "connection.restored"]);
    expect(evs[1]!.data).toMatchObject({ agentId: p.agentId, outageSeconds: 1205 });
    expect((await stubOf(p).status()).connection.state).toBe("online");
  });

  it("is detected by the real alarm, and survives the object being evicted and restarted", async () => {
    const p = await provision();
    // The agent was last heard 100 s ago (threshold 90 s).
    await heartbeatAt(p, Date.now() - 100 * SEC);
    // The alarm is due at once; it may already have fired by itself.
    await runDurableObjectAlarm(stubOf(p));
    await expect.poll(async () => (await cloudEvents(p)).map((e) => e.type)).toEqual(["connection.lost"]);

    await evictDurableObject(stubOf(p));
    await runDurableObjectAlarm(stubOf(p)); // whatever is still armed; must not alert again
    await stubOf(p).tick(Date.now());
    expect((await cloudEvents(p)).map((e) => e.type)).toEqual(["connection.lost"]);
    expect((await stubOf(p).status()).connection.state).toBe("lost");

    await heartbeatAt(p, Date.now());
    const evs = await cloudEvents(p);
    expect(evs.map((e) => e.type)).toEqual(["connection.lost", "connection.restored"]);
    expect(evs[1]!.data.outageSeconds).toBeGreaterThanOrEqual(100);
  });

  it("counts events as signs of life too", async () => {
    const p = await provision();
    const t0 = future();
    await heartbeatAt(p, t0);
    await stubOf(p).tick(t0 + 90 * SEC);
    const ingest = await stubOf(p).ingest(await signedForObject(p, { events: [event("employee.login")] }), t0 + 95 * SEC);
    expect(ingest.status).toBe(200);
    expect((await cloudEvents(p)).map((e) => e.type)).toEqual(["connection.lost", "connection.restored"]);
  });
});

describe("the POS itself", () => {
  it("tells the chats when the POS goes down while the agent is alive, and when it is back", async () => {
    const p = await provision();
    const t0 = future();
    await heartbeatAt(p, t0, true);
    await heartbeatAt(p, t0 + 30 * SEC, true);
    await heartbeatAt(p, t0 + 60 * SEC, false);
    await heartbeatAt(p, t0 + 90 * SEC, false);
    await heartbeatAt(p, t0 + 120 * SEC, true);
    const evs = await cloudEvents(p);
    expect(evs.map((e) => e.type)).toEqual(["pos.stopped", "pos.started"]);
    expect(evs[0]!.data.source).toBe("heartbeat");
    expect((await stubOf(p).status()).pos).toEqual({ online: true, since: t0 + 120 * SEC });
  });

  it("does not repeat a POS stop the agent already reported as an event", async () => {
    const p = await provision();
    const t0 = future();
    await heartbeatAt(p, t0, true);
    const stopped = event("pos.stopped", { occurredAt: new Date(t0 + 10 * SEC).toISOString() });
    await stubOf(p).ingest(await signedForObject(p, { events: [stopped] }), t0 + 11 * SEC);
    await heartbeatAt(p, t0 + 30 * SEC, false);
    expect(await cloudEvents(p)).toEqual([]);
  });
});

describe("the agent link (WebSocket)", () => {
  async function openLink(p: Provisioned, key = p.agentKey): Promise<Response> {
    const headers = await agentHeaders(p.agentId, key, "");
    return call("/agent/v1/link", { headers: { ...headers, Upgrade: "websocket" } });
  }

  it("opens for a correctly signed upgrade and answers pings", async () => {
    const p = await provision();
    const res = await openLink(p);
    expect(res.status).toBe(101);
    const ws = res.webSocket!;
    ws.accept();
    const pong = new Promise<string>((resolve) => ws.addEventListener("message", (e) => resolve(String(e.data))));
    ws.send('{"type":"ping"}');
    expect(await pong).toBe('{"type":"pong"}');
    const s = await stubOf(p).status();
    expect(s.agents[0]!.linked).toBe(true);
    expect(s.connection.state).toBe("online");
    ws.close();
  });

  it("refuses an upgrade signed with the wrong key", async () => {
    const p = await provision();
    const res = await openLink(p, "wrong");
    expect(res.status).toBe(401);
  });

  it("counts pings answered without waking the object as signs of life", async () => {
    const p = await provision();
    const res = await openLink(p);
    const ws = res.webSocket!;
    ws.accept();
    const connectedAt = (await stubOf(p).status()).agents[0]!.connection.lastSeenAt!;
    await new Promise((r) => setTimeout(r, 50));
    const pong = new Promise<void>((resolve) => ws.addEventListener("message", () => resolve()));
    ws.send('{"type":"ping"}');
    await pong;
    // 90 s after connecting (the threshold) but less than 90 s after the ping:
    // only the ping's time, read from the socket, keeps the agent online.
    await stubOf(p).tick(connectedAt + 90 * SEC + 10);
    expect((await cloudEvents(p)).filter((e) => e.type === "connection.lost")).toHaveLength(0);
    expect((await stubOf(p).status()).agents[0]!.connection.lastSeenAt).toBeGreaterThanOrEqual(connectedAt + 40);
    ws.close();
  });
});
