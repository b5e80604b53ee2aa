/**
 * A user of the admin page sees only their own part: an owner their account,
 * an operator the orders of their assigned restaurants. Ids from elsewhere
 * answer "not found" and change nothing. POS strings are escaped.
 */
import { env, runDurableObjectAlarm } from "cloudflare:test";
import { beforeAll, describe, expect, it } from "vitest";
import { database } from "../../src/db/client";
import { agents, linkCodes } from "../../src/db/schema";
import { orderIdFor } from "../../src/domain/orders/ids";
import * as orders from "../../src/services/orders";
import { createUser } from "../../src/services/users";
import { admin, linkChat, provision, type Provisioned } from "./helpers";
import { WebClient } from "./web-client";

let a: Provisioned;
let a2: Provisioned;
let b: Provisioned;
let orderA: string;
let orderA2: string;

async function order(p: Provisioned, number: string): Promise<string> {
  const id = await orderIdFor(p.accountId, "site", `ext-${number}`);
  await orders.upsertOrder(
    env,
    p.accountId,
    id,
    {
      restaurantId: p.restaurantId,
      source: "site",
      externalId: `ext-${number}`,
      number,
      operator: "Dots_Designer",
      client: { name: "Олена <b>", phone: "+380501234567" },
      delivery: { type: "home", address: "вул. Хрещатик, 1" },
      items: [{ name: "Борщ", quantity: 2, price: 12_000, discountedPrice: 10_000 }],
      promotions: [],
      promoCodes: [],
      total: 20_000,
      currency: "UAH",
      paymentMethod: "cash",
      actor: "test",
    },
    "test",
  );
  // The panel lists the D1 projection: drain the order's outbox now rather than wait for its alarm.
  await runDurableObjectAlarm(env.ORDER.getByName(id));
  return id;
}

beforeAll(async () => {
  a = await provision({ name: "Ресторан А <script>alert(1)</script>" });
  a2 = await provision({ accountId: a.accountId, name: "Ресторан А-2" });
  b = await provision({ name: "Ресторан Б" });
  await createUser(env, { email: "owner-a@example.com", password: "owner-a-password", role: "owner", accountId: a.accountId }, "test");
  await createUser(env, { email: "owner-b@example.com", password: "owner-b-password", role: "owner", accountId: b.accountId }, "test");
  await createUser(
    env,
    { email: "operator-a2@example.com", password: "operator-password", role: "operator", accountId: a.accountId, restaurantIds: [a2.restaurantId] },
    "test",
  );
  orderA = await order(a, "4232-00200");
  orderA2 = await order(a2, "4232-00300");
});

async function as(email: string, password: string): Promise<WebClient> {
  const browser = new WebClient(`192.0.2.${Math.floor(Math.random() * 200) + 1}`);
  const res = await browser.login(email, password);
  expect(res.status).toBe(303);
  return browser;
}

