/**
 * The bot beyond linking: /settings (an inline menu edited in place), /status,
 * Telegram's own news about a chat (removed, re-added, migrated), the setup
 * call that registers the command menu and the webhook, and the bot's own
 * identity loaded once rather than per update.
 */
import { describe, expect, it } from "vitest";
import { readChatSettings } from "../../src/domain/chat-settings";
import { settingsData } from "../../src/telegram/bot/callback-data";
import { admin } from "./helpers";
import { provision } from "./helpers";
import {
  callbackAnswers,
  chatRow,
  command,
  fake,
  lastText,
  linkCode,
  linksOfChat,
  memberUpdate,
  message,
  newChat,
  postUpdate,
  sentTo,
  tap,
  type TgChat,
  type TgUser,
  user,
} from "./bot-support";

type Button = { text: string; callback_data: string };

async function linkedChat(type: TgChat["type"], name = "Ресторан на Неве") {
  const p = await provision({ name });
  const chat = newChat(type);
  const boss = user(type === "private" ? chat.id : 8000 + Math.floor(Math.random() * 1000));
  if (type !== "private") await fake.chatAdmins(chat.id, [boss.id]);
  await command(chat, boss, `/link ${await linkCode({ restaurantId: p.restaurantId })}`);
  return { p, chat, boss };
}

/** The settings menu the bot sent last, and its message id (taps must edit that message). */
async function lastMenu(chatId: number): Promise<{ text: string; buttons: Button[]; messageId: number }> {
  const calls = (await sentTo(chatId)).filter((c) => c.status === 200);
  const call = calls.at(-1)!;
  const markup = call.payload.reply_markup as { inline_keyboard: Button[][] } | string | undefined;
  const keyboard = typeof markup === "string" ? (JSON.parse(markup) as { inline_keyboard: Button[][] }) : markup;
  const messageId = call.method === "editMessageText" ? Number(call.payload.message_id) : call.messageId!;
  return { text: String(call.payload.text), buttons: keyboard?.inline_keyboard.flat() ?? [], messageId };
}

async function press(chat: TgChat, from: TgUser, data: string, messageId: number) {
  const t = tap(chat, from, data, messageId);
  await t.send();
  return t;
}

const settingsOf = async (chatId: number) => readChatSettings((await chatRow(chatId))!.settings);

