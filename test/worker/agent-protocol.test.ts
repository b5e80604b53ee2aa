import { env, runInDurableObject } from "cloudflare:test";
import { beforeAll, describe, expect, it } from "vitest";
import { event, INVALID, nextIds } from "../fixtures/events";
import { admin, agentHeaders, agentPost, call, heartbeatBody, provision, type Provisioned } from "./helpers";

let p: Provisioned;
beforeAll(async () => {
  p = await provision();
});

const journalCount = (restaurantId: string) =>
  runInDurableObject(env.RESTAURANT.getByName(restaurantId), (_i, state) => state.storage.sql.exec<{ n: number }>("SELECT COUNT(*) AS n FROM journal WHERE source != 'cloud'").one().n);

describe("signed agent requests", () => {
  it("accepts a batch signed with the agent's key and acknowledges it", async () => {
    const r = await agentPost(p, "/events", { events: [event("check.deleted"), event("employee.login")] });
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ accepted: 2, duplicates: 0 });
    expect(r.headers.get("X-Server-Time")).toMatch(/^\d+$/);
  });

  it("refuses a signature made with another key", async () => {
    const r = await agentPost(p, "/events", { events: [event("check.deleted")] }, { key: "not-the-key" });
    expect(r.status).toBe(401);
    expect(r.body.error.code).toBe("bad_signature");
  });

  it("refuses a body that is not the one signed", async () => {
    const body = JSON.stringify({ events: [event("check.deleted")] });
    const headers = await agentHeaders(p.agentId, p.agentKey, body);
    const res = await call("/agent/v1/events", {
      method: "POST",
      headers: { ...headers, "content-type": "application/json" },
      body: body.replace("check.deleted", "check.annulled"),
    });
    expect(res.status).toBe(401);
    expect(((await res.json()) as any).error.code).toBe("bad_signature");
  });

  it("refuses stale and future timestamps, saying by how much", async () => {
    const now = Math.floor(Date.now() / 1000);
    for (const at of [now - 301, now + 301]) {
      const r = await agentPost(p, "/events", { events: [event("check.deleted")] }, { at });
      expect(r.status).toBe(401);
      expect(r.body.error.code).toBe("stale_timestamp");
      expect(r.body.error.message).toMatch(/30\d s (behind|ahead of)/);
    }
    const ok = await agentPost(p, "/events", { events: [event("check.deleted")] }, { at: now - 290 });
    expect(ok.status).toBe(200);
  });

  it("refuses an unknown agent without storing anything", async () => {
    const r = await agentPost({ agentId: "agt_doesnotexist", agentKey: p.agentKey }, "/events", { events: [event("check.deleted")] });
    expect(r.status).toBe(401);
    expect(r.body.error.code).toBe("unknown_agent");
  });

  it("refuses requests without the signature headers", async () => {
    const res = await call("/agent/v1/events", { method: "POST", headers: { "content-type": "application/json" }, body: "{}" });
    expect(res.status).toBe(401);
  });

  it("stops accepting the old key the moment the key is rotated", async () => {
    const q = await provision();
    const rotated = await admin("POST", `/agents/${q.agentId}/rotate-key`);
    expect(rotated.status).toBe(200);
    expect(rotated.body.agentKey).not.toBe(q.agentKey);
    expect((await agentPost(q, "/events", { events: [event("pos.started")] })).status).toBe(401);
    expect((await agentPost({ ...q, agentKey: rotated.body.agentKey }, "/events", { events: [event("pos.started")] })).status).toBe(200);
  });

  it("stops accepting a revoked agent", async () => {
    const q = await provision();
    expect((await admin("POST", `/agents/${q.agentId}/revoke`)).status).toBe(200);
    const r = await agentPost(q, "/events", { events: [event("pos.started")] });
    expect(r.status).toBe(401);
    expect(r.body.error.code).toBe("unknown_agent");
  });
});

