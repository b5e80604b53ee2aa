/**
 * The admin page end to end in a real headless Chromium against the Worker
 * under `wrangler dev`: sign in, add a restaurant and an agent, see it go
 * online when the agent's heartbeat arrives, create a link code, open the
 * monitoring panel, create a problem and move it to resolved while its
 * colour changes. Screenshots of the main pages go to docs/screenshots/.
 */
import { existsSync, mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { gzipSync } from "node:zlib";
import { tmpdir } from "node:os";
import path from "node:path";
import { chromium, type BrowserContext, type Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ROOT, startWorker, type LocalWorker } from "../../bench/lib/worker";
import { importAgentKey, signRequest } from "../../src/protocol/signing";

const CHROMIUM = "/usr/bin/chromium";
const ADMIN_EMAIL = "admin@e2e.test";
const ADMIN_PASSWORD = "e2e-admin-password";
// Screenshots are always taken (a page that cannot render fails here); they
// replace the ones in docs/ only when asked, so a test run leaves the tree clean.
const SHOTS =
  process.env.UPDATE_SCREENSHOTS === "1" ? path.join(ROOT, "docs", "screenshots") : mkdtempSync(path.join(tmpdir(), "tillwatch-shots-"));

/**
 * CI sets TILLWATCH_NO_BROWSER=1 only when Debian's chromium could not be
 * installed (.ci/run says so in its log); the browser specs are then reported
 * as skipped, with a warning, instead of silently passing.
 */
const NO_BROWSER = process.env.TILLWATCH_NO_BROWSER === "1";
if (NO_BROWSER) console.warn("WARNING: TILLWATCH_NO_BROWSER=1 — the admin page's browser specs are SKIPPED");

let worker: LocalWorker;
let browser: BrowserContext;
let page: Page;
let profile: string;

beforeAll(async () => {
  if (NO_BROWSER) return;
  if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing: apt-get install chromium (never npx playwright install)`);
  worker = await startWorker({ vars: { ADMIN_EMAIL, ADMIN_PASSWORD, HEARTBEAT_SECONDS: "5" }, verbose: process.env.E2E_VERBOSE === "1" });
  profile = mkdtempSync(path.join(tmpdir(), "tillwatch-chromium-"));
  // A fresh profile per run (playwright passes it to Chromium as --user-data-dir).
  browser = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    args: [
      "--no-sandbox",
      "--disable-gpu",
      "--disable-quic",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
    ],
    viewport: { width: 1280, height: 900 },
    locale: "ru-RU",
  });
  page = browser.pages()[0] ?? (await browser.newPage());
  mkdirSync(SHOTS, { recursive: true });
});

afterAll(async () => {
  await browser?.close();
  await worker?.stop();
  if (profile) rmSync(profile, { recursive: true, force: true });
});

const shot = (name: string) => page.screenshot({ path: path.join(SHOTS, `${name}.png`), fullPage: true });

async function adminApi<T>(p: string, body: unknown, token = worker.vars.ADMIN_API_TOKEN!): Promise<T> {
  const res = await fetch(worker.url + p, {
    method: "POST",
    headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
    body: JSON.stringify(body),
  });
  if (!res.ok) throw new Error(`${p}: ${res.status} ${await res.text()}`);
  return (await res.json()) as T;
}

const background = (selector: string) => page.locator(selector).first().evaluate((el) => getComputedStyle(el).backgroundColor);
const ORANGE = "rgb(239, 125, 0)";
const YELLOW = "rgb(224, 180, 0)";
const GREEN = "rgb(46, 139, 58)";

describe.skipIf(NO_BROWSER)("the admin page in Chromium", () => {
  let restaurantId = "";
  let accountId = "";
  let agent = { id: "", key: "" };

  async function agentPost(path: "/heartbeat" | "/events", payload: unknown): Promise<Response> {
    const body = JSON.stringify(payload);
    const headers = await signRequest(agent.id, await importAgentKey(agent.key), body, Math.floor(Date.now() / 1000));
    return fetch(`${worker.url}/agent/v1${path}`, { method: "POST", headers: { ...headers, "content-type": "application/json" }, body });
  }

  it("signs in and adds a restaurant and an agent; the agent goes online when its heartbeat arrives", async () => {
    await page.goto(`${worker.url}/admin/restaurants`);
    expect(page.url()).toContain("/admin/login");
    await shot("login");
    await page.fill('input[name="email"]', ADMIN_EMAIL);
    await page.fill('input[name="password"]', ADMIN_PASSWORD);
    await Promise.all([page.waitForURL("**/admin/restaurants"), page.click("#login")]);

    await page.fill('#add-account input[name="name"]', "Сеть «Смачно»");
    await Promise.all([page.waitForLoadState("load"), page.click("#add-account button")]);
    await page.fill('#add-restaurant input[name="name"]', "Смачно на Подолі");
    await page.fill('#add-restaurant input[name="timezone"]', "Europe/Kyiv");
    await page.fill('#add-restaurant input[name="city"]', "KYV");
    await Promise.all([page.waitForLoadState("load"), page.click("#add-restaurant button")]);
    const row = page.locator("tr[data-restaurant]", { hasText: "Смачно на Подолі" });
    restaurantId = (await row.getAttribute("data-restaurant"))!;
    expect(restaurantId).toMatch(/^rst_/);

    await row.locator('.add-agent input[name="name"]').fill("Касовий сервер");
    await Promise.all([page.waitForLoadState("load"), row.locator(".add-agent button").click()]);
    const command = (await page.locator("#agent-command").textContent())!.trim();
    const m = /^npm run agent -- --url (\S+) --agent-id (agt_\w+) --agent-key (\S+) --source simulator$/.exec(command);
    expect(m, command).not.toBeNull();
    expect(m![1]).toBe(worker.url);
    agent = { id: m![2]!, key: m![3]! };
    await page.locator("#agent-command").evaluate((el) => (el.textContent = el.textContent!.replace(/--agent-key \S+/, "--agent-key ••••••••")));
    await shot("agent-key");

    // What a row says before the agent ever connected.
    await page.goto(`${worker.url}/admin/restaurants`);
    const state = page.locator(`#r-${restaurantId} td.conn [data-state]`);
    expect(await state.getAttribute("data-state")).toBe("never");

    // A test agent: a signed heartbeat, exactly as the real agent sends it.
    const res = await agentPost("/heartbeat", { agentVersion: "1.0.0-e2e", pos: { kind: "simulator", online: true }, stations: [] });
    expect(res.status).toBe(200);

    // The page polls: the row turns online without a reload.
    await page.locator(`#r-${restaurantId} td.conn [data-state="online"]`).waitFor({ timeout: 20_000 });
    expect(await background(`#r-${restaurantId} td.conn [data-state="online"]`)).toBe(GREEN);
    await expect(page.locator(`#r-${restaurantId}`).textContent()).resolves.toContain("1.0.0-e2e");
    await shot("restaurants");

    const account = page.locator('#add-restaurant select[name="accountId"] option', { hasText: "Сеть «Смачно»" });
    accountId = (await account.getAttribute("value"))!;
  });

  it("creates a link code for the restaurant's chat", async () => {
    await page.goto(`${worker.url}/admin/chats`);
    await page.selectOption('#create-link-code select[name="target"]', `restaurant:${restaurantId}`);
    await Promise.all([page.waitForLoadState("load"), page.click("#create-link-code button")]);
    await expect(page.locator("#code").textContent()).resolves.toMatch(/^\/link [A-Z0-9]{5}-[A-Z0-9]{5}$/);
    const code = (await page.locator("#code").textContent())!.replace("/link ", "");

    // A group links itself with the code, as Telegram would deliver it (no bot token: the local stand-in answers).
    const chat = { id: -4_200_000_123, type: "group", title: "Смачно — зміна" };
    const from = { id: 777, is_bot: false, first_name: "Олена", language_code: "uk" };
    const linked = await fetch(`${worker.url}/telegram/webhook`, {
      method: "POST",
      headers: { "content-type": "application/json", "X-Telegram-Bot-Api-Secret-Token": worker.vars.TELEGRAM_WEBHOOK_SECRET! },
      body: JSON.stringify({
        update_id: 1,
        message: { message_id: 1, date: Math.floor(Date.now() / 1000), chat, from, text: `/link ${code}`, entities: [{ type: "bot_command", offset: 0, length: 5 }] },
      }),
    });
    expect(linked.status).toBe(200);
    await page.goto(`${worker.url}/admin/chats`);
    await expect(page.locator("#chats").textContent()).resolves.toContain("Смачно — зміна");
    await shot("chats");

    // An alert-worthy event from the till: the journal shows it with its delivery to the chat.
    const event = {
      id: "e2e-1",
      seq: 1,
      type: "dish.deleted_saved",
      occurredAt: new Date().toISOString(),
      employee: { code: "17", name: "Іванова А. <b>" },
      order: { id: "{5C2}", number: "123", table: "5" },
      items: [{ code: "1001", name: "Стейк рибай", quantity: 1, price: 250000, amount: 250000 }],
      reason: "Помилка офіціанта",
      amount: 250000,
      currency: "UAH",
    };
    expect((await agentPost("/events", { events: [event] })).status).toBe(200);
    const journal = `${worker.url}/admin/journal?restaurant=${restaurantId}`;
    for (let i = 0; i < 60; i++) {
      await page.goto(journal);
      if ((await page.locator('tr[data-event="e2e-1"] .pill.st-sent').count()) > 0) break;
      await page.waitForTimeout(500);
    }
    await expect(page.locator('tr[data-event="e2e-1"] .pill.st-sent').count()).resolves.toBe(1);
    await expect(page.locator('tr[data-event="e2e-1"]').textContent()).resolves.toContain("Іванова А. <b>");
    await shot("journal");
    await page.goto(`${worker.url}/admin/standin?chat=${chat.id}`);
    await expect(page.locator("#standin").textContent()).resolves.toContain("Стейк рибай");
    await shot("standin");
    await page.goto(`${worker.url}/admin/licenses`);
    await shot("licenses");
  });

  it("shows an order card on the monitoring panel and moves a problem to resolved as the colours change", async () => {
    const apiKey = await adminApi<{ key: string }>("/admin/api/api-keys", { accountId, name: "Сайт", scope: "orders" });
    const created = await fetch(`${worker.url}/api/v1/orders`, {
      method: "POST",
      headers: { authorization: `Bearer ${apiKey.key}`, "content-type": "application/json" },
      body: JSON.stringify({
        restaurantId,
        source: "ios",
        externalId: "ios-4232-00200",
        number: "4232-00200",
        status: "cooking",
        operator: "Dots_Designer",
        client: { name: "Олена", phone: "+380501234567", language: "uk", note: "Алергія на горіхи" },
        delivery: { type: "home", address: "вул. Хрещатик, 1", note: "Під'їзд 2", courier: { name: "Іван #12", phone: "+380671112233" }, price: 5_000 },
        items: [
          { name: "Борщ", quantity: 2, price: 12_000, discountedPrice: 10_000 },
          { name: "Вареники з вишнею", quantity: 1, price: 9_500 },
        ],
        cutlery: 2,
        promotions: ["Борщ -20% по вівторках"],
        promoCodes: ["SMACHNO10"],
        cashback: { spent: 1_000, accrued: 1_450 },
        wishes: "Без цибулі",
        operatorComment: "Клієнт просив зателефонувати",
        total: 33_500,
        currency: "UAH",
        paymentMethod: "cash",
        actor: "Dots_Designer",
      }),
    });
    expect(created.status).toBe(201);
    const orderId = ((await created.json()) as { id: string }).id;

    await page.goto(`${worker.url}/admin/monitor`);
    const card = page.locator(`#o-${orderId}`);
    // The panel polls until the order's projection reaches it.
    await card.waitFor({ timeout: 30_000 });
    expect(await card.getAttribute("data-indicator")).toBe("grey");
    await card.locator(`[data-toggle="b-${orderId}"]`).click();
    await shot("monitor");

    await card.locator(`#p-${orderId} > summary`).click();
    await card.locator('.new-problem select[name="culprit"]').selectOption("courier");
    await card.locator('.new-problem textarea[name="description"]').fill("Кур'єр запізнюється на 30 хвилин");
    await Promise.all([page.waitForLoadState("load"), card.locator(".new-problem button").click()]);
    await expect(page.locator(`#o-${orderId}`).getAttribute("data-indicator")).resolves.toBe("orange");
    expect(await background(`#o-${orderId} [data-role="problems"]`)).toBe(ORANGE);

    await page.goto(`${worker.url}/admin/monitor?tab=problems`);
    await expect(page.locator("#problems tr.prob-new").count()).resolves.toBe(1);
    await shot("problems");

    await page.goto(`${worker.url}/admin/monitor`);
    await page.locator(`#p-${orderId} > summary`).click();
    await Promise.all([page.waitForLoadState("load"), page.locator(`#p-${orderId} button[data-action="take"]`).click()]);
    await expect(page.locator(`#o-${orderId}`).getAttribute("data-indicator")).resolves.toBe("yellow");
    expect(await background(`#o-${orderId} [data-role="problems"]`)).toBe(YELLOW);

    await page.locator(`#p-${orderId} > summary`).click();
    await page.locator(`#p-${orderId} input[name="resolution"]`).fill("Вибачились, дали промокод");
    await Promise.all([page.waitForLoadState("load"), page.locator(`#p-${orderId} button[data-action="resolve"]`).click()]);
    await expect(page.locator(`#o-${orderId}`).getAttribute("data-indicator")).resolves.toBe("green");
    expect(await background(`#o-${orderId} [data-role="problems"]`)).toBe(GREEN);
    await page.locator(`#p-${orderId} > summary`).click();
    await shot("monitor-problem-resolved");
  });

  it("keeps every page small enough for a phone connection", async () => {
    const weights: string[] = [];
    let assets = 0;
    for (const p of ["/admin/restaurants", "/admin/licenses", "/admin/chats", `/admin/journal?restaurant=${restaurantId}`, "/admin/monitor", "/admin/monitor?tab=problems", "/admin/standin", "/admin/users"]) {
      const res = await page.request.get(worker.url + p);
      expect(res.status(), p).toBe(200);
      const body = await res.body();
      weights.push(`${p}: ${body.length} B (${gzipSync(body).length} B gzip)`);
      expect(body.length, p).toBeLessThan(40_000);
    }
    const html = await page.request.get(`${worker.url}/admin/restaurants`).then((r) => r.text());
    for (const asset of html.match(/\/admin\/static\/app\.\w+\.(css|js)/g) ?? []) {
      const body = await (await page.request.get(worker.url + asset)).body();
      weights.push(`${asset}: ${body.length} B (${gzipSync(body).length} B gzip)`);
      assets += body.length;
    }
    expect(assets).toBeLessThan(10_000);
    console.log(`page weights (one restaurant, one order):\n  ${weights.join("\n  ")}`);
  });

  it("signs out", async () => {
    await Promise.all([page.waitForURL("**/admin/login"), page.click("#logout")]);
    await page.goto(`${worker.url}/admin/monitor`);
    expect(page.url()).toContain("/admin/login");
  });
});