describe("/settings", () => {
  it("shows every notification group with its count, plus service print and language", async () => {
    const { chat, boss } = await linkedChat("private");
    await command(chat, boss, "/settings");
    const menu = await lastMenu(chat.id);
    expect(menu.text).toContain("Настройки чата");
    const labels = menu.buttons.map((b) => b.text).join(" | ");
    for (const group of ["Удаления и отмены", "Скидки", "Заказы и оплата", "Сотрудники", "Касса и связь", "Смена и автоотчёт"]) {
      expect(labels).toMatch(new RegExp(`${group} \\d+/\\d+`));
    }
    expect(labels).toContain("Сервис-печать");
    expect(labels).toContain("Язык");
  });

  it("starts with risky events on and routine ones off, and switches one in place", async () => {
    const { chat, boss } = await linkedChat("private");
    const defaults = await settingsOf(chat.id);
    expect(defaults.notifications).toEqual({});
    await command(chat, boss, "/settings");
    const main = await lastMenu(chat.id);

    await press(chat, boss, settingsData({ kind: "group", group: "orders" }), main.messageId);
    const orders = await lastMenu(chat.id);
    expect(orders.messageId).toBe(main.messageId);
    const saved = orders.buttons.find((b) => b.callback_data === "st:t:order.saved")!;
    const closed = orders.buttons.find((b) => b.callback_data === "st:t:check.closed")!;
    const precheck = orders.buttons.find((b) => b.callback_data === "st:t:precheck.printed")!;
    for (const routine of [saved, closed, precheck]) expect(routine.text.startsWith("▫️")).toBe(true);
    await press(chat, boss, settingsData({ kind: "group", group: "deletions" }), main.messageId);
    const deletions = await lastMenu(chat.id);
    expect(deletions.buttons.filter((b) => b.callback_data.startsWith("st:t:")).every((b) => b.text.startsWith("✅"))).toBe(true);

    await press(chat, boss, "st:t:order.saved", main.messageId);
    const after = await lastMenu(chat.id);
    expect(after.messageId).toBe(main.messageId);
    expect(after.buttons.find((b) => b.callback_data === "st:t:order.saved")!.text.startsWith("✅")).toBe(true);
    expect((await settingsOf(chat.id)).notifications).toEqual({ "order.saved": true });

    // Switching it back stores nothing: the chat follows the defaults again.
    await press(chat, boss, "st:t:order.saved", main.messageId);
    expect((await settingsOf(chat.id)).notifications).toEqual({});
  });

  it("changes the chat's language, and the bot answers in it from then on", async () => {
    const { chat, boss } = await linkedChat("private");
    await command(chat, boss, "/settings");
    const { messageId } = await lastMenu(chat.id);
    await press(chat, boss, settingsData({ kind: "languages" }), messageId);
    const languages = await lastMenu(chat.id);
    expect(languages.buttons.map((b) => b.text)).toEqual(expect.arrayContaining(["● Русский", "Українська", "English"]));
    await press(chat, boss, settingsData({ kind: "language", language: "en" }), messageId);
    expect((await settingsOf(chat.id)).language).toBe("en");
    expect((await lastMenu(chat.id)).buttons.map((b) => b.text)).toContain("● English");
    await command(chat, boss, "/help");
    expect(await lastText(chat.id)).toContain("/link");
    expect(await lastText(chat.id)).toContain("which alerts to send");
  });

  it("sets the service-print filter: only documents matching words, e.g. banquet orders", async () => {
    const { chat, boss } = await linkedChat("private");
    await command(chat, boss, "/settings print банкет, Banquet ; банкет");
    expect(await lastText(chat.id)).toContain("банкет");
    expect((await settingsOf(chat.id)).servicePrint).toEqual({ mode: "match", words: ["банкет", "Banquet"] });

    await command(chat, boss, "/settings");
    const { messageId } = await lastMenu(chat.id);
    await press(chat, boss, settingsData({ kind: "print" }), messageId);
    await press(chat, boss, settingsData({ kind: "printMode", mode: "all" }), messageId);
    expect((await settingsOf(chat.id)).servicePrint.mode).toBe("all");
    await press(chat, boss, settingsData({ kind: "printMode", mode: "none" }), messageId);
    expect((await settingsOf(chat.id)).servicePrint.mode).toBe("none");
  });

  it("in a group, lets a member look but only an administrator change anything", async () => {
    const { chat, boss } = await linkedChat("supergroup");
    const waiter = user(9_900_001);
    await command(chat, waiter, "/settings");
    const { messageId } = await lastMenu(chat.id);
    const t = await press(chat, waiter, "st:t:order.saved", messageId);
    const [answer] = await callbackAnswers(t.id);
    expect(answer!.payload).toMatchObject({ show_alert: true });
    expect(String(answer!.payload.text)).toContain("только администраторы");
    expect((await settingsOf(chat.id)).notifications).toEqual({});

    await press(chat, boss, "st:t:order.saved", messageId);
    expect((await settingsOf(chat.id)).notifications).toEqual({ "order.saved": true });
  });

  it("answers a tap on a forged or outdated settings button harmlessly", async () => {
    const { chat, boss } = await linkedChat("private");
    // License notices cannot be switched off; the others are not types or not our menu's grammar.
    for (const data of ["st:t:license.expired", "st:t:no.such", "st:g:system", "st:t:order.saved:x"]) {
      const t = await press(chat, boss, data, 1);
      expect(await callbackAnswers(t.id)).toHaveLength(1);
    }
    expect((await settingsOf(chat.id)).notifications).toEqual({});
  });
});

describe("/status", () => {
  it("lists each visible restaurant with its connection, POS and license state", async () => {
    const { chat, boss } = await linkedChat("private", "Бар <Маяк>");
    await command(chat, boss, "/status");
    const text = await lastText(chat.id);
    expect(text).toContain("<b>Бар &lt;Маяк&gt;</b>");
    expect(text).toContain("агент ещё не подключался");
    expect(text).toMatch(/пробн|лиценз/i);
  });
});