describe("account scoping on the admin page", () => {
  it("shows an owner only their account's restaurants, escaped", async () => {
    const ownerA = await as("owner-a@example.com", "owner-a-password");
    const page = await ownerA.get("/admin/restaurants");
    expect(page.status).toBe(200);
    expect(page.html).toContain("Ресторан А &lt;script&gt;alert(1)&lt;/script&gt;");
    expect(page.html).not.toContain("<script>alert(1)</script>");
    expect(page.html).toContain(a2.restaurantId);
    expect(page.html).not.toContain(b.restaurantId);

    const ownerB = await as("owner-b@example.com", "owner-b-password");
    const pageB = await ownerB.get("/admin/restaurants");
    expect(pageB.html).toContain(b.restaurantId);
    expect(pageB.html).not.toContain(a.restaurantId);
    expect(pageB.html).not.toContain("Ресторан А");
    for (const path of ["/admin/licenses", "/admin/chats", "/admin/monitor", "/admin/users"]) {
      const other = await ownerB.get(path);
      expect(other.status).toBe(200);
      expect(other.html).not.toContain(a.restaurantId);
      expect(other.html).not.toContain("4232-00200");
      expect(other.html).not.toContain("owner-a@example.com");
    }
  });

  it("answers 'not found' to another account's ids and changes nothing", async () => {
    const ownerB = await as("owner-b@example.com", "owner-b-password");
    await ownerB.get("/admin/restaurants");
    const agentsBefore = (await database(env.DB).select().from(agents)).length;
    const codesBefore = (await database(env.DB).select().from(linkCodes)).length;
    expect((await ownerB.post(`/admin/restaurants/${a.restaurantId}/agents`, { name: "Чужой" })).status).toBe(404);
    expect((await ownerB.post(`/admin/agents/${a.agentId}/rotate`)).status).toBe(404);
    expect((await ownerB.post(`/admin/agents/${a.agentId}/revoke`)).status).toBe(404);
    expect((await ownerB.post("/admin/link-codes", { target: `restaurant:${a.restaurantId}` })).status).toBe(404);
    expect((await ownerB.post("/admin/link-codes", { target: `account:${a.accountId}` })).status).toBe(404);
    expect((await ownerB.post("/admin/restaurants", { accountId: a.accountId, name: "X", timezone: "Europe/Kyiv" })).status).toBe(404);
    expect((await ownerB.get(`/admin/journal?restaurant=${a.restaurantId}`)).status).toBe(404);
    expect((await ownerB.post(`/admin/orders/${orderA}/problems`, { culprit: "courier", description: "чужое" })).status).toBe(404);
    expect((await ownerB.post(`/admin/orders/${orderA}/export`)).status).toBe(404);
    expect((await database(env.DB).select().from(agents)).length).toBe(agentsBefore);
    expect((await database(env.DB).select().from(linkCodes)).length).toBe(codesBefore);
    expect((await orders.getOrderCard(env, orderA))!.problems).toHaveLength(0);
    // Owners may not extend licenses (that is the dealer's job).
    expect((await ownerB.post(`/admin/agents/${b.agentId}/license`, { plan: "monthly", periods: "1" })).status).toBe(404);
  });

  it("does not let an owner unlink another account's chat", async () => {
    const chat = await linkChat({ restaurantId: a.restaurantId });
    const ownerB = await as("owner-b@example.com", "owner-b-password");
    await ownerB.get("/admin/chats");
    expect((await ownerB.post(`/admin/chats/${chat.chatId}/links/lnk_${chat.chatId}/delete`)).status).toBe(404);
    const ownerA = await as("owner-a@example.com", "owner-a-password");
    const chatsPage = await ownerA.get("/admin/chats");
    expect(chatsPage.html).toContain(String(chat.telegramChatId));
    expect((await ownerA.post(`/admin/chats/${chat.chatId}/links/lnk_${chat.chatId}/delete`)).status).toBe(303);
    expect((await ownerA.get("/admin/chats")).html).not.toContain(String(chat.telegramChatId));
  });

  it("shows an operator only the orders of assigned restaurants, and no setup pages", async () => {
    const op = await as("operator-a2@example.com", "operator-password");
    const panel = await op.get("/admin/monitor");
    expect(panel.status).toBe(200);
    expect(panel.html).toContain("4232-00300");
    expect(panel.html).not.toContain("4232-00200");
    expect(panel.html).toContain("Олена &lt;b&gt;");
    expect((await op.get("/admin/restaurants")).status).toBe(404);
    expect((await op.post(`/admin/orders/${orderA}/problems`, { culprit: "courier", description: "не моё" })).status).toBe(404);
    expect((await op.post(`/admin/orders/${orderA2}/problems`, { culprit: "courier", description: "Курьер опаздывает" })).status).toBe(303);
    expect((await orders.getOrderCard(env, orderA2))!.problems).toHaveLength(1);
  });

  it("lets the admin see every account", async () => {
    const root = new WebClient("192.0.2.250");
    await root.login();
    const page = await root.get("/admin/restaurants");
    expect(page.html).toContain(a.restaurantId);
    expect(page.html).toContain(b.restaurantId);
    const created = await admin("GET", `/restaurants/${b.restaurantId}`);
    expect(created.status).toBe(200);
  });
});
