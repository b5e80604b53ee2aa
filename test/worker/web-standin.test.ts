/**
 * The local Telegram stand-in as a chat you can use (demo mode, no bot
 * token): write as the chat's user, see the bot answer, tap its buttons —
 * the same updates Telegram would send, handled by the same bot.
 */
import { createExecutionContext, env } from "cloudflare:test";
import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { createApp } from "../../src/app";
import { database } from "../../src/db/client";
import { chats } from "../../src/db/schema";
import { admin, call, provision } from "./helpers";
import { WebClient } from "./web-client";

/** The Worker as `npm run demo` runs it: no TELEGRAM_BOT_TOKEN, so the bot talks to the stand-in. */
const standinEnv = { ...env, TELEGRAM_BOT_TOKEN: undefined };
const app = createApp();
const demoWorker = (path: string, init: RequestInit) => Promise.resolve(app.fetch(new Request(`http://tillwatch.test${path}`, init), standinEnv, createExecutionContext()));

async function signedIn(fetcher = demoWorker) {
  const browser = new WebClient("203.0.113.50", fetcher);
  const res = await browser.login();
  expect(res.status).toBe(303);
  return browser;
}

let next = 0;
const newChat = (group = false) => (group ? -(4_100_000_000 + ++next) : 4_100_000_000 + ++next);

/** Fieldsets of the chat view as [who, text]. */
function conversationOf(html: string): Array<[string, string]> {
  return [...html.matchAll(/<fieldset data-message-id="\d+" data-from="(user|bot)"[^>]*>([\s\S]*?)<\/fieldset>/g)].map((m) => [m[1]!, m[2]!]);
}

describe("the stand-in chat", () => {
  it("hands what you write to the bot and shows its answer under your message", async () => {
    const browser = await signedIn();
    const chat = newChat();
    await browser.get(`/admin/standin?chat=${chat}`);
    const sent = await browser.post("/admin/standin/say", { chat: String(chat), text: "/help" });
    expect(sent.status).toBe(303);
    expect(sent.location).toBe(`/admin/standin?chat=${chat}`);

    const page = await browser.get(`/admin/standin?chat=${chat}`);
    const said = conversationOf(page.html);
    expect(said[0]).toEqual(["user", expect.stringContaining("/help")]);
    expect(said[1]![0]).toBe("bot");
    expect(said[1]![1]).toContain("/link");
    expect(page.html).toContain('action="/admin/standin/say"');
  });

  it("links a group with a code from the admin API, as a manager would in Telegram", async () => {
    const browser = await signedIn();
    const p = await provision({ name: "Бистро «Заглушка»" });
    const { body } = await admin("POST", "/link-codes", { restaurantId: p.restaurantId });
    const chat = newChat(true);
    await browser.get(`/admin/standin?chat=${chat}`);
    await browser.post("/admin/standin/say", { chat: String(chat), text: `/link ${body.code}` });

    const [row] = await database(env.DB).select().from(chats).where(eq(chats.telegramChatId, chat));
    expect(row).toMatchObject({ type: "group", status: "active" });
    const page = await browser.get(`/admin/standin?chat=${chat}`);
    expect(conversationOf(page.html).at(-1)![1]).toContain("Бистро «Заглушка»");
  });

  it("taps the bot's inline buttons: the menu message is edited in place", async () => {
    const browser = await signedIn();
    const p = await provision();
    const { body } = await admin("POST", "/link-codes", { restaurantId: p.restaurantId });
    const chat = newChat();
    await browser.get(`/admin/standin?chat=${chat}`);
    await browser.post("/admin/standin/say", { chat: String(chat), text: `/link ${body.code}` });
    await browser.post("/admin/standin/say", { chat: String(chat), text: "/settings" });

    const page = await browser.get(`/admin/standin?chat=${chat}`);
    const menu = [...page.html.matchAll(/name="message" value="(\d+)"\/?><input type="hidden" name="data" value="([^"]+)"\/?><button>([^<]+)<\/button>/g)];
    const language = menu.find((m) => m[2]!.startsWith("st:") && /Язык/.test(m[3]!));
    expect(language).toBeDefined();
    const tapped = await browser.post("/admin/standin/tap", { chat: String(chat), message: language![1]!, data: language![2]! });
    expect(tapped.status).toBe(303);

    const after = await browser.get(`/admin/standin?chat=${chat}`);
    const edited = new RegExp(`data-message-id="${language![1]}"[^>]*>\\s*<legend>[^<]*edited|data-message-id="${language![1]}"[^>]*>\\s*<legend>[^<]*изменено`);
    expect(after.html).toMatch(edited);
    expect(after.html).toMatch(/English/);
  });

  it("escapes what is written and refuses bad input without recording it", async () => {
    const browser = await signedIn();
    const chat = newChat();
    await browser.get(`/admin/standin?chat=${chat}`);
    await browser.post("/admin/standin/say", { chat: String(chat), text: "<script>alert(1)</script>" });
    const page = await browser.get(`/admin/standin?chat=${chat}`);
    expect(page.html).not.toContain("<script>alert(1)</script>");
    expect(page.html).toContain("&lt;script&gt;alert(1)&lt;/script&gt;");

    expect((await browser.post("/admin/standin/say", { chat: "0", text: "/help" })).status).toBe(400);
    expect((await browser.post("/admin/standin/say", { chat: String(chat), text: "   " })).status).toBe(400);
    expect((await browser.post("/admin/standin/tap", { chat: String(chat), message: "x", data: "st:home" })).status).toBe(400);
    // Only the first message is there: the bot does not answer plain text, and the refused ones were never recorded.
    expect(conversationOf((await browser.get(`/admin/standin?chat=${chat}`)).html)).toHaveLength(1);
  });

  it("is off when the Worker has a real bot token: nothing is handed to the bot or recorded", async () => {
    const browser = await signedIn(call);
    const chat = newChat();
    await browser.get("/admin/standin");
    const res = await browser.post("/admin/standin/say", { chat: String(chat), text: "/help" });
    expect(res.status).toBe(409);
    const listed = await admin("GET", `/standin/messages?telegramChatId=${chat}`);
    expect(listed.body.messages).toEqual([]);
  });
});