describe("Telegram's news about a chat", () => {
  it("marks a chat inactive when the bot is removed, and active again when it is re-added", async () => {
    const { chat, boss } = await linkedChat("group");
    await memberUpdate(chat, boss, "member", "kicked");
    expect(await chatRow(chat.id)).toMatchObject({ status: "inactive", statusReason: "kicked" });
    expect(await linksOfChat(chat.id)).toHaveLength(1);

    await memberUpdate(chat, boss, "left", "member");
    expect(await chatRow(chat.id)).toMatchObject({ status: "active", statusReason: null });
  });

  it("treats a person blocking the bot in a private chat as inactive", async () => {
    const { chat, boss } = await linkedChat("private");
    await memberUpdate(chat, boss, "member", "kicked");
    expect(await chatRow(chat.id)).toMatchObject({ status: "inactive", statusReason: "blocked" });
  });

  it("follows a group upgraded to a supergroup, keeping its links and settings", async () => {
    const { chat, boss } = await linkedChat("group");
    await command(chat, boss, "/settings print банкет");
    const before = await chatRow(chat.id);
    const superId = -1_000_000_000_000 + chat.id;
    await postUpdate(message(chat, boss, "", { text: undefined, entities: undefined, migrate_to_chat_id: superId }));
    // Telegram also reports it from the new side; the second report changes nothing.
    const sup: TgChat = { id: superId, type: "supergroup", title: chat.title };
    await postUpdate(message(sup, boss, "", { text: undefined, entities: undefined, migrate_from_chat_id: chat.id }));

    expect(await chatRow(chat.id)).toBeNull();
    const after = await chatRow(superId);
    expect(after).toMatchObject({ id: before!.id, type: "supergroup", status: "active" });
    expect(readChatSettings(after!.settings).servicePrint.words).toEqual(["банкет"]);
    expect(await linksOfChat(superId)).toHaveLength(1);
  });
});

describe("Telegram's answers to the bot's own replies", () => {
  it("a 403 to a reply marks the chat inactive; linking again brings it back", async () => {
    const { p, chat, boss } = await linkedChat("private");
    await fake.faults(chat.id, [{ kind: "blocked" }]);
    await command(chat, boss, "/help");
    expect(await chatRow(chat.id)).toMatchObject({ status: "inactive", statusReason: "blocked" });

    await command(chat, boss, `/link ${await linkCode({ restaurantId: p.restaurantId })}`);
    expect(await chatRow(chat.id)).toMatchObject({ status: "active", statusReason: null });
    expect(await linksOfChat(chat.id)).toHaveLength(1);
  });

  it("a reply refused because the group became a supergroup moves the chat to the new id", async () => {
    const { chat, boss } = await linkedChat("group");
    const before = await chatRow(chat.id);
    const superId = -1_000_000_000_000 + chat.id;
    await fake.faults(chat.id, [{ kind: "migrate", to: superId }]);
    await command(chat, boss, "/help");
    expect(await chatRow(superId)).toMatchObject({ id: before!.id, type: "supergroup", status: "active" });
    expect(await linksOfChat(superId)).toHaveLength(1);
  });
});

describe("setup", () => {
  it("registers the command menu in ru, uk and en (with /report), and the webhook with the secret", async () => {
    // By time, not by position: other files' chats share the fake, some on a virtual clock.
    const since = Date.now();
    const res = await admin("POST", "/telegram/setup", { url: "https://tillwatch.example.com/" });
    expect(res.status).toBe(200);
    expect(res.body.webhook).toBe("https://tillwatch.example.com/telegram/webhook");
    const calls = (await fake.calls()).calls.filter((c) => c.chatId === null && c.at >= since);
    const menus = calls.filter((c) => c.method === "setMyCommands");
    // A set: another file's first update may register the same menu meanwhile.
    expect([...new Set(menus.map((c) => String(c.payload.language_code ?? "default")))].sort()).toEqual(["default", "en", "ru", "uk"]);
    for (const m of menus) {
      const commands = (typeof m.payload.commands === "string" ? JSON.parse(m.payload.commands) : m.payload.commands) as Array<{ command: string }>;
      expect(commands.map((c) => c.command)).toEqual(["start", "help", "link", "unlink", "status", "report", "settings"]);
    }
    const [hook] = calls.filter((c) => c.method === "setWebhook" && String(c.payload.url).startsWith("https://tillwatch.example.com/"));
    expect(hook!.payload).toMatchObject({ url: "https://tillwatch.example.com/telegram/webhook", secret_token: "test-webhook-secret" });
  });

  it("needs the admin token and refuses a body that is not a URL", async () => {
    expect((await admin("POST", "/telegram/setup", {}, "wrong")).status).toBe(401);
    const bad = await admin("POST", "/telegram/setup", { url: "javascript:alert(1)" });
    expect(bad.status).toBe(400);
    expect(bad.body.error.code).toBe("invalid_body");
  });
});

describe("the bot's identity", () => {
  it("is asked of Telegram at most once, not per update", async () => {
    const chat = newChat("private");
    await command(chat, user(chat.id), "/help");
    const getMe = async () => (await fake.calls()).calls.filter((c) => c.method === "getMe").length;
    const before = await getMe();
    for (let i = 0; i < 3; i++) await command(newChat("private"), user(1000 + i), "/help");
    expect(await getMe()).toBe(before);
  });
});
