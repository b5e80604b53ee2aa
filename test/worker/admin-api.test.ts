import { env } from "cloudflare:test";
import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { database } from "../../src/db/client";
import { agents, auditLog, linkCodes } from "../../src/db/schema";
import { sha256Hex } from "../../src/lib/crypto";
import { event } from "../fixtures/events";
import { admin, agentPost, call, heartbeatBody, provision } from "./helpers";

describe("admin API authentication", () => {
  it("refuses a missing or wrong bearer token with 401", async () => {
    const missing = await call("/admin/api/accounts", { method: "POST", headers: { "content-type": "application/json" }, body: '{"name":"x"}' });
    expect(missing.status).toBe(401);
    expect(((await missing.json()) as any).error.code).toBe("unauthorized");
    expect((await admin("POST", "/accounts", { name: "x" }, "test-admin-token-but-longer")).status).toBe(401);
    expect((await admin("POST", "/accounts", { name: "x" }, "wrong")).status).toBe(401);
  });
});

describe("provisioning", () => {
  it("creates an account, a restaurant and an agent whose key works, shown once", async () => {
    const acc = await admin("POST", "/accounts", { name: "Сеть «Вкусно»" });
    expect(acc.status).toBe(201);
    const rest = await admin("POST", "/restaurants", { accountId: acc.body.id, name: "На Тверской", timezone: "Europe/Moscow" });
    expect(rest.status).toBe(201);
    const ag = await admin("POST", `/restaurants/${rest.body.id}/agents`, { name: "Касса 1" });
    expect(ag.status).toBe(201);
    expect(ag.body.agentKey).toMatch(/^[A-Za-z0-9_-]{43}$/);

    const ok = await agentPost({ agentId: ag.body.agentId, agentKey: ag.body.agentKey }, "/events", { events: [event("pos.started")] });
    expect(ok.status).toBe(200);

    // The key is nowhere in D1.
    const [row] = await database(env.DB).select().from(agents).where(eq(agents.id, ag.body.agentId));
    expect(JSON.stringify(row)).not.toContain(ag.body.agentKey);
    const listed = await admin("GET", `/restaurants/${rest.body.id}/agents`);
    expect(JSON.stringify(listed.body)).not.toContain(ag.body.agentKey);
  });

  it("shows a restaurant's live connection state", async () => {
    const p = await provision();
    const before = await admin("GET", `/restaurants/${p.restaurantId}`);
    expect(before.status).toBe(200);
    expect(before.body).toMatchObject({ id: p.restaurantId, name: "Бистро «Тест»", connection: { state: "never", since: null } });
    await agentPost(p, "/heartbeat", heartbeatBody());
    const after = await admin("GET", `/restaurants/${p.restaurantId}`);
    expect(after.body.connection.state).toBe("online");
    expect(Date.parse(after.body.connection.since)).toBeGreaterThan(Date.now() - 60_000);
    expect(after.body.agents[0]).toMatchObject({ id: p.agentId, license: { plan: "trial", state: "trial" }, agentVersion: "1.0.0" });
  });

  it("answers 404 for unknown ids", async () => {
    expect((await admin("GET", "/restaurants/rst_nope")).status).toBe(404);
    expect((await admin("POST", "/restaurants", { accountId: "acc_nope", name: "x", timezone: "UTC" })).status).toBe(404);
    expect((await admin("POST", "/restaurants/rst_nope/agents", { name: "x" })).status).toBe(404);
    expect((await admin("POST", "/agents/agt_nope/rotate-key")).status).toBe(404);
    expect((await admin("POST", "/link-codes", { restaurantId: "rst_nope" })).status).toBe(404);
  });

  it("answers 400 with the zod issues for invalid bodies, and changes nothing", async () => {
    const r = await admin("POST", "/accounts", { name: "" });
    expect(r.status).toBe(400);
    expect(r.body.error.code).toBe("invalid_body");
    expect(r.body.error.issues[0].path).toEqual(["name"]);
    const acc = await admin("POST", "/accounts", { name: "A" });
    const tz = await admin("POST", "/restaurants", { accountId: acc.body.id, name: "R", timezone: "Mars/Olympus" });
    expect(tz.status).toBe(400);
    expect(tz.body.error.message).toContain("Mars/Olympus");
    expect((await admin("GET", `/accounts/${acc.body.id}`)).body.restaurants).toEqual([]);
    expect((await admin("POST", "/link-codes", { restaurantId: "a", accountId: "b" })).status).toBe(400);
  });

  it("refuses a body that is not JSON with 415", async () => {
    const res = await call("/admin/api/accounts", { method: "POST", headers: { authorization: "Bearer test-admin-token", "content-type": "text/plain" }, body: "name=x" });
    expect(res.status).toBe(415);
  });

  it("issues single-use link codes that expire, storing only their hash", async () => {
    const p = await provision();
    const r = await admin("POST", "/link-codes", { restaurantId: p.restaurantId });
    expect(r.status).toBe(201);
    expect(r.body.code).toMatch(/^[A-Z2-9]{5}-[A-Z2-9]{5}$/);
    expect(Date.parse(r.body.expiresAt)).toBeGreaterThan(Date.now());
    const rows = await database(env.DB).select().from(linkCodes).where(eq(linkCodes.codeHash, await sha256Hex(r.body.code)));
    expect(rows).toHaveLength(1);
    expect(JSON.stringify(await database(env.DB).select().from(linkCodes))).not.toContain(r.body.code);
    const acc = await admin("POST", "/link-codes", { accountId: p.accountId, ttlMinutes: 10 });
    expect(acc.status).toBe(201);
    expect(Date.parse(acc.body.expiresAt) - Date.now()).toBeLessThanOrEqual(10 * 60_000);
  });

  it("extends a license by periods", async () => {
    const p = await provision();
    const r = await admin("POST", `/agents/${p.agentId}/license`, { plan: "yearly" });
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ plan: "yearly", state: "active" });
    expect(Date.parse(r.body.paidUntil)).toBeGreaterThan(Date.now() + 360 * 86_400_000);
  });

  it("writes every change to the audit log", async () => {
    const p = await provision();
    await admin("POST", `/agents/${p.agentId}/rotate-key`);
    const rows = await database(env.DB).select().from(auditLog).where(eq(auditLog.targetId, p.agentId));
    expect(rows.map((r) => r.action)).toEqual(["agent.create", "agent.rotate_key"]);
    expect(rows.every((r) => r.actor === "admin-api")).toBe(true);
  });

  it("shows the journal with what happened to each alert", async () => {
    const p = await provision();
    await agentPost(p, "/events", { events: [event("check.deleted"), event("order.saved")] });
    const j = await admin("GET", `/restaurants/${p.restaurantId}/journal?limit=10`);
    expect(j.status).toBe(200);
    expect(j.body.events.map((e: any) => e.type).sort()).toEqual(["check.deleted", "order.saved"]);
    expect((await admin("GET", `/restaurants/${p.restaurantId}/journal?limit=abc`)).status).toBe(400);
  });
});
