/**
 * Setting up through the admin page as a dealer would: a restaurant, an
 * agent whose key is shown once with the line to paste (and works), the
 * restaurant going online, licenses, a link code, the journal, and the
 * monitoring panel's problem flow with its colours.
 */
import { env, runDurableObjectAlarm } from "cloudflare:test";
import { eq } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { database } from "../../src/db/client";
import { agents, restaurants } from "../../src/db/schema";
import { orderIdFor } from "../../src/domain/orders/ids";
import * as orders from "../../src/services/orders";
import { admin, agentPost, heartbeatBody } from "./helpers";
import { WebClient } from "./web-client";

let browser: WebClient;
let accountId: string;

beforeAll(async () => {
  accountId = (await admin("POST", "/accounts", { name: "Dealer Group" })).body.id;
  browser = new WebClient("192.0.2.77");
  expect((await browser.login()).status).toBe(303);
});

const indicatorOf = (html: string, orderId: string) => new RegExp(`id="o-${orderId}"[^>]*data-indicator="(\\w+)"`).exec(html)?.[1];

describe("setting up through the admin page", () => {
  let restaurantId: string;
  let agentId: string;

  it("adds a restaurant and an agent; the key is shown once with the exact agent command, and it works", async () => {
    await browser.get("/admin/restaurants");
    const created = await browser.post("/admin/restaurants", { accountId, name: "Кафе «Ромашка»", timezone: "Europe/Kyiv", city: "KYV" });
    expect(created.status).toBe(303);
    const [row] = await database(env.DB).select().from(restaurants).where(eq(restaurants.name, "Кафе «Ромашка»"));
    restaurantId = row!.id;
    expect(row!.accountId).toBe(accountId);

    const page = await browser.post(`/admin/restaurants/${restaurantId}/agents`, { name: "Касса 1" });
    expect(page.status).toBe(201);
    const m = /npm run agent -- --url http:\/\/tillwatch\.test --agent-id (agt_\w+) --agent-key (\S+) --source simulator/.exec(page.html);
    expect(m).not.toBeNull();
    agentId = m![1]!;
    const agentKey = m![2]!;
    expect((await agentPost({ agentId, agentKey }, "/heartbeat", heartbeatBody())).status).toBe(200);

    // The key is never shown again.
    const later = await browser.get("/admin/restaurants");
    expect(later.html).not.toContain(agentKey);
    expect(later.html).toMatch(new RegExp(`data-agent="${agentId}"`));
    // Live state comes from the restaurant's object: online right after the heartbeat.
    const fragment = await browser.get("/admin/restaurants", { "x-fragment": "1" });
    expect(fragment.html).not.toContain("<html");
    expect(fragment.html).toMatch(new RegExp(`id="r-${restaurantId}"[\\s\\S]*?data-state="online"`));
    expect(fragment.html).toContain("1.0.0");
  });

  it("rotates a key (the old one stops working) and revokes an agent", async () => {
    const old = await browser.post(`/admin/restaurants/${restaurantId}/agents`, { name: "Касса 2" });
    const [, id, oldKey] = /--agent-id (agt_\w+) --agent-key (\S+)/.exec(old.html)!;
    const rotated = await browser.post(`/admin/agents/${id}/rotate`);
    expect(rotated.status).toBe(200);
    const [, , newKey] = /--agent-id (agt_\w+) --agent-key (\S+)/.exec(rotated.html)!;
    expect(newKey).not.toBe(oldKey);
    expect((await agentPost({ agentId: id!, agentKey: oldKey! }, "/heartbeat", heartbeatBody())).status).toBe(401);
    expect((await agentPost({ agentId: id!, agentKey: newKey! }, "/heartbeat", heartbeatBody())).status).toBe(200);
    expect((await browser.post(`/admin/agents/${id}/revoke`)).status).toBe(303);
    expect((await agentPost({ agentId: id!, agentKey: newKey! }, "/heartbeat", heartbeatBody())).status).toBe(401);
    const [row] = await database(env.DB).select().from(agents).where(eq(agents.id, id!));
    expect(row!.revokedAt).not.toBeNull();
  });

  it("lists licenses and extends one by a month", async () => {
    const page = await browser.get("/admin/licenses");
    expect(page.html).toMatch(new RegExp(`data-agent="${agentId}" data-state="trial"`));
    expect((await browser.post(`/admin/agents/${agentId}/license`, { plan: "monthly", periods: "1" })).status).toBe(303);
    const [row] = await database(env.DB).select().from(agents).where(eq(agents.id, agentId));
    expect(row!.licensePlan).toBe("monthly");
    expect(row!.paidUntil).toBeGreaterThan(Date.now());
  });

  it("creates a link code to paste in the chat", async () => {
    await browser.get("/admin/chats");
    const page = await browser.post("/admin/link-codes", { target: `restaurant:${restaurantId}` });
    expect(page.status).toBe(201);
    expect(page.html).toMatch(/\/link [A-Z0-9]{5}-[A-Z0-9]{5}/);
  });

  it("shows the journal with each event of the restaurant", async () => {
    const page = await browser.get(`/admin/journal?restaurant=${restaurantId}`);
    expect(page.status).toBe(200);
    expect(page.html).toContain('id="journal-filter"');
  });

  it("moves a problem new → in progress → resolved, and the card's colour follows", async () => {
    const orderId = await orderIdFor(accountId, "call_center", "cc-1");
    await orders.upsertOrder(
      env,
      accountId,
      orderId,
      {
        restaurantId,
        source: "call_center",
        externalId: "cc-1",
        number: "4232-00200",
        operator: "Dots_Designer",
        delivery: { type: "pickup" },
        items: [],
        promotions: [],
        promoCodes: [],
        total: 5_000,
        currency: "UAH",
        actor: "test",
      },
      "test",
    );
    // The panel lists what the order object has projected to D1 (its outbox drain, run here at once).
    await runDurableObjectAlarm(env.ORDER.getByName(orderId));
    expect(indicatorOf((await browser.get("/admin/monitor")).html, orderId)).toBe("grey");
    expect((await browser.post(`/admin/orders/${orderId}/problems`, { culprit: "restaurant", description: "Холодная пицца" })).status).toBe(303);
    const panel = await browser.get("/admin/monitor");
    expect(indicatorOf(panel.html, orderId)).toBe("orange");
    const problems = await browser.get("/admin/monitor?tab=problems");
    expect(problems.html).toContain('class="prob-new"');
    expect(problems.html).toContain("Холодная пицца");
    const problemId = (await orders.getOrderCard(env, orderId))!.problems[0]!.id;
    expect((await browser.post(`/admin/orders/${orderId}/problems/${problemId}`, { action: "take" })).status).toBe(303);
    expect(indicatorOf((await browser.get("/admin/monitor", { "x-fragment": "1" })).html, orderId)).toBe("yellow");
    expect((await browser.post(`/admin/orders/${orderId}/problems/${problemId}`, { action: "resolve", resolution: "Заменили" })).status).toBe(303);
    expect(indicatorOf((await browser.get("/admin/monitor")).html, orderId)).toBe("green");
    // An illegal move is refused and changes nothing.
    expect((await browser.post(`/admin/orders/${orderId}/problems/${problemId}`, { action: "take" })).status).toBe(409);
    expect((await orders.getOrderCard(env, orderId))!.problems[0]!.state).toBe("resolved");
  });

  it("serves the stylesheet and script with a long cache", async () => {
    const page = await browser.get("/admin/restaurants");
    const css = /href="(\/admin\/static\/app\.\w+\.css)"/.exec(page.html)![1]!;
    const res = await browser.get(css);
    expect(res.status).toBe(200);
    expect(res.html.length).toBeGreaterThan(100);
  });
});