describe("POST /agent/v1/events", () => {
  it("stores nothing when one event of the batch is invalid, and names it", async () => {
    const q = await provision();
    const bad = { ...INVALID["dish.deleted_saved"], ...nextIds() };
    const r = await agentPost(q, "/events", { events: [event("check.deleted"), bad, event("employee.login")] });
    expect(r.status).toBe(400);
    expect(r.body.error.code).toBe("invalid_body");
    expect(r.body.error.issues[0].path.slice(0, 2)).toEqual(["events", 1]);
    expect(await journalCount(q.restaurantId)).toBe(0);
  });

  it("refuses cloud-made event types from an agent", async () => {
    const r = await agentPost(p, "/events", {
      events: [{ ...nextIds(), type: "connection.lost", occurredAt: "2026-11-22T18:00:00+03:00", data: {} }],
    });
    expect(r.status).toBe(400);
  });

  it("treats a resent event as a duplicate, not a second alert", async () => {
    const q = await provision();
    const batch = { events: [event("check.deleted"), event("dish.deleted_saved")] };
    const first = await agentPost(q, "/events", batch);
    const again = await agentPost(q, "/events", batch);
    expect(first.body).toMatchObject({ accepted: 2, duplicates: 0 });
    expect(again.body).toMatchObject({ accepted: 0, duplicates: 2 });
    expect(await journalCount(q.restaurantId)).toBe(2);
  });

  it("acknowledges the highest seq below which nothing is missing", async () => {
    const q = await provision();
    const at = (seq: number) => event("order.saved", { seq });
    expect((await agentPost(q, "/events", { events: [at(1), at(2), at(4)] })).body.ackSeq).toBe(2);
    expect((await agentPost(q, "/events", { events: [at(5)] })).body.ackSeq).toBe(2);
    expect((await agentPost(q, "/events", { events: [at(3)] })).body.ackSeq).toBe(5);
  });

  it("lets an agent move ackSeq past seqs it will never send (floorSeq)", async () => {
    const q = await provision();
    expect((await agentPost(q, "/events", { events: [event("order.saved", { seq: 1000 })] })).body.ackSeq).toBe(0);
    expect((await agentPost(q, "/events", { events: [event("order.saved", { seq: 1001 })], floorSeq: 1000 })).body.ackSeq).toBe(1001);
  });

  it("refuses more than 500 events with 413", async () => {
    const events = Array.from({ length: 501 }, () => event("order.saved"));
    const r = await agentPost(p, "/events", { events });
    expect(r.status).toBe(413);
    expect(r.body.error.code).toBe("too_large");
  });

  it("refuses a body over 1 MiB with 413", async () => {
    const big = event("pos.unclassified", { data: { source: "x", raw: "y".repeat(1024 * 1024) } });
    const r = await agentPost(p, "/events", { events: [big] });
    expect(r.status).toBe(413);
  });

  it("refuses a body that is not JSON by content type (415) or by content (400)", async () => {
    expect((await agentPost(p, "/events", null, { body: "<xml/>", contentType: "text/xml" })).status).toBe(415);
    const r = await agentPost(p, "/events", null, { body: "{not json" });
    expect(r.status).toBe(400);
    expect(r.body.error.code).toBe("invalid_body");
  });
});

describe("POST /agent/v1/heartbeat", () => {
  it("answers server time and the agent's configuration", async () => {
    const r = await agentPost(p, "/heartbeat", heartbeatBody());
    expect(r.status).toBe(200);
    expect(Math.abs(Date.parse(r.body.serverTime) - Date.now())).toBeLessThan(5000);
    expect(r.body.config).toMatchObject({ connectionLossSeconds: 90, maxBatchEvents: 500, timezone: "Europe/Moscow", currency: "RUB" });
  });

  it("refuses an invalid heartbeat", async () => {
    const r = await agentPost(p, "/heartbeat", { agentVersion: "1", pos: { kind: "rkeeper7" } });
    expect(r.status).toBe(400);
  });
});

describe("routes", () => {
  it("answers unknown routes with 404 JSON", async () => {
    const res = await call("/nope");
    expect(res.status).toBe(404);
    expect(await res.json()).toMatchObject({ error: { code: "not_found" } });
  });

  it("answers a wrong method with 405 and Allow", async () => {
    const res = await call("/agent/v1/events", { method: "GET" });
    expect(res.status).toBe(405);
    expect(res.headers.get("Allow")).toBe("POST");
    expect(await res.json()).toMatchObject({ error: { code: "method_not_allowed" } });
  });

  it("refuses a link request that is not a WebSocket upgrade", async () => {
    const res = await call("/agent/v1/link");
    expect(res.status).toBe(426);
  });
});
